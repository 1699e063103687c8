"""What a leaver of this app's work still holds, for the hand-over list (liaison/handover.py)."""

from __future__ import annotations

from django.db.models import Q

from boards import selectors
from boards.models import Board, BoardStatus
from liaison.handover import OpenItem, register_handover


def boards_they_chair(user):
    chaired = Board.objects.filter(Q(jcp_chair__user=user) | Q(la_chair__user=user))
    for board in chaired.exclude(status=BoardStatus.WOUND_UP).order_by("title"):
        yield OpenItem(text=board.title, url=board.get_absolute_url())


def actions_they_own(user):
    for action in selectors.actions_owned(user=user).order_by("due_date", "pk"):
        yield OpenItem(text=f"{action} ({action.board})", url=action.get_absolute_url())


def register() -> None:
    register_handover(20, "Boards they chair", boards_they_chair, name="boards.chairs")
    register_handover(21, "Actions they own", actions_they_own, name="boards.actions")
