"""Reads of the agreements app, always through what the user may see."""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from agreements.models import Agreement, DocumentStatus, Side, Signature, SigningDocument
from boards.models import Board, BoardStatus
from liaison.models import Event, Role, RoleAssignment


def document_list(*, user) -> QuerySet[SigningDocument]:
    return (
        SigningDocument.objects.filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("agreement", "board", "signing_authority", "review_action__owner")
        .order_by("-period_start", "board__title", "kind", "-version")
    )


def awaiting_signature(*, user) -> QuerySet[SigningDocument]:
    """Documents waiting for this user's signature: `signing.holds_side` for an unsigned side, as one query."""
    current = Signature.objects.filter(document=OuterRef("pk"), invalidated_at__isnull=True)
    roles = RoleAssignment.objects.filter(user=user)
    manager_boards = Board.districts.through.objects.filter(
        district_id__in=roles.filter(role=Role.DISTRICT_MANAGER).values("district_id")
    ).values("board_id")
    jcp_holder = Q(board__jcp_chair__user=user) | Q(board__in=manager_boards)
    board_member = Board.local_authorities.through.objects.filter(
        board_id=OuterRef("board_id"), localauthority_id=OuterRef("signing_authority_id")
    )
    la_holder = Q(signing_authority__in=roles.filter(role=Role.LA_BENEFITS_MANAGER).values("local_authority_id")) & Q(
        Exists(board_member)
    )
    return (
        document_list(user=user)
        .filter(status__in=[DocumentStatus.AWAITING, DocumentStatus.PART_SIGNED])
        .filter(
            (jcp_holder & ~Q(Exists(current.filter(side=Side.JCP))))
            | (la_holder & ~Q(Exists(current.filter(side=Side.LA))))
        )
        # One person never signs for both sides.
        .exclude(Exists(current.filter(signer=user)))
        .order_by("asked_at", "pk")
    )


def agreement_list() -> QuerySet[Agreement]:
    """The Partnership Agreements (national documents every signed-in user may read) and their last evaluation."""
    return Agreement.objects.annotate(
        last_evaluated=Max("evaluations__evaluated_on"), evaluations_count=Count("evaluations")
    )


def boards_to_prepare_for(*, user) -> QuerySet[Board]:
    """Boards the user prepares documents for (`signing.can_prepare`, as one query)."""
    return Board.objects.editable_by(user).exclude(status=BoardStatus.WOUND_UP).order_by("title")


def document_events(document: SigningDocument) -> QuerySet[Event]:
    return (
        Event.objects.filter(subject_type=document._meta.label_lower, subject_id=document.pk)
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )


def event_hashes(event: Event) -> list[tuple[str, str]]:
    """The hashes an audit event carries (text signed, new text, PDF), labelled for the audit table."""
    labels = {"sha256": "text", "signed_sha256": "text signed", "new_sha256": "new text", "pdf_sha256": "PDF"}
    return [(label, event.data[key]) for key, label in labels.items() if event.data.get(key)]
