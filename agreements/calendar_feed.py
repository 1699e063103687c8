"""What agreements puts in a person's calendar feed: the documents waiting for their signature, on the day the
reminder would go out."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from agreements.models import DocumentStatus, Side, Signature, SigningDocument
from liaison import calendar, ical
from liaison.models import Role
from liaison.scoping import scope_for


def signatures_due(user) -> list[ical.CalendarEvent]:
    scope = scope_for(user)
    manager_districts = [a.district_id for a in scope.assignments if a.role == Role.DISTRICT_MANAGER]
    la_authorities = [a.local_authority_id for a in scope.assignments if a.role == Role.LA_BENEFITS_MANAGER]
    jcp = Q(board__districts__in=manager_districts) | Q(board__jcp_chair__user=user)
    la = Q(signing_authority__in=la_authorities, board__local_authorities__in=la_authorities)
    documents = (
        SigningDocument.objects.filter(status__in=(DocumentStatus.AWAITING, DocumentStatus.PART_SIGNED))
        .filter(jcp | la)
        .select_related("board", "signing_authority", "board__jcp_chair")
        .prefetch_related(
            "board__districts",
            Prefetch("signatures", queryset=Signature.objects.filter(invalidated_at__isnull=True), to_attr="current"),
        )
        .distinct()
        .order_by("pk")
    )
    events = []
    for document in documents:
        signed = {signature.side for signature in document.current}
        mine = set()
        if document.board.jcp_chair and document.board.jcp_chair.user_id == user.pk:
            mine.add(Side.JCP)
        if document.signing_authority_id in la_authorities:
            mine.add(Side.LA)
        if any(district.pk in manager_districts for district in document.board.districts.all()):
            mine.add(Side.JCP)
        if not (mine - signed):
            continue
        due = calendar.add_working_days(
            timezone.localdate(document.asked_at),
            settings.AGREEMENTS_REMINDER_WORKING_DAYS,
            document.signing_authority.nation,
        )
        events.append(
            ical.CalendarEvent(
                uid=ical.uid_for(f"signature-{document.content_sha256[:12]}", document.pk),
                summary=f"Sign: {document.get_kind_display()} for {document.authorities_label}",
                day=due,
                url=f"{settings.SITE_URL}{document.get_absolute_url()}",
            )
        )
    return events
