"""What escalation adds to the home page: the issues waiting for the user at their level."""

from __future__ import annotations

from django.template.loader import render_to_string

from escalation import selectors
from liaison.home import register_home_panel

SHOWN = 5


def queue_panel(request) -> str | None:
    head = selectors.queue_head(user=request.user, shown=SHOWN)
    if not head:
        return None
    total = head[0][1]
    shown = selectors.list_rows_by_id([pk for pk, _waiting in head])
    selectors.with_due(shown, selectors.level_targets())
    return render_to_string("escalation/home/queue.html", {"issues": shown, "total": total}, request=request)


def register() -> None:
    register_home_panel(10, queue_panel, name="escalation.queue")
