"""The personal calendar feed: meetings and the due dates a user owns, at a secret address they can replace."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from agreements.models import Side
from boards import services as board_services
from liaison.models import CalendarFeed
from tests.agreements.conftest import Signing
from tests.boards.factories import board_for
from tests.escalation.conftest import Route

pytestmark = pytest.mark.django_db


def _feed(client, user):
    client.force_login(user)
    page = client.get(reverse("notification-preferences")).content.decode()
    token = CalendarFeed.objects.get(user=user).token
    assert f"/calendar/{token}.ics" in page
    client.logout()
    response = client.get(reverse("calendar-feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content), token


def test_the_feed_lists_meetings_actions_issue_targets_and_signatures(world, client, django_assert_max_num_queries):
    erm, dm = world.users["erm"], world.users["district-manager"]
    board = board_for(world)
    board.erm.user = erm
    board.erm.save()
    meeting = board_services.meeting_schedule(
        actor=erm, board=board, date=datetime.date(2027, 7, 14), start_time=datetime.time(10, 0)
    )
    board_services.meeting_move(actor=erm, meeting=meeting, date=datetime.date(2027, 7, 15), start_time=None)
    issue = Route(world).issue(attempts_made=True, attempts_detail="Calls")
    signing = Signing(world)
    document = signing.prepare()

    calendar, token = _feed(client, erm)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    meeting_event = next(e for uid, e in events.items() if uid.startswith(f"meeting-{meeting.pk}@"))
    assert int(meeting_event["sequence"]) == 1 and meeting_event.decoded("dtstart") == datetime.date(2027, 7, 15)
    assert any(issue.reference in str(e["summary"]) for e in events.values())
    assert any("Index return" in str(e["summary"]) for e in events.values())

    dm_calendar, _ = _feed(client, dm)
    assert any("Sign: Statement of Intent" in str(e["summary"]) for e in dm_calendar.walk("VEVENT"))
    signing.sign(document, "district-manager", Side.JCP)
    dm_calendar, dm_token = _feed(client, dm)
    assert not any("Sign:" in str(e["summary"]) for e in dm_calendar.walk("VEVENT"))

    # The feed's query count does not grow with what is in it.
    with django_assert_max_num_queries(14):
        client.get(reverse("calendar-feed", args=[token]))


def test_replacing_the_address_stops_the_old_one(world, client):
    erm = world.users["erm"]
    _calendar, old = _feed(client, erm)
    client.force_login(erm)
    assert client.post(reverse("calendar-feed-replace")).status_code == 302
    new = CalendarFeed.objects.get(user=erm).token
    assert new != old
    assert client.get(reverse("calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[new])).status_code == 200
    erm.is_active = False
    erm.save()
    assert client.get(reverse("calendar-feed", args=[new])).status_code == 404
