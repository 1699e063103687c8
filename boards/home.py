"""What boards adds to the home page: the user's boards and the actions they own."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from boards import selectors
from liaison.home import register_home_panel
from liaison.scoping import scope_for

SHOWN = 5


def boards_panel(request) -> str | None:
    """The boards of the user's districts or LA; national roles are pointed at the index instead."""
    scope = scope_for(request.user)
    if scope.national:
        return render_to_string("boards/home/boards.html", {"national": True}, request=request)
    boards = selectors.current_boards(user=request.user)
    shown = list(boards[:SHOWN])
    if not shown:
        return None
    total = boards.count() if len(shown) == SHOWN else len(shown)
    return render_to_string("boards/home/boards.html", {"boards": shown, "total": total}, request=request)


def actions_panel(request) -> str | None:
    """Open actions the user owns (`selectors.actions_owned`), with how many are overdue."""
    today = timezone.localdate()
    mine = selectors.actions_owned(user=request.user)
    shown = list(mine.order_by("due_date", "pk")[:SHOWN])
    if not shown:
        return None
    # Counted only when there may be more than are shown.
    if len(shown) == SHOWN:
        counts = mine.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    else:
        counts = {"total": len(shown), "overdue": sum(1 for action in shown if action.due_date < today)}
    return render_to_string("boards/home/actions.html", {"actions": shown, "today": today, **counts}, request=request)


def register() -> None:
    register_home_panel(20, boards_panel, name="boards.boards")
    register_home_panel(21, actions_panel, name="boards.actions")
