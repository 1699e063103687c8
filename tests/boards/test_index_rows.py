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
