"""Reads of the agreements app, always through what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from agreements.models import (
    Acknowledgement,
    Agreement,
    DocumentStatus,
    LocalAgreement,
    LocalAgreementKind,
    LocalAgreementStatus,
    NationalSteer,
    RequestProcedure,
    Side,
    Signature,
    SigningDocument,
)
from boards.models import Board, BoardStatus
from liaison.models import Contact, Event, Role
from liaison.querysets import kept_query
from liaison.scoping import scope_for


def document_list(*, user) -> QuerySet[SigningDocument]:
    return (
        SigningDocument.objects.filter(board__in=Board.objects.visible_to(user).values("pk"))
        .select_related("agreement", "board", "signing_authority", "review_action__owner")
        .order_by("-period_start", "board__title", "kind", "-version")
    )


def may_hold_a_signature(*, user) -> bool:
    """Whether the user holds a role or chair that signs for a side (`awaiting_signature`'s holders): most people
    do not, and one small lookup spares them its query."""
    if scope_for(user).has_role(Role.DISTRICT_MANAGER, Role.LA_BENEFITS_MANAGER):
        return True
    # Asked on every visit to the home page: its SQL (the user's id alone) is kept compiled.
    chairs = kept_query(
        ("signing.chairs", user.pk), lambda: Board.objects.filter(jcp_chair__user_id=user.pk).values_list("pk")[:1]
    )
    return bool(chairs.rows())


def awaiting_signature(*, user) -> QuerySet[SigningDocument]:
    """Documents waiting for this user's signature: `signing.holds_side` for an unsigned side, as one query."""
    current = Signature.objects.filter(document=OuterRef("pk"), invalidated_at__isnull=True)
    # The user's roles as their scope holds them (ids, not subqueries of their role assignments: the home page asks on
    # every visit, and PostgreSQL planned those subqueries for longer than it ran the query).
    assignments = scope_for(user).assignments
    managed_districts = sorted({a.district_id for a in assignments if a.role == Role.DISTRICT_MANAGER})
    managed_authorities = sorted({a.local_authority_id for a in assignments if a.role == Role.LA_BENEFITS_MANAGER})
    manager_boards = Board.districts.through.objects.filter(district_id__in=managed_districts).values("board_id")
    # The boards the user chairs as a subquery, not a join of every document's chair (quicker to plan, and the home
    # page asks on every visit).
    chaired = Board.objects.filter(jcp_chair__in=Contact.objects.filter(user_id=user.pk).values("pk")).values("pk")
    jcp_holder = Q(board__in=chaired) | Q(board__in=manager_boards)
    board_member = Board.local_authorities.through.objects.filter(
        board_id=OuterRef("board_id"), localauthority_id=OuterRef("signing_authority_id")
    )
    la_holder = Q(signing_authority__in=managed_authorities) & Q(Exists(board_member))
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


def readable_agreements(*, user) -> QuerySet[Agreement]:
    """Published agreements for everyone signed in; drafts of a new version only for the national roles preparing it."""
    return Agreement.objects.all() if scope_for(user).national else Agreement.objects.filter(published_on__isnull=False)


def visible_agreements(*, user) -> QuerySet[Agreement]:
    """`readable_agreements` with their last evaluation, for the pages."""
    return agreement_list().filter(pk__in=readable_agreements(user=user).values("pk"))


def current_agreement(today: datetime.date | None = None) -> Agreement | None:
    """The Partnership Agreement in force: the latest one published on or before today."""
    today = today or timezone.localdate()
    # Asked by every board page: its SQL depends on the day alone, so it is kept compiled.
    found = kept_query(
        ("agreements.current", today),
        lambda: Agreement.objects.filter(published_on__isnull=False, published_on__lte=today).order_by(
            "-published_on", "-pk"
        )[:1],
    ).rows()
    return found[0] if found else None


@dataclass(frozen=True)
class Reader:
    contact: Contact
    part: str
    acknowledged_at: datetime.datetime | None


def board_readers(*, board: Board, agreement: Agreement) -> list[Reader]:
    """The board's chairs, secretariat, standing members and its LAs' nominated contacts (PA 1.3, 3.1.2), and when
    each read this version; in two queries whatever the board's size."""
    parts = {
        board.jcp_chair_id: "JCP co-chair",
        board.la_chair_id: "LA co-chair",
        board.jcp_secretariat_id: "JCP secretariat",
        board.la_secretariat_id: "LA secretariat",
    }
    named = tuple(sorted(pk for pk in parts if pk))
    members = Board.members.through.objects.filter(board_id=board.pk).values("contact_id")
    authorities = Board.local_authorities.through.objects.filter(board_id=board.pk).values("localauthority_id")
    today = timezone.localdate()
    # Asked on every visit to a board's page, with SQL that depends on the board, the people it names and the day
    # (`active()`) alone: kept compiled.
    contacts = kept_query(
        ("agreements.board-readers", board.pk, named, today),
        lambda: (
            Contact.objects.active(today)
            .filter(
                Q(pk__in=named)
                | Q(pk__in=members)
                | Q(role__code="nominated-contact", local_authority_id__in=authorities)
            )
            .select_related("role", "user", "local_authority")
            .order_by("name", "pk")
        ),
    ).rows()
    users = tuple(sorted({c.user_id for c in contacts if c.user_id}))
    read = dict(
        kept_query(
            ("agreements.read-by", agreement.pk, users),
            lambda: Acknowledgement.objects.filter(agreement_id=agreement.pk, user_id__in=users).values_list(
                "user_id", "acknowledged_at"
            ),
        ).rows()
    )
    order = {"JCP co-chair": 0, "LA co-chair": 1, "JCP secretariat": 2, "LA secretariat": 3}
    readers = [
        Reader(
            contact=c,
            part=parts.get(c.pk) or ("Nominated contact" if c.role.code == "nominated-contact" else "Standing member"),
            acknowledged_at=read.get(c.user_id) if c.user_id else None,
        )
        for c in contacts
    ]
    return sorted(readers, key=lambda r: (order.get(r.part, 9), r.contact.name))


def local_agreements(*, user) -> QuerySet[LocalAgreement]:
    """Local agreements of the boards the user sees (members read the register)."""
    return LocalAgreement.objects.filter(board__in=Board.objects.visible_to(user).values("pk"))


def board_register(*, board: Board) -> QuerySet[LocalAgreement]:
    return (
        LocalAgreement.objects.filter(board=board)
        .select_related("agreed_at")
        .prefetch_related("local_authorities", "districts")
        .order_by("kind", "title", "-version")
    )


def procedures_in_force(*, user, authority=None, district=None) -> QuerySet[RequestProcedure]:
    """The agreed information request procedures covering an LA or a district: how staff there ask (PA 3.1.2)."""
    agreements = local_agreements(user=user).filter(
        kind=LocalAgreementKind.INFORMATION_REQUESTS, status=LocalAgreementStatus.AGREED
    )
    if authority is not None:
        agreements = agreements.filter(local_authorities=authority)
    if district is not None:
        agreements = agreements.filter(districts=district)
    return (
        RequestProcedure.objects.filter(local_agreement__in=agreements.values("pk"))
        .select_related("local_agreement__board")
        .order_by("local_agreement__board__title", "request_kind", "pk")
    )


def latest_national_steer() -> NationalSteer | None:
    return NationalSteer.objects.select_related("published_by").first()
