# ruff: noqa: E501
"""The national index's rows are written in Python (boards/templatetags/board_tags.py) for speed; they must be the
HTML the row template below, the one the index used before, makes for the same boards."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from boards import views
from boards.models import BoardStatus, IndexReturn
from boards.selectors import INDEX_FIGURES, index_boards
from boards.templatetags.board_tags import index_rows
from tests.boards.factories import MeetingFactory, board_for

pytestmark = pytest.mark.django_db

ROW_TEMPLATE = """{% load board_tags %}{% for board in boards %}
        <tr class="govuk-table__row">
          <th scope="row" class="govuk-table__header">{% if board.pk in visible_ids %}<a class="govuk-link" href="{{ board.get_absolute_url }}">{{ board.title }}</a>{% else %}{{ board.title }}{% endif %}</th>
          <td class="govuk-table__cell">{% for d in board.district_list %}{% if forloop.first %}{{ d.region.name }}:<br>{% endif %}{{ d.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
          <td class="govuk-table__cell">{% for la in board.authority_list %}{{ la.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
          <td class="govuk-table__cell">{{ board.get_scope_display }}</td>
          <td class="govuk-table__cell">{{ board.jcp_chair.name|default:"–" }}<br>{{ board.la_chair.name|default:"–" }}</td>
          <td class="govuk-table__cell">{{ board.first_meeting|date:"j M Y"|default:"–" }}</td>
          <td class="govuk-table__cell govuk-table__cell--numeric">{{ board.meetings_last_12_months }}</td>
          <td class="govuk-table__cell">{{ board.latest_return|date:"j M Y"|default:"None" }}<br>{{ board.return_state|return_tag }}</td>
          <td class="govuk-table__cell">{{ board.status|status_tag }}</td>
        </tr>
      {% endfor %}"""


def _rows(user, visible_ids):
    request = RequestFactory().get("/boards/index/")
    request.user = user
    _filter, boards, _today, _page = views._index(request, national=True, page_number=1)
    expected = engines["django"].from_string(ROW_TEMPLATE).render({"boards": boards, "visible_ids": visible_ids})
    return boards, expected, index_rows(boards, visible_ids)


def test_every_kind_of_row_is_written_as_the_template_writes_it(world):
    plain = board_for(world, title="Plain <board> & co")
    met = board_for(world, district=world.d2, authority=world.la2, title="Board that met")
    MeetingFactory(board=met, date=datetime.date(2026, 3, 4), status="held")
    IndexReturn.objects.create(
        board=met,
        year=timezone.localdate().year,
        submitted_at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC),
        submitted_by=world.users["erm"],
    )
    wound_up = board_for(world, district=world.d3, authority=world.la3, title="Old board")
    wound_up.status = BoardStatus.WOUND_UP
    wound_up.wound_up_on = timezone.localdate()
    wound_up.save()
    boards, expected, written = _rows(world.users["gpt"], {plain.pk, met.pk})
    assert len(boards) == 3
    assert written == expected
    assert "Plain &lt;board&gt; &amp; co" in written and "1 Jul 2026" in written and "Wound up" in written
    assert f'href="{plain.get_absolute_url()}"' in written and f'href="{wound_up.get_absolute_url()}"' not in written


def test_no_boards_no_rows(world):
    assert _rows(world.users["gpt"], set())[1:] == ("", "")


def _figures(boards):
    return {board.title: tuple(getattr(board, name) for name in INDEX_FIGURES) for board in boards}


def test_the_national_index_figures_kept_between_visits_follow_every_change(world):
    # The unfiltered national index reads its rows' figures from the cache (selectors.national_figures_set); they
    # must be the figures counted afresh, after each change to what they count.
    today = timezone.localdate()
    met = board_for(world, title="Board that met")
    board_for(world, district=world.d2, authority=world.la2, title="Board yet to meet")

    def kept_and_live():
        request = RequestFactory().get("/boards/index/")
        request.user = world.users["gpt"]
        _filter, boards, _today, _page = views._index(request, national=True, page_number=1)
        counted = index_boards(user=world.users["gpt"], today=today, national=True)
        return _figures(boards), _figures(counted)

    kept, live = kept_and_live()
    assert kept == live and kept["Board that met"] == (0, None, None, False)
    meeting = MeetingFactory(board=met, date=today - datetime.timedelta(days=10), status="scheduled")
    assert kept_and_live()[0]["Board that met"] == (0, None, None, False)
    meeting.status = "held"
    meeting.save()
    kept, live = kept_and_live()
    assert kept == live and kept["Board that met"] == (1, meeting.date, None, False)
    returned = IndexReturn.objects.create(board=met, year=today.year, submitted_by=world.users["erm"])
    kept, live = kept_and_live()
    assert kept == live and kept["Board that met"] == (1, meeting.date, returned.submitted_at, True)
    newer = board_for(world, district=world.d3, authority=world.la3, title="Board set up since")
    kept, live = kept_and_live()
    assert kept == live and kept[newer.title] == (0, None, None, False)
