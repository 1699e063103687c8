"""A board's work tells its people: invitations Outlook takes in (.ics), draft minutes, actions assigned."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from boards import services
from boards.models import Meeting
from tests.boards.factories import MeetingFactory, board_for
from tests.factories import ContactFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _invitation(message):
    """The .ics of an email Django built: a text/calendar part carrying its METHOD."""
    [part] = message.attachments
    assert part.get_content_type() == "text/calendar" and part.get_filename() == "meeting.ics"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert part.get_param("method") == str(calendar["method"])
    return calendar


def test_scheduling_moving_and_cancelling_send_one_calendar_event_with_a_rising_sequence(world):
    board = board_for(world)
    member = ContactFactory(district=world.d1, name="Member Person")
    board.members.add(member)
    invited = {board.jcp_chair.email, board.la_chair.email, board.erm.email, member.email}
    meeting = services.meeting_schedule(
        actor=world.users["erm"],
        board=board,
        date=datetime.date(2027, 7, 14),
        start_time=datetime.time(10, 30),
        location="Room 4",
    )
    first = {m.to[0]: m for m in sent_mail()}
    assert invited <= set(first)
    calendar = _invitation(first[member.email])
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    uid = str(event["uid"])
    assert uid == f"meeting-{meeting.pk}@127.0.0.1" or uid.startswith(f"meeting-{meeting.pk}@")
    assert event.decoded("dtstart") == datetime.datetime(2027, 7, 14, 10, 30, tzinfo=LONDON)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert int(event["sequence"]) == 0 and str(event["location"]) == "Room 4"
    attendees = {str(a).removeprefix("mailto:") for a in event["attendee"]}
    assert invited <= attendees
    assert "Why you got this email: you are the standing member" in first[member.email].body

    sent_mail().clear()
    services.meeting_move(
        actor=world.users["erm"], meeting=meeting, date=datetime.date(2027, 7, 21), start_time=datetime.time(14, 0)
    )
    [moved] = [m for m in sent_mail() if m.to == [member.email]]
    assert moved.subject.startswith("Moved:")
    [event] = _invitation(moved).walk("VEVENT")
    assert str(event["uid"]) == uid and int(event["sequence"]) == 1
    assert event.decoded("dtstart") == datetime.datetime(2027, 7, 21, 14, 0, tzinfo=LONDON)

    sent_mail().clear()
    services.meeting_cancel(actor=world.users["erm"], meeting=Meeting.objects.get(pk=meeting.pk))
    [cancelled] = [m for m in sent_mail() if m.to == [member.email]]
    calendar = _invitation(cancelled)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == uid and int(event["sequence"]) == 2


def test_the_invitation_travels_as_text_calendar_with_its_method(world, smtp_mail, django_capture_on_commit_callbacks):
    board = board_for(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(actor=world.users["erm"], board=board, date=datetime.date(2027, 7, 14))
    [message] = smtp_mail.to(board.erm.email)
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    [event] = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(2027, 7, 14)  # no start time: an all-day event


def test_the_meeting_page_moves_a_meeting(world, client):
    board = board_for(world)
    meeting = services.meeting_schedule(actor=world.users["erm"], board=board, date=datetime.date(2027, 7, 14))
    client.force_login(world.users["erm"])
    url = reverse("boards:meeting-move", args=[board.pk, meeting.pk])
    assert client.get(url).status_code == 200
    same = client.post(url, {"date_0": "14", "date_1": "7", "date_2": "2027"})
    assert same.status_code == 200 and "Change the date, the start time or the place" in same.content.decode()
    response = client.post(url, {"date_0": "15", "date_1": "7", "date_2": "2027", "location": "Hall"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.location, meeting.sequence) == (datetime.date(2027, 7, 15), "Hall", 1)


def test_circulated_minutes_tell_the_members_once_and_an_action_tells_its_owner(world):
    board = board_for(world)
    meeting = MeetingFactory(board=board)
    services.minutes_save(actor=world.users["erm"], meeting=meeting, text="We met.")
    assert not [m for m in sent_mail() if m.to == [board.la_chair.email]]  # the secretariat's draft is its own
    services.minutes_save(actor=world.users["erm"], meeting=meeting, text="We met, and agreed.")
    services.minutes_circulate(actor=world.users["erm"], meeting=meeting)
    told = [m for m in sent_mail() if m.to == [board.la_chair.email]]
    assert len(told) == 1 and told[0].subject.startswith("Draft minutes")
    assert "circulated for comment" in told[0].body
    owner = ContactFactory(district=world.d1, name="Owner Person")
    action = services.action_add(
        actor=world.users["erm"],
        meeting=meeting,
        description="Write to the LA",
        owner=owner,
        due_date=meeting.date + datetime.timedelta(days=20),
    )
    [assigned] = [m for m in sent_mail() if m.to == [owner.email]]
    assert "Write to the LA" in assigned.body and action.get_absolute_url() in assigned.body


def test_an_action_due_soon_and_the_return_due_soon_warn_once(world):
    from liaison.alerts import scan_deadlines
    from liaison.models import Alert
    from tests.boards.factories import ActionFactory

    board = board_for(world)
    owner = ContactFactory(district=world.d1, user=world.users["monitor"])
    today = datetime.date(2027, 6, 7)  # a Monday: 15 June is 6 working days away
    ActionFactory(
        meeting=MeetingFactory(board=board, date=datetime.date(2027, 5, 1)),
        owner=owner,
        due_date=datetime.date(2027, 6, 11),
    )
    far = ActionFactory(
        meeting=MeetingFactory(board=board, date=datetime.date(2027, 5, 2)),
        owner=owner,
        due_date=datetime.date(2027, 7, 30),
    )
    codes = ["board-action-due-soon", "board-return-due-soon"]
    first = scan_deadlines(today=today, codes=codes)
    second = scan_deadlines(today=today, codes=codes)
    assert first.by_check["board-action-due-soon"]["raised"] == 1
    assert first.by_check["board-return-due-soon"]["raised"] == 1
    assert (second.raised, second.emails) == (0, 0)
    assert not Alert.objects.filter(key__startswith=f"action:{far.pk}:").exists()
    warned = [m for m in sent_mail() if m.to == [world.users["monitor"].email]]
    assert len(warned) == 1 and "due on 11 June 2027" in warned[0].subject
    assert len([m for m in sent_mail() if "index return is due by 15 June 2027" in m.subject]) == 1
