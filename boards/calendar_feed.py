"""What boards puts in a person's calendar feed: their boards' meetings, the actions they own, and the index
return of the boards whose ERM they are."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from boards.models import Action, ActionStatus, Board, BoardStatus, Meeting, MeetingStatus
from boards.selectors import return_due_date
from liaison import ical


def meetings_and_actions(user) -> list[ical.CalendarEvent]:
    since = timezone.localdate() - datetime.timedelta(days=90)
    mine = (
        Q(board__jcp_chair__user=user)
        | Q(board__la_chair__user=user)
        | Q(board__erm__user=user)
        | Q(board__jcp_secretariat__user=user)
        | Q(board__la_secretariat__user=user)
        | Q(board__members__user=user)
    )
    meetings = (
        Meeting.objects.filter(mine, date__gte=since)
        .exclude(status=MeetingStatus.HELD, date__lt=timezone.localdate())
        .select_related("board")
        .distinct()
        .order_by("date", "pk")
    )
    events = [
        ical.CalendarEvent(
            uid=ical.uid_for("meeting", meeting.pk),
            summary=f"{meeting.board.title} meeting",
            day=meeting.date,
            start_time=meeting.start_time,
            sequence=meeting.sequence,
            location=meeting.location,
            url=f"{settings.SITE_URL}{meeting.get_absolute_url()}",
            cancelled=meeting.status == MeetingStatus.CANCELLED,
        )
        for meeting in meetings
    ]
    actions = (
        Action.objects.filter(owner__user=user)
        .exclude(status=ActionStatus.DONE)
        .select_related("board")
        .order_by("due_date", "pk")
    )
    events += [
        ical.CalendarEvent(
            uid=ical.uid_for("action-due", action.pk),
            summary=f"Action due ({action.board.title}): {action.description[:80]}",
            day=action.due_date,
            url=f"{settings.SITE_URL}{action.get_absolute_url()}",
            description=action.description,
        )
        for action in actions
    ]
    today = timezone.localdate()
    due = return_due_date(today.year)
    boards = (
        Board.objects.filter(erm__user=user, status=BoardStatus.ACTIVE).exclude(returns__year=today.year).order_by("pk")
    )
    events += [
        ical.CalendarEvent(
            uid=ical.uid_for(f"return-{today.year}", board.pk),
            summary=f"Index return (Appendix 3) due: {board.title}",
            day=due,
            url=f"{settings.SITE_URL}{reverse('boards:return', args=[board.pk])}",
        )
        for board in boards
    ]
    return events
