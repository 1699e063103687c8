"""What agreements adds to the home page: the documents waiting for the user's signature."""

from __future__ import annotations

from django.template.loader import render_to_string

from agreements import selectors
from liaison.home import register_home_panel
from liaison.querysets import kept_count, kept_query, scope_key
from liaison.scoping import scope_for

SHOWN = 5
# What the panel shows of each document (its text and sealed PDF are not read).
PANEL_COLUMNS = (
    "pk",
    "kind",
    "on_behalf_of_all",
    "period_start",
    "period_end",
    "version",
    "status",
    "asked_at",
    "board__title",
    "signing_authority__name",
)


def signing_panel(request) -> str | None:
    user = request.user
    if not selectors.may_hold_a_signature(user=user):
        return None

    # Only what the panel names: fewer joins for PostgreSQL to plan on every visit. Its SQL depends on the user and
    # their scope alone, so it is kept compiled.
    def waiting():
        return (
            selectors.awaiting_signature(user=user)
            .select_related(None)
            .select_related("board", "signing_authority")
            .only(*PANEL_COLUMNS)
        )

    key = ("home.signing", user.pk, scope_key(scope_for(user)))
    documents = kept_query((*key, SHOWN), lambda: waiting()[:SHOWN]).rows()
    if not documents:
        return None
    total = kept_count(key, waiting) if len(documents) == SHOWN else len(documents)
    return render_to_string("agreements/home/signing.html", {"documents": documents, "total": total}, request=request)


def register() -> None:
    register_home_panel(5, signing_panel, name="agreements.signing")
