"""What boards adds to the home page: the user's boards and the actions they own."""

from __future__ import annotations

from django.db.models import Count, Q, Value
from django.template.loader import render_to_string
from django.utils import timezone

from boards import selectors
from liaison.home import register_home_panel
from liaison.querysets import kept_count, kept_query, scope_key
from liaison.scoping import scope_for

SHOWN = 5


def boards_panel(request) -> str | None:
    """The boards of the user's districts or LA; national roles are pointed at the index instead."""
    scope = scope_for(request.user)
    if scope.national:
        return render_to_string("boards/home/boards.html", {"national": True}, request=request)
    user = request.user
    # Asked on every visit to the home page, with SQL that depends on the user's scope alone: kept compiled.
    key = ("home.boards", scope_key(scope))
    shown = kept_query((*key, SHOWN), lambda: selectors.current_boards(user=user)[:SHOWN]).rows()
    if not shown:
        return None
    total = kept_count(key, lambda: selectors.current_boards(user=user)) if len(shown) == SHOWN else len(shown)
    return render_to_string("boards/home/boards.html", {"boards": shown, "total": total}, request=request)


def actions_panel(request) -> str | None:
    """Open actions the user owns (`selectors.actions_owned`), with how many are overdue."""
    today = timezone.localdate()
    user = request.user
    # As the boards panel's; the actions owned depend on the day too (contacts in post).
    key = ("home.actions", user.pk, scope_key(scope_for(user)), today)
    shown = kept_query(
        (*key, SHOWN), lambda: selectors.actions_owned(user=user).order_by("due_date", "pk")[:SHOWN]
    ).rows()
    if not shown:
        return None
    # Counted only when there may be more than are shown.
    if len(shown) == SHOWN:
        counts = kept_query(
            (*key, "counts"),
            lambda: (
                selectors.actions_owned(user=user)
                .order_by()
                .values(_all=Value(1))
                .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
                .values("total", "overdue")
            ),
        ).rows()[0]
    else:
        counts = {"total": len(shown), "overdue": sum(1 for action in shown if action.due_date < today)}
    return render_to_string("boards/home/actions.html", {"actions": shown, "today": today, **counts}, request=request)


def register() -> None:
    register_home_panel(20, boards_panel, name="boards.boards")
    register_home_panel(21, actions_panel, name="boards.actions")
