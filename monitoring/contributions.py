"""What monitoring adds to the Joint Boards' pages, through the extension points `boards` offers."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from boards.panels import register_board_panel
from monitoring.models import Plan, period_start
from monitoring.querysets import monitorable_boards

PANEL_ORDER = 20


def monitoring_panel(request, board) -> str:
    start = period_start(timezone.localdate())
    plan = Plan.objects.filter(board=board, period_start=start).first()
    return render_to_string(
        "monitoring/_board_panel.html",
        {
            "board": board,
            "plan": plan,
            "areas": plan.areas.count() if plan else 0,
            "can_monitor": monitorable_boards(request.user).filter(pk=board.pk).exists(),
        },
        request=request,
    )


def register() -> None:
    register_board_panel(PANEL_ORDER, monitoring_panel, name="monitoring")
