"""Reads of the agreements app, always through what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from agreements.models import SigningDocument
from boards.models import Board
from liaison.models import Event


def document_list(*, user) -> QuerySet[SigningDocument]:
    return (
        SigningDocument.objects.filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("agreement", "board", "signing_authority")
        .order_by("-period_start", "board__title", "kind", "-version")
    )


def document_events(document: SigningDocument) -> QuerySet[Event]:
    return (
        Event.objects.filter(subject_type=document._meta.label_lower, subject_id=document.pk)
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
