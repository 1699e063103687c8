"""Writing domain events: the append-only record the timeline and audit pages read."""

from __future__ import annotations

from django.db import models

from liaison.models import Event


def event_build(
    *,
    kind: str,
    summary: str,
    actor=None,
    subject: models.Model | None = None,
    district_id: int | None = None,
    local_authority_id: int | None = None,
    data: dict | None = None,
) -> Event:
    """An event not yet saved, for `events_record` to write many at once."""
    return Event(
        kind=kind,
        summary=summary[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        district_id=district_id,
        local_authority_id=local_authority_id,
        data=data or {},
    )


def events_record(events: list[Event]) -> None:
    """Write many events in a few statements (a scan raising or clearing thousands of alerts)."""
    Event.objects.bulk_create(events, batch_size=1000)


def event_record(
    *,
    kind: str,
    summary: str,
    actor=None,
    subject: models.Model | None = None,
    district=None,
    local_authority=None,
    data: dict | None = None,
) -> Event:
    return Event.objects.create(
        kind=kind,
        summary=summary[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        district=district,
        local_authority=local_authority,
        data=data or {},
    )
