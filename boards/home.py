"""What boards adds to the home page: the user's boards and the actions they own."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from boards.models import Action, Board, BoardStatus
from liaison.home import register_home_panel
from liaison.models import Contact
from liaison.scoping import scope_for

SHOWN = 5


def boards_panel(request) -> str | None:
    """The boards of the user's districts or LA; national roles are pointed at the index instead."""
    scope = scope_for(request.user)
    if scope.national:
        return render_to_string("boards/home/boards.html", {"national": True}, request=request)
    boards = Board.objects.visible_to(request.user).exclude(status=BoardStatus.WOUND_UP)
    shown = list(boards.order_by("title")[:SHOWN])
    if not shown:
        return None
    return render_to_string("boards/home/boards.html", {"boards": shown, "total": boards.count()}, request=request)


def actions_panel(request) -> str | None:
    """Open actions the user owns, through a contact record linked to them that is still in post."""
    today = timezone.localdate()
    mine = (
        Action.objects.visible_to(request.user)
        .open()
        .filter(owner__in=Contact.objects.active().filter(user=request.user).values("pk"))
    )
    counts = mine.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    if not counts["total"]:
        return None
    shown = list(mine.select_related("board").order_by("due_date", "pk")[:SHOWN])
    return render_to_string("boards/home/actions.html", {"actions": shown, "today": today, **counts}, request=request)


def register() -> None:
    register_home_panel(20, boards_panel, name="boards.boards")
    register_home_panel(21, actions_panel, name="boards.actions")
