"""What monitoring adds to the Joint Boards' pages, through the extension points `boards` offers."""

from __future__ import annotations

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from boards.panels import register_board_panel
from liaison.querysets import kept_query, scope_key
from liaison.scoping import scope_for
from monitoring.models import Plan, period_start
from monitoring.querysets import monitorable_boards

PANEL_ORDER = 20


def monitoring_panel(request, board) -> str:
    start = period_start(timezone.localdate())
    user = request.user
    # Asked on every visit to a board's page, with SQL that depends on the board, the period and (whether the user
    # may monitor it) the user's scope alone: kept compiled. The plan comes with how many areas it has.
    plans = kept_query(
        ("monitoring.board-plan", board.pk, start),
        lambda: (
            Plan.objects.filter(board_id=board.pk, period_start=start)
            .annotate(area_count=Count("areas"))
            .order_by("pk")[:1]
        ),
    ).rows()
    plan = plans[0] if plans else None
    may_monitor = kept_query(
        ("monitoring.board-monitorable", board.pk, scope_key(scope_for(user))),
        lambda: monitorable_boards(user).filter(pk=board.pk).values_list("pk", flat=True)[:1],
    ).rows()
    return render_to_string(
        "monitoring/_board_panel.html",
        {"board": board, "plan": plan, "areas": plan.area_count if plan else 0, "can_monitor": bool(may_monitor)},
        request=request,
    )


def register() -> None:
    register_board_panel(PANEL_ORDER, monitoring_panel, name="monitoring")
