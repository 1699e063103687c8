"""What a leaver of this app's work still holds, for the hand-over list (liaison/handover.py)."""

from __future__ import annotations

from escalation import selectors
from liaison.handover import OpenItem, register_handover


def issues_at_their_level(user):
    for issue in selectors.my_queue(user=user):
        yield OpenItem(text=str(issue), url=issue.get_absolute_url())


def register() -> None:
    register_handover(10, "Issues at their level", issues_at_their_level, name="escalation.issues")
