"""What a leaver of this app's work still holds, for the hand-over list (liaison/handover.py)."""

from __future__ import annotations

from agreements import selectors
from liaison.handover import OpenItem, register_handover


def documents_awaiting_their_signature(user):
    for document in selectors.awaiting_signature(user=user):
        yield OpenItem(text=str(document), url=document.get_absolute_url())


def register() -> None:
    register_handover(30, "Documents awaiting their signature", documents_awaiting_their_signature, name="agreements")
