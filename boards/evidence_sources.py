"""The Joint Boards' own evidence for their management information: actions, meetings and attendance, index returns.

- Actions due in the period: done by their due date, or late (done after it, or still open and now past it); those
  not yet due are neither.
  Overdue now: not done and past their due date today, whatever the period (the board must act on them).
- Meetings held in the period against the number the board agreed for it (its meetings a year, in proportion to the
  period's length, rounded up); held in the 12 months to the end of the period, against the minimum of 2.
- Attendance at the period's held meetings by side: JCP (a district's contact) and LA, attended or sent apologies.
- Index return overdue: the Appendix 3 return of the current year, as the deadline alert judges it.
"""

from __future__ import annotations

import datetime
import math

from django.db.models import Count, F, Q
from django.utils import timezone

from boards.evidence import (
    Better,
    Chart,
    EvidenceSource,
    Indicator,
    Section,
    Table,
    format_value,
    register_evidence,
)
from boards.models import Action, ActionStatus, Attendance, AttendanceStatus, Board, Meeting, MeetingStatus
from boards.selectors import annotate_boards, return_state, twelve_months_before

INDICATORS = (
    Indicator("actions-due", "Actions due in the period"),
    Indicator("actions-on-time", "Done by their due date", better=Better.HIGHER),
    Indicator("actions-late", "Done late or still open past their due date", better=Better.LOWER),
    Indicator("actions-overdue", "Actions overdue now", better=Better.LOWER, attention="actions overdue"),
    Indicator("meetings-held", "Meetings held in the period"),
    Indicator("meetings-agreed", "Meetings the board agreed for the period"),
    Indicator(
        "meetings-short",
        "Fewer than 2 meetings in the 12 months to the end of the period",
        better=Better.LOWER,
        attention="below the minimum of 2 meetings in 12 months",
    ),
    Indicator("attendance-jcp", "JCP attendances"),
    Indicator("attendance-la", "LA attendances"),
    Indicator("return-overdue", "Index return overdue", better=Better.LOWER, attention="index return overdue"),
)


def _agreed(per_year: int, start: datetime.date, end: datetime.date) -> int:
    return math.ceil(per_year * ((end - start).days + 1) / 365)


def figures(board_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, dict]:
    today = timezone.localdate()
    out = {b: {i.key: 0 for i in INDICATORS} for b in board_ids}
    period = Q(due_date__gte=start, due_date__lte=end)
    done = Q(status=ActionStatus.DONE)
    actions = (
        Action.objects.filter(board_id__in=board_ids)
        .values("board_id")
        .annotate(
            due=Count("id", filter=period),
            on_time=Count("id", filter=period & done & Q(completed_on__lte=F("due_date"))),
            late=Count(
                "id", filter=period & ((done & Q(completed_on__gt=F("due_date"))) | (~done & Q(due_date__lt=today)))
            ),
            overdue=Count("id", filter=~done & Q(due_date__lt=today)),
        )
        .order_by()
    )
    for row in actions:
        board = out[row["board_id"]]
        board["actions-due"] = row["due"]
        board["actions-on-time"] = row["on_time"]
        board["actions-late"] = row["late"]
        board["actions-overdue"] = row["overdue"]
    year_start = twelve_months_before(end)
    meetings = (
        Meeting.objects.filter(board_id__in=board_ids, status=MeetingStatus.HELD)
        .values("board_id")
        .annotate(
            held=Count("id", filter=Q(date__gte=start, date__lte=end)),
            year=Count("id", filter=Q(date__gt=year_start, date__lte=end)),
        )
        .order_by()
    )
    year = {b: 0 for b in board_ids}
    for row in meetings:
        out[row["board_id"]]["meetings-held"] = row["held"]
        year[row["board_id"]] = row["year"]
    for board in annotate_boards(Board.objects.filter(pk__in=board_ids), today).prefetch_related(None):
        figures_of = out[board.pk]
        figures_of["meetings-agreed"] = _agreed(board.meetings_per_year, start, end)
        established = board.established_on is None or board.established_on <= year_start
        figures_of["meetings-short"] = int(established and year[board.pk] < 2)
        figures_of["return-overdue"] = int(return_state(board, today) == "overdue")
    for row in (
        Attendance.objects.filter(
            meeting__board_id__in=board_ids,
            meeting__status=MeetingStatus.HELD,
            meeting__date__gte=start,
            meeting__date__lte=end,
            status=AttendanceStatus.ATTENDED,
        )
        .values("meeting__board_id")
        .annotate(
            jcp=Count("id", filter=Q(contact__district__isnull=False)),
            la=Count("id", filter=Q(contact__district__isnull=True)),
        )
        .order_by()
    ):
        out[row["meeting__board_id"]]["attendance-jcp"] = row["jcp"]
        out[row["meeting__board_id"]]["attendance-la"] = row["la"]
    return out


def section(board, start: datetime.date, end: datetime.date) -> Section:
    summary = figures([board.pk], start, end)[board.pk]
    result = Section(
        key="board",
        title="Actions, meetings and attendance",
        headlines=[(i.label, format_value(summary[i.key], i.unit)) for i in INDICATORS],
    )
    attendance = (
        Attendance.objects.filter(
            meeting__board=board, meeting__status=MeetingStatus.HELD, meeting__date__gte=start, meeting__date__lte=end
        )
        .values("meeting__date")
        .annotate(
            jcp=Count("id", filter=Q(status=AttendanceStatus.ATTENDED, contact__district__isnull=False)),
            la=Count("id", filter=Q(status=AttendanceStatus.ATTENDED, contact__district__isnull=True)),
            jcp_apologies=Count("id", filter=Q(status=AttendanceStatus.APOLOGIES, contact__district__isnull=False)),
            la_apologies=Count("id", filter=Q(status=AttendanceStatus.APOLOGIES, contact__district__isnull=True)),
        )
        .order_by("meeting__date")
    )
    rows = [
        [f"{r['meeting__date']:%-d %B %Y}", r["jcp"], r["jcp_apologies"], r["la"], r["la_apologies"]]
        for r in attendance
    ]
    if rows:
        result.charts.append(
            Chart(
                title="Attendance by side at each meeting held",
                kind="bar",
                labels=[r[0] for r in rows],
                series=[
                    ("Jobcentre Plus attended", [r[1] for r in rows]),
                    ("Local Authority attended", [r[3] for r in rows]),
                ],
                summary="People who attended each meeting held in the period, Jobcentre Plus and Local Authority side "
                "by side.",
            )
        )
    result.tables.append(
        Table(
            caption="Attendance at the meetings held in the period",
            columns=["Meeting", "JCP attended", "JCP apologies", "LA attended", "LA apologies"],
            rows=rows or [["No meeting held", 0, 0, 0, 0]],
        )
    )
    return result


def register() -> None:
    register_evidence(
        EvidenceSource(
            key="board", title="Actions and meetings", order=30, indicators=INDICATORS, figures=figures, section=section
        )
    )
