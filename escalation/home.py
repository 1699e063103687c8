"""What escalation adds to the home page: the issues waiting for the user at their level."""

from __future__ import annotations

from django.template.loader import render_to_string

from escalation import selectors
from liaison.home import register_home_panel

SHOWN = 5


def queue_panel(request) -> str | None:
    waiting = selectors.my_queue(user=request.user)
    shown = list(waiting[:SHOWN])
    if not shown:
        return None
    selectors.with_due(shown, selectors.level_targets())
    # Counted only when there may be more than are shown.
    total = waiting.count() if len(shown) == SHOWN else len(shown)
    return render_to_string("escalation/home/queue.html", {"issues": shown, "total": total}, request=request)


def register() -> None:
    register_home_panel(10, queue_panel, name="escalation.queue")
