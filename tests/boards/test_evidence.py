"""The boards' own evidence for their management information: actions, meetings, attendance and the index return,
recounted from what each test made."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards import evidence_sources as evidence
from boards.models import ActionStatus, Attendance, AttendanceStatus, MeetingStatus
from boards.selectors import return_due_date
from tests.boards.factories import ActionFactory, MeetingFactory, board_for
from tests.factories import ContactFactory, LAContactFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=90), TODAY


def days(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def test_actions_meetings_and_attendance_are_recounted(world):
    board = board_for(world, meetings_per_year=4, established_on=TODAY - datetime.timedelta(days=800))
    other = board_for(world, district=world.d2, authority=world.la2)
    held = MeetingFactory(board=board, date=days(10), status=MeetingStatus.HELD)
    MeetingFactory(board=board, date=days(-200), status=MeetingStatus.HELD)  # before the period: in the 12 months
    MeetingFactory(board=board, date=days(50), status=MeetingStatus.CANCELLED)
    done_on_time = dict(status=ActionStatus.DONE, due_date=days(20), completed_on=days(19))
    ActionFactory(meeting=held, **done_on_time)
    ActionFactory(meeting=held, status=ActionStatus.DONE, due_date=days(20), completed_on=days(25))  # late
    ActionFactory(meeting=held, due_date=days(30))  # open, past its date: late and overdue
    ActionFactory(meeting=held, due_date=TODAY + datetime.timedelta(days=5))  # after the period
    ActionFactory(meeting=held, due_date=days(-30))  # before the period, still open: overdue only
    ActionFactory(meeting=MeetingFactory(board=other, date=days(5)), due_date=days(6))  # the other board's
    jcp = [ContactFactory(district=world.d1) for _ in range(3)]
    la = [LAContactFactory(local_authority=world.la1) for _ in range(2)]
    for contact in jcp[:2] + la[:1]:
        Attendance.objects.create(meeting=held, contact=contact, status=AttendanceStatus.ATTENDED)
    Attendance.objects.create(meeting=held, contact=jcp[2], status=AttendanceStatus.APOLOGIES)
    Attendance.objects.create(meeting=held, contact=la[1], status=AttendanceStatus.APOLOGIES)

    figures = evidence.figures([board.pk, other.pk], START, END)[board.pk]
    assert figures["actions-due"] == 3
    assert figures["actions-on-time"] == 1
    assert figures["actions-late"] == 2
    assert figures["actions-overdue"] == 2
    assert figures["meetings-held"] == 1
    assert figures["meetings-agreed"] == 1  # 4 a year over 91 days
    assert figures["meetings-short"] == 0  # two held in the 12 months to the end
    assert (figures["attendance-jcp"], figures["attendance-la"]) == (2, 1)
    overdue = return_due_date(TODAY.year) < TODAY
    assert figures["return-overdue"] == int(overdue)

    section = evidence.section(board, START, END)
    assert section.tables[0].rows == [[f"{held.date:%-d %B %Y}", 2, 1, 1, 1]]
    assert section.charts[0].series == [("Jobcentre Plus attended", [2]), ("Local Authority attended", [1])]


def test_a_board_below_the_minimum_needs_attention(world):
    board = board_for(world, established_on=TODAY - datetime.timedelta(days=800))
    MeetingFactory(board=board, date=days(10), status=MeetingStatus.HELD)
    figures = evidence.figures([board.pk], START, END)[board.pk]
    assert figures["meetings-short"] == 1
    indicator = next(i for i in evidence.INDICATORS if i.key == "meetings-short")
    assert indicator.attention
    young = board_for(world, district=world.d2, authority=world.la2, established_on=TODAY - datetime.timedelta(days=30))
    assert evidence.figures([young.pk], START, END)[young.pk]["meetings-short"] == 0


def test_figures_take_a_fixed_number_of_queries_for_any_number_of_boards(world):
    board = board_for(world)
    ActionFactory(meeting=MeetingFactory(board=board))
    with CaptureQueriesContext(connection) as few:
        evidence.figures([board.pk], START, END)
    more = [board_for(world) for _ in range(4)]
    for extra in more:
        ActionFactory(meeting=MeetingFactory(board=extra))
    with CaptureQueriesContext(connection) as many:
        evidence.figures([board.pk, *[b.pk for b in more]], START, END)
    assert len(many) == len(few)
