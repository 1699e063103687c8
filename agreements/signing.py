"""The signing state machine and every guard on it, in one place.

States: awaiting -> part-signed -> sealed; a sealed document is final; a new version supersedes it. Only the
holder of a role signs for a side: the JCP Joint Board chair (the board's JCP co-chair's linked user, or a District
Manager of one of the board's districts) and the LA Benefits Manager of the signing LA (PA 5.2). One person never
signs for both sides.

The End of Year statement is chosen before signing, on the document page, by either signer (services
`document_statement_choose`, guarded by `check_can_choose` and `statement_choice`): choosing it rebuilds the text, and
only a text with a chosen statement can be signed, so each signer signs exactly the text the page showed them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from agreements.models import DocumentKind, DocumentStatus, Side, SigningDocument, YearStatement
from boards.models import Board
from boards.rights import board_rights
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
    return board_rights(user, board).edit


def can_evaluate(user) -> bool:
    """The evaluation every 12 months is led nationally by the Partnerships Division (PA 5.4)."""
    return scope_for(user).national


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


def check_can_sign(user, document: SigningDocument, side: str, current: dict[str, int]) -> None:
    """Raise unless `user` may sign `document` for `side` now; `current` maps each signed side to its signer."""
    if document.status in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED):
        raise ValidationError("This document is final: it can no longer be signed. A change needs a new version.")
    if not holds_side(user, document, side):
        raise PermissionDenied("Only the person holding this role for the board and Local Authority can sign here.")
    if side in current:
        raise ValidationError("This side has already signed this version of the document.")
    if user.pk in current.values():
        raise ValidationError("You have signed this document for the other side: the other party signs here.")
    if document.kind == DocumentKind.END_OF_YEAR and not document.statement:
        raise ValidationError("Choose the statement first: it becomes part of the text you sign.")


def side_to_sign(user, document: SigningDocument, current: dict[str, int]) -> str | None:
    """The side `user` may sign now (the one `check_can_sign` lets through but for the statement), or None."""
    if document.status in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED) or user.pk in current.values():
        return None
    return next((side for side in sides_for(user, document) if side not in current), None)


def statement_missing(document: SigningDocument) -> bool:
    """An End of Year Sign-off is signed only once a statement is part of its text."""
    return document.kind == DocumentKind.END_OF_YEAR and not document.statement


def can_choose(user, document: SigningDocument) -> bool:
    """Either signer of an End of Year Sign-off that is not final may choose (or change) its statement."""
    return (
        document.kind == DocumentKind.END_OF_YEAR
        and document.status not in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED)
        and bool(sides_for(user, document))
    )


def check_can_choose(user, document: SigningDocument) -> None:
    """Raise unless `user` may choose the End of Year statement of `document` now."""
    if document.kind != DocumentKind.END_OF_YEAR:
        raise ValidationError({"statement": "A Statement of Intent has no end of year statement."})
    if document.status in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED):
        raise ValidationError("This document is final: its statement no longer changes. A change needs a new version.")
    if not sides_for(user, document):
        raise PermissionDenied("Only the signers of this document choose its statement.")


NOT_MET_REASON_MAX = 1000


def statement_choice(document: SigningDocument, statement: str, reason: str) -> tuple[str, str, bool]:
    """Check a chosen End of Year statement; return it, its cleaned reason and whether it changes the text.

    The signers choose one of the three statements of the form (annex 3) before signing: the preparer does not.
    Either signer chooses it (with a short reason when "not met"); the statement and the reason become part of the
    text and its SHA-256, and the page shows that text before anyone signs it. A signer who disagrees with the
    statement chosen may change it, which changes the text: as with any change, a signature already made no longer
    applies, and its signer is told (on the document page and by an alert) and asked to sign the new text, or to
    change it in turn.
    """
    if statement not in YearStatement.values:
        raise ValidationError({"statement": "Choose one of the three statements"})
    reason = (reason or "").strip() if statement == YearStatement.NOT_MET else ""
    if statement == YearStatement.NOT_MET and not reason:
        raise ValidationError({"not_met_reason": "Say briefly why the aims, objectives and standards were not met"})
    if len(reason) > NOT_MET_REASON_MAX:
        raise ValidationError({"not_met_reason": f"The reason must be {NOT_MET_REASON_MAX} characters or fewer"})
    return statement, reason, (statement, reason) != (document.statement, document.not_met_reason)


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


# Local agreements (PA 3.1.6, 3.2.5): proposed -> agreed (only at a held meeting) -> superseded by the next version
# agreed, or withdrawn. Members read the register; the ERM and the board's secretariat keep it; GPT everything.

LOCAL_TRANSITIONS = {
    "proposed": {"agreed", "withdrawn"},
    "agreed": {"superseded", "withdrawn"},
    "superseded": set(),
    "withdrawn": set(),
}


def can_keep_register(user, board: Board) -> bool:
    """The board's ERM (or Regional ERM, administrators), GPT, and the users of its co-chairs and secretariat
    contacts (G Appendix 1: "joint chairs to provide secretariat support")."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # Its secretariat: its editors and the users of its co-chairs and secretariat contacts in post.
    return scope_for(user).national or board_rights(user, board).secretariat


def check_can_keep_register(user, board: Board) -> None:
    if not can_keep_register(user, board):
        raise PermissionDenied(
            "Only the board's ERM, its co-chairs and secretariat, or the Governmental Partnerships Team keep its local "
            "agreements."
        )


def check_local_transition(current: str, target: str) -> None:
    if target not in LOCAL_TRANSITIONS[current]:
        raise ValidationError(f"A {current} local agreement cannot become {target}.")
