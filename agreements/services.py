"""Every write of the agreements app. Signing locks the document row (`select_for_update`) so that two signers
finishing together seal it once."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements import signing
from agreements.models import (
    END_OF_YEAR_TEXT,
    STATEMENT_OF_INTENT_TEXT,
    YEAR_STATEMENT_TEXTS,
    Agreement,
    DocumentKind,
    DocumentStatus,
    Evaluation,
    Side,
    Signature,
    SigningDocument,
    YearStatement,
    content_hash,
)
from agreements.seal import seal_check, seal_pdf
from boards.models import Board, Meeting, MeetingStatus
from liaison.events import event_record
from liaison.models import Event, LocalAuthority
from liaison.pdf import render_pdf
from liaison.scoping import scope_for


def _district(document: SigningDocument):
    return document.board.districts.order_by("name").first()


def _record(kind: str, summary: str, document: SigningDocument, actor=None, **data) -> None:
    event_record(
        kind=f"agreement.{kind}",
        summary=summary,
        actor=actor,
        subject=document,
        district=_district(document),
        local_authority=document.signing_authority,
        data={"version": document.version, **data},
    )


def document_text(document: SigningDocument, authorities: list[LocalAuthority]) -> str:
    """The exact text of the form as signed: what the hash covers."""
    names = ", ".join(a.name for a in authorities)
    if document.on_behalf_of_all:
        la_line = (
            f"Name of Local Authority: {document.signing_authority.name}, signing on behalf of all LAs in "
            f"{document.board.title}: {names}"
        )
    else:
        la_line = f"Name of Local Authority: {names}"
    period = f"To cover period: April {document.period_start:%Y} to March {document.period_end:%Y}"
    header = (
        f"{document.agreement.title} ({document.agreement.version})\n"
        f"{la_line}\n"
        f"Name of Benefit Delivery Centre and/or District: {document.delivery_centre}\n"
        f"{period}\n"
        f"Version of this document: {document.version}\n\n"
    )
    if document.kind == DocumentKind.STATEMENT_OF_INTENT:
        return header + f"Effective Partnership Statement of Intent\n\n\u201c{STATEMENT_OF_INTENT_TEXT}\u201d\n"
    statement = (
        YEAR_STATEMENT_TEXTS[YearStatement(document.statement)] if document.statement else "(no statement chosen yet)"
    )
    text = (
        header
        + f"Effective Partnership End of Year Sign-off Statement\n\n\u201c{END_OF_YEAR_TEXT}\n\n{statement}\u201d\n"
    )
    if document.statement == YearStatement.NOT_MET:
        text += f"\nWhy not met: {document.not_met_reason}\n"
    return text


def _covered(board: Board, signing_authority: LocalAuthority, on_behalf_of_all: bool) -> list[LocalAuthority]:
    if on_behalf_of_all:
        return list(board.local_authorities.order_by("name"))
    return [signing_authority]


@transaction.atomic
def agreement_create(
    *, actor, version: str, title: str, period_start: datetime.date, period_end: datetime.date
) -> Agreement:
    if not scope_for(actor).admin and not scope_for(actor).national:
        raise PermissionDenied("Only national roles record Partnership Agreements.")
    agreement = Agreement(version=version, title=title, period_start=period_start, period_end=period_end)
    agreement.full_clean()
    agreement.save()
    event_record(
        kind="agreement.created", summary=f"Partnership Agreement {title} {version}", actor=actor, subject=agreement
    )
    return agreement


@transaction.atomic
def evaluation_record(*, actor, agreement: Agreement, evaluated_on: datetime.date, notes: str = "") -> Evaluation:
    if not scope_for(actor).national:
        raise PermissionDenied("The evaluation is led nationally (PA 5.4).")
    evaluation = Evaluation.objects.create(
        agreement=agreement, evaluated_on=evaluated_on, notes=notes, recorded_by=actor
    )
    event_record(
        kind="agreement.evaluated",
        summary=f"{agreement} evaluated on {evaluated_on:%-d %B %Y}",
        actor=actor,
        subject=agreement,
    )
    return evaluation


def _clean_statement(kind: str, statement: str, reason: str) -> None:
    if kind == DocumentKind.STATEMENT_OF_INTENT and statement:
        raise ValidationError({"statement": "A Statement of Intent has no end of year statement."})
    if statement == YearStatement.NOT_MET and not reason.strip():
        raise ValidationError({"not_met_reason": "Say briefly why the aims, objectives and standards were not met"})


@transaction.atomic
def document_prepare(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    board: Board,
    signing_authority: LocalAuthority,
    delivery_centre: str,
    period_start: datetime.date,
    period_end: datetime.date,
    on_behalf_of_all: bool = False,
    statement: str = "",
    not_met_reason: str = "",
) -> SigningDocument:
    if not signing.can_prepare(actor, board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) prepares documents for signing.")
    if not board.local_authorities.filter(pk=signing_authority.pk).exists():
        raise ValidationError({"signing_authority": "Choose a Local Authority of this Joint Board"})
    _clean_statement(kind, statement, not_met_reason)
    document = SigningDocument(
        agreement=agreement,
        kind=kind,
        board=board,
        signing_authority=signing_authority,
        on_behalf_of_all=on_behalf_of_all,
        delivery_centre=delivery_centre,
        period_start=period_start,
        period_end=period_end,
        statement=statement,
        not_met_reason=not_met_reason if statement == YearStatement.NOT_MET else "",
        prepared_by=actor,
    )
    authorities = _covered(board, signing_authority, on_behalf_of_all)
    document.content = document_text(document, authorities)
    document.content_sha256 = content_hash(document.content)
    document.full_clean()
    document.save()
    document.covered_authorities.set(authorities)
    _record("prepared", f"{document} prepared for signing", document, actor, sha256=document.content_sha256)
    return document


def _current_signatures(document: SigningDocument):
    return document.signatures.filter(invalidated_at__isnull=True)


@transaction.atomic
def document_update(
    *,
    actor,
    document: SigningDocument,
    delivery_centre: str | None = None,
    statement: str | None = None,
    not_met_reason: str | None = None,
) -> SigningDocument:
    """Correct a document before it is sealed. Signatures over the old text no longer apply."""
    document = SigningDocument.objects.select_for_update().get(pk=document.pk)
    if not signing.can_edit(actor, document):
        raise PermissionDenied("You cannot change this document.")
    signing.check_editable(document)
    if delivery_centre is not None:
        document.delivery_centre = delivery_centre
    if statement is not None:
        document.statement = statement
    if not_met_reason is not None:
        document.not_met_reason = not_met_reason
    if document.statement != YearStatement.NOT_MET:
        document.not_met_reason = ""
    _clean_statement(document.kind, document.statement, document.not_met_reason)
    document.content = document_text(document, list(document.covered_authorities.order_by("name")))
    document.content_sha256 = content_hash(document.content)
    now = timezone.now()
    for signature in _current_signatures(document).exclude(content_sha256=document.content_sha256):
        signature.invalidated_at = now
        signature.save(update_fields=["invalidated_at"])
        _record(
            "invalidated",
            f"{signature.printed_name}'s signature no longer applies: the document changed",
            document,
            actor,
            signer=signature.signer_id,
            signed_sha256=signature.content_sha256,
            new_sha256=document.content_sha256,
        )
    new_status = signing.status_after(document, set(_current_signatures(document).values_list("side", flat=True)))
    signing.check_transition(document.status, new_status)
    document.status = new_status
    document.asked_at = now
    document.full_clean()
    document.save()
    _record("changed", f"{document} changed", document, actor, sha256=document.content_sha256)
    return document


def document_viewed(*, actor, document: SigningDocument) -> None:
    """Record once per person and text that they were shown this exact text."""
    already = Event.objects.filter(
        kind="agreement.viewed",
        subject_type=document._meta.label_lower,
        subject_id=document.pk,
        actor=actor,
        data__sha256=document.content_sha256,
    ).exists()
    if not already:
        _record(
            "viewed",
            f"{actor.get_full_name() or actor.username} viewed the text",
            document,
            actor,
            sha256=document.content_sha256,
        )


@transaction.atomic
def document_sign(
    *,
    actor,
    document: SigningDocument,
    side: str,
    password: str,
    printed_name: str,
    declaration: bool,
    shown_sha256: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    document = (
        SigningDocument.objects.select_for_update().select_related("board", "signing_authority").get(pk=document.pk)
    )
    current = set(_current_signatures(document).values_list("side", flat=True))
    signing.check_can_sign(actor, document, side, current)
    if shown_sha256 != document.content_sha256:
        raise ValidationError("The document changed since you opened it: read the new text, then sign again.")
    if not actor.check_password(password):
        raise ValidationError({"password": "The password is not right"})
    if not printed_name.strip():
        raise ValidationError({"printed_name": "Type your name in capitals as it should be printed"})
    if not declaration:
        raise ValidationError({"declaration": "Confirm that you have read the text and sign it"})
    signature = Signature.objects.create(
        document=document,
        side=side,
        signer=actor,
        printed_name=printed_name.strip()[:200],
        ip_address=ip_address or None,
        user_agent=user_agent[:500],
        content_sha256=document.content_sha256,
    )
    _record(
        "signed",
        f"Signed by {signature.printed_name} for {Side(side).label}",
        document,
        actor,
        sha256=signature.content_sha256,
        ip=ip_address or "",
        user_agent=user_agent[:200],
    )
    new_status = signing.status_after(document, current | {side})
    signing.check_transition(document.status, new_status)
    if new_status == DocumentStatus.SEALED:
        _seal(document)
    else:
        document.status = new_status
        document.save(update_fields=["status"])
    return signature


def _seal(document: SigningDocument) -> None:
    now = timezone.now()
    signatures = list(_current_signatures(document).select_related("signer"))
    events = list(
        Event.objects.filter(subject_type=document._meta.label_lower, subject_id=document.pk)
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
    pdf = render_pdf(
        "agreements/document_pdf.html",
        {"document": document, "signatures": signatures, "events": events, "sealed_at": now},
    )
    sealed = seal_pdf(pdf, reason=f"Liaison agreement record {document.pk} version {document.version}")
    document.sealed_pdf = sealed
    document.sealed_pdf_sha256 = hashlib.sha256(sealed).hexdigest()
    document.sealed_at = now
    document.status = DocumentStatus.SEALED
    document.save(update_fields=["sealed_pdf", "sealed_pdf_sha256", "sealed_at", "status"])
    _record(
        "sealed",
        f"{document} signed by both and sealed",
        document,
        None,
        pdf_sha256=document.sealed_pdf_sha256,
        sha256=document.content_sha256,
    )
    if document.statement == YearStatement.NOT_MET:
        _open_review(document)


def _open_review(document: SigningDocument) -> None:
    """ "Not met": the board reviews its arrangements; the item goes on the agenda of its next meeting."""
    from boards.services import agenda_item_add

    meeting = (
        Meeting.objects.filter(board=document.board, status=MeetingStatus.SCHEDULED, date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )
    if meeting is not None:
        agenda_item_add(
            meeting=meeting,
            title="Review of partnership arrangements (End of Year Sign-off: not met)",
            body=document.not_met_reason,
            source="agreements",
        )
    document.review_opened = True
    document.save(update_fields=["review_opened"])
    _record(
        "review-opened",
        f"{document.board.title}: review of partnership arrangements opened",
        document,
        None,
        meeting=meeting.pk if meeting else None,
    )


@transaction.atomic
def document_new_version(*, actor, document: SigningDocument) -> SigningDocument:
    """A sealed document never changes: a change is a new version that needs signing again."""
    old = SigningDocument.objects.select_for_update().get(pk=document.pk)
    if not signing.can_prepare(actor, old.board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) prepares documents for signing.")
    if old.status == DocumentStatus.SUPERSEDED:
        raise ValidationError("This document already has a newer version.")
    authorities = list(old.covered_authorities.order_by("name"))
    new = SigningDocument(
        agreement=old.agreement,
        kind=old.kind,
        board=old.board,
        signing_authority=old.signing_authority,
        on_behalf_of_all=old.on_behalf_of_all,
        delivery_centre=old.delivery_centre,
        period_start=old.period_start,
        period_end=old.period_end,
        statement=old.statement,
        not_met_reason=old.not_met_reason,
        version=old.version + 1,
        supersedes=old,
        prepared_by=actor,
    )
    new.content = document_text(new, authorities)
    new.content_sha256 = content_hash(new.content)
    new.full_clean()
    new.save()
    new.covered_authorities.set(authorities)
    signing.check_transition(old.status, DocumentStatus.SUPERSEDED)
    old.status = DocumentStatus.SUPERSEDED
    old.save(update_fields=["status"])
    _record("superseded", f"{old} replaced by version {new.version}", old, actor, new=new.pk)
    _record("prepared", f"{new} prepared for signing", new, actor, sha256=new.content_sha256)
    return new


@dataclass(frozen=True)
class Verification:
    intact: bool
    trusted: bool
    document: SigningDocument | None
    exact_copy: bool
    latest: bool
    problem: str = ""


@transaction.atomic
def pdf_verify(*, actor, data: bytes) -> Verification:
    """Check an uploaded PDF's seal and find the record it belongs to (only records the user may see)."""
    check = seal_check(data)
    document = None
    digest = hashlib.sha256(data).hexdigest()
    candidates = SigningDocument.objects.filter(board__in=Board.objects.visible_to(actor).values("pk"))
    document = candidates.filter(sealed_pdf_sha256=digest).first()
    exact = document is not None
    if document is None and check.reason.startswith("Liaison agreement record "):
        try:
            pk = int(check.reason.split()[3])
        except (IndexError, ValueError):
            pk = None
        document = candidates.filter(pk=pk).first() if pk else None
    latest = document is not None and not SigningDocument.objects.filter(supersedes=document).exists()
    intact = check.ok and exact
    problem = check.problem
    if check.ok and not exact:
        problem = problem or "The seal is valid but this file is not the copy held on record."
    if document is not None:
        _record(
            "verified",
            f"Uploaded PDF checked: {'intact' if intact else 'NOT intact'}",
            document,
            actor,
            intact=intact,
            pdf_sha256=digest,
        )
    return Verification(
        intact=intact, trusted=check.trusted, document=document, exact_copy=exact, latest=latest, problem=problem
    )
