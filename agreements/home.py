"""What agreements adds to the home page: the documents waiting for the user's signature."""

from __future__ import annotations

from django.template.loader import render_to_string

from agreements import selectors
from liaison.home import register_home_panel

SHOWN = 5


def signing_panel(request) -> str | None:
    if not selectors.may_hold_a_signature(user=request.user):
        return None
    # Only what the panel names: fewer joins for PostgreSQL to plan on every visit.
    waiting = (
        selectors.awaiting_signature(user=request.user)
        .select_related(None)
        .select_related("board", "signing_authority")
    )
    documents = list(waiting[:SHOWN])
    if not documents:
        return None
    total = waiting.count() if len(documents) == SHOWN else len(documents)
    return render_to_string("agreements/home/signing.html", {"documents": documents, "total": total}, request=request)


def register() -> None:
    register_home_panel(5, signing_panel, name="agreements.signing")
