"""The signing state machine and every guard on it, in one place.

States: awaiting -> part-signed -> sealed; a sealed document is final; a new version supersedes it. Only the
holder of a role signs for a side: the JCP Joint Board chair (the board's JCP co-chair's linked user, or a District
Manager of one of the board's districts) and the LA Benefits Manager of the signing LA (PA 5.2).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from agreements.models import DocumentStatus, Side, SigningDocument
from boards.models import Board
from liaison.models import Role, RoleAssignment
from liaison.scoping import scope_for

TRANSITIONS = {
    DocumentStatus.AWAITING: {DocumentStatus.PART_SIGNED, DocumentStatus.SUPERSEDED},
    DocumentStatus.PART_SIGNED: {DocumentStatus.AWAITING, DocumentStatus.SEALED, DocumentStatus.SUPERSEDED},
    DocumentStatus.SEALED: {DocumentStatus.SUPERSEDED},
    DocumentStatus.SUPERSEDED: set(),
}


def can_view(user, document: SigningDocument) -> bool:
    return Board.objects.visible_to(user).filter(pk=document.board_id).exists()


def can_prepare(user, board: Board) -> bool:
    """The board's district ERM, the Regional ERM and administrators prepare documents for signing."""
    return Board.objects.editable_by(user).filter(pk=board.pk).exists()


def holds_side(user, document: SigningDocument, side: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    board = document.board
    if side == Side.JCP:
        if board.jcp_chair_id and board.jcp_chair.user_id == user.pk:
            return True
        return RoleAssignment.objects.filter(
            user=user, role=Role.DISTRICT_MANAGER, district__in=board.districts.all()
        ).exists()
    if side == Side.LA:
        if not board.local_authorities.filter(pk=document.signing_authority_id).exists():
            return False
        return RoleAssignment.objects.filter(
            user=user, role=Role.LA_BENEFITS_MANAGER, local_authority_id=document.signing_authority_id
        ).exists()
    return False


def sides_for(user, document: SigningDocument) -> list[str]:
    return [side for side in (Side.JCP, Side.LA) if holds_side(user, document, side)]


def can_edit(user, document: SigningDocument) -> bool:
    """Before it is sealed, the preparers and either signer may correct the document (which voids signatures)."""
    return can_prepare(user, document.board) or bool(sides_for(user, document)) or scope_for(user).admin


def check_can_sign(user, document: SigningDocument, side: str, current_sides: set[str]) -> None:
    """Raise unless `user` may sign `document` for `side` now."""
    if document.status in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED):
        raise ValidationError("This document is final: it can no longer be signed. A change needs a new version.")
    if not holds_side(user, document, side):
        raise PermissionDenied("Only the person holding this role for the board and Local Authority can sign here.")
    if side in current_sides:
        raise ValidationError("This side has already signed this version of the document.")
    if document.kind == "end-of-year" and not document.statement:
        raise ValidationError("Choose one of the three statements before signing.")


def status_after(document: SigningDocument, signed_sides: set[str]) -> str:
    if document.status == DocumentStatus.SUPERSEDED:
        return DocumentStatus.SUPERSEDED
    if signed_sides >= {Side.JCP, Side.LA}:
        return DocumentStatus.SEALED
    return DocumentStatus.PART_SIGNED if signed_sides else DocumentStatus.AWAITING


def check_transition(current: str, new: str) -> None:
    if current != new and new not in TRANSITIONS[current]:
        raise ValidationError(f"A document cannot go from {current} to {new}.")


def check_editable(document: SigningDocument) -> None:
    if document.status in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED):
        raise ValidationError("A signed and sealed document is never edited: prepare a new version instead.")
