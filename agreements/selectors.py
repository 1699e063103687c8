"""Reads of the agreements app, always through what the user may see."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from agreements.models import Agreement, SigningDocument
from boards.models import Board, BoardStatus
from liaison.models import Event


def document_list(*, user) -> QuerySet[SigningDocument]:
    return (
        SigningDocument.objects.filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("agreement", "board", "signing_authority", "review_action__owner")
        .order_by("-period_start", "board__title", "kind", "-version")
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
