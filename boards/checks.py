"""Deadline checks of the Joint Boards: meetings (2 in any 12 months), index returns, actions, transition."""

from __future__ import annotations

import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from boards.models import Action, ActionStatus, Board, BoardStatus, MeetingStatus, TransitionAction
from boards.selectors import annotate_boards, return_due_date, return_state, twelve_months_before
from liaison import calendar
from liaison.alerts import Finding, register_check
from liaison.models import Role, RoleAssignment
from liaison.selectors import responsible_for_districts


def _board_responsible(boards) -> dict[int, frozenset[int]]:
    """The ERMs (or Regional ERMs) of each board's districts."""
    district_ids = {d.pk for board in boards for d in board.districts.all()}
    per_district = responsible_for_districts(district_ids) if district_ids else {}
    return {
        board.pk: frozenset(uid for d in board.districts.all() for uid in per_district.get(d.pk, ()))
        for board in boards
    }


def _first_district_id(board) -> int | None:
    districts = list(board.districts.all())
    return districts[0].pk if districts else None


def _active_boards(today: datetime.date) -> list[Board]:
    return list(annotate_boards(Board.objects.filter(status=BoardStatus.ACTIVE), today).prefetch_related("meetings"))


@register_check("board-meetings-below-minimum", "Joint Board met fewer than 2 times in 12 months")
def board_meetings_below_minimum(today: datetime.date) -> list[Finding]:
    boards = [
        b
        for b in _active_boards(today)
        if b.established_on <= twelve_months_before(today) and b.meetings_last_12_months < 2
    ]
    responsible = _board_responsible(boards)
    return [
        Finding(
            key=f"board:{board.pk}",
            title=f"{board.title} has held {board.meetings_last_12_months} meeting"
            f"{'' if board.meetings_last_12_months == 1 else 's'} in the last 12 months",
            detail="A Joint Board must meet at least twice in every 12 months (guidelines; Partnership Agreement "
            "3.1.2). The District ERM arranges the next meeting with the co-chairs.",
            url=board.get_absolute_url(),
            recipient_ids=responsible[board.pk],
            district_id=_first_district_id(board),
        )
        for board in boards
    ]


@register_check("board-meetings-below-agreed", "Joint Board met fewer times than it agreed with LA partners")
def board_meetings_below_agreed(today: datetime.date) -> list[Finding]:
    """A board that agreed more than 2 meetings a year is held to its own number (fewer than 2 is the check above)."""
    boards = [
        b
        for b in _active_boards(today)
        if b.established_on <= twelve_months_before(today)
        and b.meetings_per_year > 2
        and 2 <= b.meetings_last_12_months < b.meetings_per_year
    ]
    responsible = _board_responsible(boards)
    return [
        Finding(
            key=f"board:{board.pk}",
            title=f"{board.title} has held {board.meetings_last_12_months} of the {board.meetings_per_year} "
            "meetings a year it agreed",
            detail="The board agreed with its LA partners to meet "
            f"{board.meetings_per_year} times a year (guidelines, Appendix 1). The secretariat arranges the next "
            "meeting with the co-chairs.",
            url=board.get_absolute_url(),
            recipient_ids=responsible[board.pk],
            district_id=_first_district_id(board),
        )
        for board in boards
    ]


def next_meeting_deadline(board: Board) -> datetime.date:
    """The last day the board's next meeting can be held and still keep 2 meetings in every 12 months."""
    held = sorted((m.date for m in board.meetings.all() if m.status == MeetingStatus.HELD), reverse=True)
    since = held[1] if len(held) >= 2 else board.established_on
    return since + relativedelta(months=12) - datetime.timedelta(days=1)


@register_check("board-next-meeting-not-scheduled", "Joint Board's next meeting not scheduled in time")
def board_next_meeting_not_scheduled(today: datetime.date) -> list[Finding]:
    findings = []
    boards = _active_boards(today)
    responsible = _board_responsible(boards)
    warning = datetime.timedelta(days=settings.BOARDS_MEETING_WARNING_DAYS)
    for board in boards:
        deadline = next_meeting_deadline(board)
        if deadline < today or deadline - today > warning:
            continue
        scheduled = any(
            m.status == MeetingStatus.SCHEDULED and today <= m.date <= deadline for m in board.meetings.all()
        )
        if scheduled:
            continue
        findings.append(
            Finding(
                key=f"board:{board.pk}",
                title=f"{board.title} must meet by {deadline:%-d %B %Y}: no meeting is scheduled",
                detail="Without a meeting by then the board will have met fewer than twice in 12 months. "
                "Schedule the next meeting with the co-chairs.",
                url=reverse("boards:meeting-schedule", args=[board.pk]),
                recipient_ids=responsible[board.pk],
                district_id=_first_district_id(board),
            )
        )
    return findings


@register_check("board-return-overdue", "Joint Board index return (Appendix 3) overdue")
def board_return_overdue(today: datetime.date) -> list[Finding]:
    boards = [b for b in _active_boards(today) if return_state(b, today) == "overdue"]
    responsible = _board_responsible(boards)
    due = return_due_date(today.year)
    return [
        Finding(
            key=f"board:{board.pk}:{today.year}",
            title=f"{board.title}: the {today.year} index return was due on {due:%-d %B %Y}",
            detail="The District ERM completes the Appendix 3 return for the Governmental Partnerships Team's "
            "national index of Joint Boards.",
            url=reverse("boards:return", args=[board.pk]),
            recipient_ids=responsible[board.pk],
            district_id=_first_district_id(board),
        )
        for board in boards
    ]


@register_check("board-actions-overdue", "Joint Board action past its due date")
def board_actions_overdue(today: datetime.date) -> list[Finding]:
    actions = list(
        Action.objects.exclude(status=ActionStatus.DONE)
        .filter(due_date__lt=today)
        .exclude(board__status=BoardStatus.WOUND_UP)
        .select_related("owner", "board")
        .prefetch_related("board__districts")
    )
    boards = {a.board_id: a.board for a in actions}
    responsible = _board_responsible(boards.values())
    return [
        Finding(
            key=f"action:{action.pk}",
            title=f"{action.board.title}: action for {action.owner.name} was due on {action.due_date:%-d %B %Y}",
            detail=f"{action.description}\n\nThe owner completes it; the District ERM follows it up at the board.",
            url=action.get_absolute_url(),
            recipient_ids=responsible[action.board_id] | ({action.owner.user_id} if action.owner.user_id else set()),
            district_id=_first_district_id(action.board),
        )
        for action in actions
    ]


@register_check("transition-actions-overdue", "Moving-on (transition) actions past their date")
def transition_actions_overdue(today: datetime.date) -> list[Finding]:
    late = TransitionAction.objects.filter(completed_on__isnull=True, due_date__lt=today).select_related("district")
    groups: dict[tuple[int, bool], list[TransitionAction]] = defaultdict(list)
    for item in late:
        groups[(item.district_id, item.for_gpt)].append(item)
    if not groups:
        return []
    responsible = responsible_for_districts({district_id for district_id, _ in groups})
    gpt = frozenset(
        RoleAssignment.objects.filter(role=Role.GPT, user__is_active=True).values_list("user_id", flat=True)
    )
    findings = []
    for (district_id, for_gpt), items in groups.items():
        district = items[0].district
        who = "the Governmental Partnerships Team" if for_gpt else "the District ERM"
        findings.append(
            Finding(
                key=f"district:{district.code}:{'gpt' if for_gpt else 'erm'}",
                title=f"{district.name}: {len(items)} moving-on action{'s' if len(items) != 1 else ''} for "
                f"{who} past {'its' if len(items) == 1 else 'their'} date",
                detail="\n".join(f"- {i.action} (by {i.due_date:%-d %B %Y})" for i in items),
                url=reverse("boards:transition", args=[district.code]),
                recipient_ids=gpt if for_gpt else frozenset(responsible.get(district_id, ())),
                district_id=district_id,
            )
        )
    return findings


def _nation(board: Board) -> str:
    authorities = list(board.local_authorities.all())
    return authorities[0].nation if authorities else "ENG"


@register_check("board-action-due-soon", "Joint Board action due soon")
def board_action_due_soon(today: datetime.date) -> list[Finding]:
    """A warning, once, to the owner and the ERMs BOARDS_ACTION_WARNING_WORKING_DAYS working days before an
    action is due; the overdue alert takes over once it has passed."""
    ahead = settings.BOARDS_ACTION_WARNING_WORKING_DAYS
    actions = [
        action
        for action in Action.objects.exclude(status=ActionStatus.DONE)
        .filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=ahead * 2 + 14))
        .exclude(board__status=BoardStatus.WOUND_UP)
        .select_related("owner", "board")
        .prefetch_related("board__districts", "board__local_authorities")
        if calendar.working_days_between(today, action.due_date, _nation(action.board)) <= ahead
    ]
    responsible = _board_responsible({a.board_id: a.board for a in actions}.values())
    return [
        Finding(
            key=f"action:{action.pk}:{action.due_date:%Y%m%d}",
            title=f"{action.board.title}: action for {action.owner.name} due on {action.due_date:%-d %B %Y}",
            detail=f"{action.description}\n\nComplete it, or record your progress, before it is due.",
            url=action.get_absolute_url(),
            recipient_ids=responsible[action.board_id] | ({action.owner.user_id} if action.owner.user_id else set()),
            district_id=_first_district_id(action.board),
        )
        for action in actions
    ]


@register_check("board-return-due-soon", "Joint Board index return (Appendix 3) due soon")
def board_return_due_soon(today: datetime.date) -> list[Finding]:
    """A warning, once, to the ERMs BOARDS_RETURN_WARNING_WORKING_DAYS working days before the return is due."""
    due = return_due_date(today.year)
    if today > due:
        return []
    boards = [
        board for board in _active_boards(today) if return_state(board, today) == "due" and board.established_on <= due
    ]
    boards = [
        board
        for board in boards
        if calendar.working_days_between(today, due, _nation(board)) <= settings.BOARDS_RETURN_WARNING_WORKING_DAYS
    ]
    responsible = _board_responsible(boards)
    return [
        Finding(
            key=f"board:{board.pk}:{today.year}",
            title=f"{board.title}: the {today.year} index return is due by {due:%-d %B %Y}",
            detail="The District ERM completes the Appendix 3 return for the Governmental Partnerships Team's "
            "national index of Joint Boards.",
            url=reverse("boards:return", args=[board.pk]),
            recipient_ids=responsible[board.pk],
            district_id=_first_district_id(board),
        )
        for board in boards
    ]
