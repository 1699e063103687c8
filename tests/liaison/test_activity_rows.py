# ruff: noqa: E501
"""The activity trail's rows are written in Python (liaison/templatetags/activity_tags.py) for speed; they must be the
HTML the row template below, the one the trail used before, makes for the same events."""

import datetime

import pytest
from django.template import engines

from liaison.events import event_build, events_record
from liaison.models import Event
from liaison.templatetags.activity_tags import activity_rows

pytestmark = pytest.mark.django_db

ROW_TEMPLATE = """{% for event in page.object_list %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell liaison-nowrap">{{ event.occurred_at|date:"j M Y" }}<br><span class="govuk-body-s liaison-secondary-text">{{ event.occurred_at|date:"H:i" }}</span></td>
          <td class="govuk-table__cell">{{ event.summary }}</td>
          <td class="govuk-table__cell">{% if event.actor %}{{ event.actor.get_full_name|default:event.actor.username }}{% else %}<span class="liaison-secondary-text">Liaison (scheduled)</span>{% endif %}</td>
          <td class="govuk-table__cell">{% if event.district %}{{ event.district.name }}{% endif %}{% if event.district and event.local_authority %}<br>{% endif %}{% if event.local_authority %}{{ event.local_authority.name }}{% endif %}</td>
        </tr>
        {% endfor %}"""


def test_every_kind_of_row_is_written_as_the_template_writes_it(world):
    erm = world.users["erm"]
    erm.first_name, erm.last_name = "Erin", "O'Malley"
    erm.save()
    summer_night = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    events_record(
        [
            event_build(kind="contact.created", summary="Added <Ann> & Bob", actor=erm, district_id=world.d1.pk),
            event_build(
                kind="issue.logged",
                summary="Logged",
                actor=world.users["gpt"],
                district_id=world.d1.pk,
                local_authority_id=world.la1.pk,
            ),
            event_build(kind="alert.raised", summary="Raised by the scan", local_authority_id=world.la1.pk),
            event_build(kind="alert.raised", summary="Nowhere in particular"),
        ]
    )
    events = list(Event.objects.select_related("actor", "district", "local_authority").order_by("-occurred_at", "-pk"))
    assert len(events) == 4
    expected = engines["django"].from_string(ROW_TEMPLATE).render({"page": {"object_list": events}})
    written = activity_rows(events)
    assert written == expected
    assert (
        "Added &lt;Ann&gt; &amp; Bob" in written
        and "Erin O&#x27;Malley" in written
        and "Liaison (scheduled)" in written
    )
    late = event_build(kind="issue.logged", summary="Late", district_id=world.d1.pk)
    late.occurred_at = summer_night
    expected = engines["django"].from_string(ROW_TEMPLATE).render({"page": {"object_list": [late]}})
    assert activity_rows([late]) == expected and "1 Jul 2026<br>" in expected and ">00:30<" in expected


def test_no_events_no_rows():
    assert activity_rows([]) == ""
