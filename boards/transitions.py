"""Every state machine of the boards app and its guards, in one place: services call these, views never decide."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from boards.models import ActionStatus, BoardStatus, Meeting, MeetingStatus, MinutesStatus

BOARD = {
    BoardStatus.PROPOSED: {BoardStatus.ACTIVE, BoardStatus.WOUND_UP},
    BoardStatus.ACTIVE: {BoardStatus.WOUND_UP},
    BoardStatus.WOUND_UP: set(),
}

MEETING = {
    MeetingStatus.SCHEDULED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}

MINUTES = {
    MinutesStatus.NONE: {MinutesStatus.DRAFT},
    MinutesStatus.DRAFT: {MinutesStatus.CIRCULATED},
    MinutesStatus.CIRCULATED: {MinutesStatus.APPROVED},
    MinutesStatus.APPROVED: set(),
}

ACTION = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE},
    ActionStatus.DONE: set(),
}

_LABELS = {
    "board": BoardStatus,
    "meeting": MeetingStatus,
    "minutes": MinutesStatus,
    "action": ActionStatus,
}
_MACHINES = {"board": BOARD, "meeting": MEETING, "minutes": MINUTES, "action": ACTION}


def allowed(kind: str, current: str) -> set[str]:
    return {str(state) for state in _MACHINES[kind][_LABELS[kind](current)]}


def check(kind: str, current: str, target: str, *, field: str = "status") -> None:
    """Refuse a move the state machine does not allow, saying which moves are possible."""
    labels = _LABELS[kind]
    if target not in allowed(kind, current):
        possible = ", ".join(sorted(labels(s).label.lower() for s in allowed(kind, current))) or "none"
        raise ValidationError(
            {
                field: f"A {kind} that is {labels(current).label.lower()} cannot become "
                f"{labels(target).label.lower()} (possible: {possible})."
            }
        )


def check_meeting_held(meeting: Meeting, today: datetime.date) -> None:
    check("meeting", meeting.status, MeetingStatus.HELD)
    if meeting.date > today:
        raise ValidationError({"status": f"This meeting is on {meeting.date:%-d %B %Y}: record it once it is held."})
    if meeting.board.status != BoardStatus.ACTIVE:
        raise ValidationError({"status": "Only an active board holds meetings: make the board active first."})


def check_minutes_approval(meeting: Meeting, at_meeting: Meeting) -> None:
    """Minutes are approved at the board's next held meeting, never earlier and never at a later one."""
    check("minutes", meeting.minutes_status, MinutesStatus.APPROVED, field="minutes")
    if at_meeting.board_id != meeting.board_id:
        raise ValidationError({"minutes": "Minutes are approved at a meeting of the same board."})
    if at_meeting.status != MeetingStatus.HELD:
        raise ValidationError({"minutes": "Minutes are approved at the next meeting once it has been held."})
    following = (
        Meeting.objects.filter(board_id=meeting.board_id, status=MeetingStatus.HELD)
        .filter(date__gte=meeting.date)
        .exclude(pk=meeting.pk)
        .order_by("date", "pk")
        .first()
    )
    if following is None or following.pk != at_meeting.pk:
        raise ValidationError({"minutes": "Minutes are approved at the board's next meeting."})
