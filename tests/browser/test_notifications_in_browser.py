"""Hand-offs reach people in a real Chromium, read back from the loopback SMTP server: a board member who chose the
daily summary for meeting invitations gets one summary instead; the others get an .ics that `icalendar` parses with
the meeting's UID, time and attendees, and moving the meeting sends the same UID with a higher SEQUENCE; the deadline
scan run twice sends each warning once."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from boards.models import Board
from liaison.alerts import scan_deadlines
from liaison.notifications import daily_summaries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _invitations(smtp_server, address):
    """The calendar files emailed to `address`, parsed, oldest first."""
    found = []
    for message in smtp_server.to(address):
        for part in message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                found.append(Calendar.from_ical(part.get_content()).walk("VEVENT")[0])
    return found


def _fill_date(page, day):
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))


def test_meeting_invitations_moves_and_the_daily_summary(
    demo, live_server, page, sign_in, assert_accessible, smtp_server
):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["la-manager", "district-manager"])}
    board = Board.objects.get(title="Greater Manchester Joint Board")

    # The District Manager takes meeting invitations in a daily summary.
    sign_in(page, "district-manager")
    page.goto(f"{live_server.url}/account/notifications/")
    assert_accessible(page)
    page.get_by_role("group", name="Board meeting invitations, changes and cancellations").get_by_label(
        "In a daily summary"
    ).check()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, "erm")
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Schedule a meeting").click()
    day = timezone.localdate() + datetime.timedelta(days=14)
    _fill_date(page, day)
    page.get_by_label("Start time (optional)").fill("10:00")
    page.get_by_label("Where (optional)").fill("Manchester district office")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting of")
    assert_accessible(page)

    invited = _invitations(smtp_server, users["la-manager"].email)
    assert len(invited) == 1
    first = invited[0]
    start = first.decoded("DTSTART")
    # 10am in London on that day, whatever the offset (GMT or BST).
    assert start == timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    attendees = {str(a).lower().removeprefix("mailto:") for a in first.get("ATTENDEE")}
    assert {board.la_chair.email.lower(), board.jcp_chair.email.lower()} <= attendees
    # The member who chose the summary gets no invitation straight away.
    assert _invitations(smtp_server, users["district-manager"].email) == []

    page.get_by_role("link", name="Change the date, time or place").click()
    assert_accessible(page)
    page.get_by_label("Start time (optional)").fill("11:30")
    page.get_by_role("button", name="Save and tell everyone invited").click()
    expect(page.get_by_role("alert")).to_be_visible()
    moved = _invitations(smtp_server, users["la-manager"].email)
    assert len(moved) == 2
    assert str(moved[1]["UID"]) == str(first["UID"])
    assert int(moved[1]["SEQUENCE"]) > int(first.get("SEQUENCE", 0))
    assert moved[1].decoded("DTSTART") == timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 30)))

    # One daily summary lists both, and a second run the same day sends nothing more.
    daily_summaries()
    daily_summaries()
    summaries = [m for m in smtp_server.to(users["district-manager"].email) if "summary" in m["Subject"].lower()]
    assert len(summaries) == 1
    listed = smtp_server.body(summaries[0])
    assert len(re.findall(board.title, listed)) >= 2

    # The deadline scan run twice sends each warning once.
    scan_deadlines()
    after_first = len(smtp_server.messages)
    assert scan_deadlines().emails == 0
    assert len(smtp_server.messages) == after_first
