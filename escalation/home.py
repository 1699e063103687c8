"""What escalation adds to the home page: the issues waiting for the user at their level."""

from __future__ import annotations

from django.db.models import Count, Window
from django.template.loader import render_to_string

from escalation import selectors
from liaison.home import register_home_panel
from liaison.querysets import kept_query, scope_key
from liaison.scoping import scope_for

SHOWN = 5


def queue_panel(request) -> str | None:
    user = request.user
    # Asked on every visit to the home page, with SQL that depends on the user and their scope alone: kept.
    key = ("home.queue", user.pk, scope_key(scope_for(user)), "rows", SHOWN)
    # How many wait in all comes with the rows shown (a window over the queue, counted before the limit): one query.
    shown = kept_query(key, lambda: selectors.my_queue(user=user).annotate(waiting=Window(Count("*")))[:SHOWN]).rows()
    if not shown:
        return None
    selectors.with_due(shown, selectors.level_targets())
    total = shown[0].waiting
    return render_to_string("escalation/home/queue.html", {"issues": shown, "total": total}, request=request)


def register() -> None:
    register_home_panel(10, queue_panel, name="escalation.queue")
