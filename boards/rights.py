"""What a user may do with one board, worked out from the board's own districts, LAs and co-chairs.

The same rules as `Board.objects.editable_by`, `secretariat_of` and `member_of` (tests/boards/test_rights.py holds
them equal for every role, on boards of every shape), for one board at a time: the board page and its panels ask
them half a dozen times, and the page already holds the board's districts and LAs (prefetched), so the answers
cost at most one query (whether the user is one of its co-chairs or secretariat), and they are kept on the board
object for the rest of the request. A view that changes who chairs a board redirects, so the next request reads
the board afresh."""

from __future__ import annotations

from dataclasses import dataclass

from boards.models import Board
from liaison.models import Contact
from liaison.scoping import scope_for


@dataclass(frozen=True)
class BoardRights:
    # The board's district ERM(s), the Regional ERM of its region, administrators (`editable_by`).
    edit: bool
    # Its editors and the users of its co-chairs and secretariat contacts in post (`secretariat_of`).
    secretariat: bool
    # Those of its districts and LAs, and its secretariat (`member_of`).
    member: bool


def board_rights(user, board: Board) -> BoardRights:
    if not getattr(user, "is_authenticated", False) or board.pk is None:
        return BoardRights(edit=False, secretariat=False, member=False)
    kept = board.__dict__.setdefault("_rights", {})
    if user.pk not in kept:
        kept[user.pk] = _work_out(user, board)
    return kept[user.pk]


def _work_out(user, board: Board) -> BoardRights:
    scope = scope_for(user)
    district_ids = {district.pk for district in board.districts.all()}
    edit = bool(district_ids & scope.editable_district_ids)
    people = [board.jcp_chair_id, board.la_chair_id, board.jcp_secretariat_id, board.la_secretariat_id]
    secretariat = edit or Contact.objects.active().filter(pk__in=[p for p in people if p], user_id=user.pk).exists()
    member = (
        secretariat
        or bool(district_ids & scope.district_ids)
        or any(authority.pk in scope.authority_ids for authority in board.local_authorities.all())
    )
    return BoardRights(edit=edit, secretariat=secretariat, member=member)
