"""Every write of the agreements app. Changing, choosing the statement and signing lock the document row
(`select_for_update`), so that two signers finishing together seal it once and a text changed by one is never signed
by another who was shown the old one."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements import notices, pa_text, signing
from agreements.models import (
    END_OF_YEAR_TEXT,
    STATEMENT_OF_INTENT_TEXT,
    YEAR_STATEMENT_TEXTS,
    Acknowledgement,
    Agreement,
    AgreementSection,
    ContingencyInvocation,
    DocumentKind,
    DocumentStatus,
    Evaluation,
    LocalAgreement,
    LocalAgreementKind,
    LocalAgreementStatus,
    NationalSteer,
    RequestKind,
    RequestProcedure,
    Side,
    Signature,
    SigningDocument,
    YearStatement,
    content_hash,
)
from agreements.seal import seal_check, seal_pdf
from boards.models import Board, Meeting, MeetingStatus
from boards.services import action_raise, agenda_item_add
from liaison import calendar
from liaison.accounts import mfa_code_valid, uses_mfa
from liaison.events import event_record
from liaison.models import Event, LocalAuthority
from liaison.pdf import render_pdf
from liaison.scoping import scope_for


def _name(user) -> str:
    return (user.get_full_name() or user.username) if getattr(user, "is_authenticated", False) else "Liaison"


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
        YEAR_STATEMENT_TEXTS[YearStatement(document.statement)]
        if document.statement
        else "(No statement chosen yet: a signer chooses one of the three statements before signing.)"
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
    *,
    actor,
    version: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    published_on: datetime.date | None = None,
) -> Agreement:
    """Record an agreement already in force (published on its first day unless said otherwise); a new one is made
    with `agreement_version_prepare` from the one before."""
    if not scope_for(actor).admin and not scope_for(actor).national:
        raise PermissionDenied("Only national roles record Partnership Agreements.")
    agreement = Agreement(
        version=version,
        title=title,
        period_start=period_start,
        period_end=period_end,
        published_on=published_on or period_start,
    )
    agreement.full_clean()
    agreement.save()
    event_record(
        kind="agreement.created", summary=f"Partnership Agreement {title} {version}", actor=actor, subject=agreement
    )
    return agreement


@transaction.atomic
def evaluation_record(*, actor, agreement: Agreement, evaluated_on: datetime.date, notes: str = "") -> Evaluation:
    if not signing.can_evaluate(actor):
        raise PermissionDenied("The evaluation is led nationally (PA 5.4).")
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": "The date of the evaluation must be today or in the past"})
    if evaluated_on < agreement.period_start:
        raise ValidationError(
            {"evaluated_on": f"The date must be on or after the agreement began ({agreement.period_start:%-d %B %Y})"}
        )
    evaluation = Evaluation(agreement=agreement, evaluated_on=evaluated_on, notes=notes.strip(), recorded_by=actor)
    evaluation.full_clean()
    evaluation.save()
    event_record(
        kind="agreement.evaluated",
        summary=f"{agreement} evaluated on {evaluated_on:%-d %B %Y}",
        actor=actor,
        subject=agreement,
        data={"evaluation": evaluation.pk},
    )
    return evaluation


def _check_period(agreement: Agreement, kind: str, period_start: datetime.date, period_end: datetime.date) -> None:
    if kind == DocumentKind.END_OF_YEAR and (period_start.month, period_start.day, period_end) != (
        4,
        1,
        datetime.date(period_start.year + 1, 3, 31),
    ):
        raise ValidationError({"period_start": "An End of Year Sign-off covers one year, April to March"})
    if period_end <= period_start:
        raise ValidationError({"period_end": "The period must end after it starts"})
    if period_start < agreement.period_start or period_end > agreement.period_end:
        raise ValidationError(
            {
                "period_start": f"The period must fall within the agreement's period, {agreement.period_start:%B %Y} "
                f"to {agreement.period_end:%B %Y}"
            }
        )


def _check_no_overlap(document: SigningDocument, authorities: list[LocalAuthority]) -> None:
    """One current document of a kind per LA and period: a second would leave it unclear which one is signed."""
    clash = (
        SigningDocument.objects.filter(
            board=document.board,
            kind=document.kind,
            covered_authorities__in=[a.pk for a in authorities],
            period_start__lte=document.period_end,
            period_end__gte=document.period_start,
        )
        .exclude(status=DocumentStatus.SUPERSEDED)
        .exclude(pk=document.supersedes_id)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "signing_authority": f"There is already {_with_article(clash.get_kind_display())} for "
                f"{clash.authorities_label}, "
                f"{clash.period_label}: make a new version of it instead"
            }
        )


def _with_article(name: str) -> str:
    """The kind of document with its article: a Statement of Intent, an End of Year Sign-off."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


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
) -> SigningDocument:
    """Prepare a Statement of Intent or End of Year Sign-off for signing; the signers choose the year's statement."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    if not signing.can_prepare(actor, board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) prepares documents for signing.")
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Choose a Statement of Intent or an End of Year Sign-off"})
    if not board.local_authorities.filter(pk=signing_authority.pk).exists():
        raise ValidationError({"signing_authority": "Choose a Local Authority of this Joint Board"})
    delivery_centre = (delivery_centre or "").strip()
    if not delivery_centre:
        raise ValidationError({"delivery_centre": "Enter the name of the Benefit Delivery Centre and/or district"})
    if not agreement.is_published:
        raise ValidationError({"agreement": "Choose a published agreement: a draft's text may still change"})
    _check_period(agreement, kind, period_start, period_end)
    document = SigningDocument(
        agreement=agreement,
        kind=kind,
        board=board,
        signing_authority=signing_authority,
        on_behalf_of_all=on_behalf_of_all,
        delivery_centre=delivery_centre,
        period_start=period_start,
        period_end=period_end,
        prepared_by=actor,
    )
    authorities = _covered(board, signing_authority, on_behalf_of_all)
    _check_no_overlap(document, authorities)
    document.content = document_text(document, authorities)
    document.content_sha256 = content_hash(document.content)
    document.full_clean()
    document.save()
    document.covered_authorities.set(authorities)
    _record("prepared", f"{document} prepared for signing", document, actor, sha256=document.content_sha256)
    notices.waiting(document=document, occasion="prepared", why=f"{_name(actor)} prepared it for signing.")
    return document


def _current_signatures(document: SigningDocument):
    return document.signatures.filter(invalidated_at__isnull=True)


def _retext(document: SigningDocument, actor, now) -> list[Signature]:
    """Recompute the text and its hash; signatures over any other text no longer apply (their signers are told)."""
    document.content = document_text(document, list(document.covered_authorities.order_by("name")))
    document.content_sha256 = content_hash(document.content)
    voided = list(
        _current_signatures(document).exclude(content_sha256=document.content_sha256).select_related("signer")
    )
    for signature in voided:
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
    if voided:
        # The signers whose signature no longer applies are asked again: reminders count from now.
        document.asked_at = now
        notices.voided(document=document, signatures=voided)
    return voided


@transaction.atomic
def document_update(*, actor, document: SigningDocument, delivery_centre: str) -> SigningDocument:
    """Correct a document before it is sealed. Signatures over the old text no longer apply."""
    document = SigningDocument.objects.select_for_update().get(pk=document.pk)
    if not signing.can_edit(actor, document):
        raise PermissionDenied("You cannot change this document.")
    signing.check_editable(document)
    delivery_centre = (delivery_centre or "").strip()
    if not delivery_centre:
        raise ValidationError({"delivery_centre": "Enter the name of the Benefit Delivery Centre and/or district"})
    document.delivery_centre = delivery_centre
    _rewrite(document, actor)
    _record("changed", f"{document} changed", document, actor, sha256=document.content_sha256)
    return document


def _rewrite(document: SigningDocument, actor) -> None:
    """Save a changed document: new text and hash, signatures over the old text voided, reminders counted from now."""
    now = timezone.now()
    _retext(document, actor, now)
    new_status = signing.status_after(document, set(_current_signatures(document).values_list("side", flat=True)))
    signing.check_transition(document.status, new_status)
    document.status = new_status
    document.asked_at = now
    document.full_clean()
    document.save()


@transaction.atomic
def document_statement_choose(
    *, actor, document: SigningDocument, statement: str, not_met_reason: str, shown_sha256: str
) -> SigningDocument:
    """A signer chooses (or changes) the End of Year statement before signing; the page then shows the new text.

    The row is locked: of two signers choosing at once, the second was shown a text that no longer exists and is
    refused. A change voids any signature over the old text, as any change does.
    """
    document = (
        SigningDocument.objects.select_for_update().select_related("board", "signing_authority").get(pk=document.pk)
    )
    signing.check_can_choose(actor, document)
    if shown_sha256 != document.content_sha256:
        raise ValidationError("The document changed since you opened it: read the new text, then choose again.")
    statement, not_met_reason, changes = signing.statement_choice(document, statement, not_met_reason)
    if not changes:
        return document
    first = not document.statement
    document.statement = statement
    document.not_met_reason = not_met_reason
    _rewrite(document, actor)
    _record(
        "statement-chosen" if first else "statement-changed",
        f"Statement {'chosen' if first else 'changed'} by {actor.get_full_name() or actor.username}: "
        f"{YearStatement(statement).label}",
        document,
        actor,
        statement=statement,
        sha256=document.content_sha256,
    )
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
    code: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """Sign exactly the text the signer was shown; an End of Year Sign-off needs its statement chosen first.

    The document row is locked, so of two signers finishing at once one waits for the other: both signatures land
    and the document is sealed once.
    """
    document = (
        SigningDocument.objects.select_for_update().select_related("board", "signing_authority").get(pk=document.pk)
    )
    current = dict(_current_signatures(document).values_list("side", "signer_id"))
    signing.check_can_sign(actor, document, side, current)
    if shown_sha256 != document.content_sha256:
        raise ValidationError("The document changed since you opened it: read the new text, then sign again.")
    if not actor.check_password(password):
        raise ValidationError({"password": "The password is not right"})
    if uses_mfa(actor) and not mfa_code_valid(actor, code):
        raise ValidationError({"code": "The code is not right, or has been used: enter the code your app shows now"})
    if not printed_name.strip():
        raise ValidationError({"printed_name": "Type your name in capitals as it should be printed"})
    if not declaration:
        raise ValidationError({"declaration": "Confirm that you have read the text and sign it"})
    now = timezone.now()
    signature = Signature.objects.create(
        document=document,
        side=side,
        signer=actor,
        printed_name=printed_name.strip()[:200],
        signed_at=now,
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
    new_status = signing.status_after(document, set(current) | {side})
    signing.check_transition(document.status, new_status)
    if new_status == DocumentStatus.SEALED:
        _seal(document, actor)
    else:
        document.status = new_status
        document.save(update_fields=["status"])
        other = Side.LA if side == Side.JCP else Side.JCP
        notices.waiting(
            document=document,
            occasion=f"signed-{signature.pk}",
            sides=[other],
            exclude={actor.pk},
            why=f"{signature.printed_name} signed it for {Side(side).label}; your side's signature completes it.",
        )
    return signature


def _seal(document: SigningDocument, actor) -> None:
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
    notices.sealed(document=document, signatures=signatures)
    if document.statement == YearStatement.NOT_MET:
        _open_review(document, actor)


REVIEW_ACTION_WORKING_DAYS = 20


def _open_review(document: SigningDocument, actor=None) -> bool:
    """ "Not met ... we will review": a review action for the board, owned by its ERM, due in 20 working days.

    A later version of a sign-off whose review is already open does not open a second one.
    """
    earlier = document.supersedes
    while earlier is not None:
        if earlier.review_opened:
            document.review_opened = True
            document.review_action_id = earlier.review_action_id
            document.save(update_fields=["review_opened", "review_action"])
            _record("review-opened", f"The review opened for version {earlier.version} carries on", document, actor)
            return True
        earlier = earlier.supersedes
    due = calendar.add_working_days(timezone.localdate(), REVIEW_ACTION_WORKING_DAYS, document.signing_authority.nation)
    action = action_raise(
        actor=actor,
        board=document.board,
        description=(
            f"Review the effective partnership arrangements, with an aim to improving them: the End of Year Sign-off "
            f"for {document.authorities_label}, {document.period_label}, says the aims, objectives and standards of "
            f"the PA were not met satisfactorily. Reason given: {document.not_met_reason}"
        ),
        due_date=due,
        source="agreements",
    )
    if action is None:
        _record(
            "review-pending",
            f"{document.board.title} has no meeting or ERM to hold the review action: schedule a meeting, then open "
            "the review from this page",
            document,
            actor,
        )
        return False
    document.review_opened = True
    document.review_action = action
    document.save(update_fields=["review_opened", "review_action"])
    _record(
        "review-opened",
        f"{document.board.title}: review action opened for {action.owner.name}, due {action.due_date:%-d %B %Y}",
        document,
        actor,
        action=action.pk,
    )
    return True


@transaction.atomic
def document_review_open(*, actor, document: SigningDocument) -> SigningDocument:
    """Open the review action of a "not met" sign-off that could not get one when it was sealed."""
    document = (
        SigningDocument.objects.select_for_update().select_related("board", "signing_authority").get(pk=document.pk)
    )
    if not signing.can_prepare(actor, document.board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) opens the review.")
    if not (document.is_sealed and document.statement == YearStatement.NOT_MET) or document.review_opened:
        raise ValidationError("There is no review to open for this document.")
    if not _open_review(document, actor):
        raise ValidationError(
            "The board has no meeting or ERM for the review action: schedule a meeting and name the ERM, then try "
            "again."
        )
    return document


@transaction.atomic
def document_new_version(
    *,
    actor,
    document: SigningDocument,
    delivery_centre: str | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> SigningDocument:
    """A sealed document never changes: a change is a new version that needs signing again.

    The new version takes the board's current LAs when one LA signs for all of them, and its End of Year statement
    is chosen again by its signers.
    """
    old = SigningDocument.objects.select_for_update().select_related("board", "agreement").get(pk=document.pk)
    if not signing.can_prepare(actor, old.board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) prepares documents for signing.")
    if old.status == DocumentStatus.SUPERSEDED:
        raise ValidationError("This document already has a newer version.")
    delivery_centre = (old.delivery_centre if delivery_centre is None else delivery_centre).strip()
    if not delivery_centre:
        raise ValidationError({"delivery_centre": "Enter the name of the Benefit Delivery Centre and/or district"})
    period_start = period_start or old.period_start
    period_end = period_end or old.period_end
    _check_period(old.agreement, old.kind, period_start, period_end)
    if not old.board.local_authorities.filter(pk=old.signing_authority_id).exists():
        raise ValidationError("The signing Local Authority has left this Joint Board: prepare a new document instead.")
    new = SigningDocument(
        agreement=old.agreement,
        kind=old.kind,
        board=old.board,
        signing_authority=old.signing_authority,
        on_behalf_of_all=old.on_behalf_of_all,
        delivery_centre=delivery_centre,
        period_start=period_start,
        period_end=period_end,
        version=old.version + 1,
        supersedes=old,
        prepared_by=actor,
    )
    if old.on_behalf_of_all:
        authorities = _covered(old.board, old.signing_authority, True)
    else:
        authorities = list(old.covered_authorities.order_by("name"))
    _check_no_overlap(new, authorities)
    new.content = document_text(new, authorities)
    new.content_sha256 = content_hash(new.content)
    new.full_clean()
    new.save()
    new.covered_authorities.set(authorities)
    signing.check_transition(old.status, DocumentStatus.SUPERSEDED)
    old.status = DocumentStatus.SUPERSEDED
    old.save(update_fields=["status"])
    _record("superseded", f"{old} replaced by version {new.version}", old, actor, new=new.pk)
    _record("prepared", f"{new} prepared for signing", new, actor, sha256=new.content_sha256, supersedes=old.pk)
    notices.waiting(
        document=new,
        occasion="prepared",
        why=f"{_name(actor)} made version {new.version}, which replaces version {old.version}.",
    )
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


# The Partnership Agreement's own text (PA 1.3): versions prepared from the previous one, published, acknowledged.


def _national(actor, what: str) -> None:
    if not scope_for(actor).national:
        raise PermissionDenied(f"Only the Governmental Partnerships Team {what}.")


def _write_sections(agreement: Agreement, sections) -> None:
    AgreementSection.objects.bulk_create(
        AgreementSection(agreement=agreement, number=s.number, title=s.title, text=s.text, position=n)
        for n, s in enumerate(sections, start=1)
    )


@transaction.atomic
def agreement_text_load(*, actor, agreement: Agreement, sections=None) -> Agreement:
    """Give an agreement that has no text yet its sections (by default the 2008-2011 text of the source document)."""
    _national(actor, "records an agreement's text")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.sections.exists():
        raise ValidationError("This agreement already has its text; a change is made in a new version.")
    sections = list(sections if sections is not None else pa_text.pa_2008_sections())
    _write_sections(agreement, sections)
    if agreement.is_published:
        agreement.text_sha256 = content_hash(pa_text.text_of(agreement.sections.all()))
        agreement.save(update_fields=["text_sha256"])
    event_record(kind="agreement.text-loaded", summary=f"Text of {agreement} recorded", actor=actor, subject=agreement)
    return agreement


@transaction.atomic
def agreement_version_prepare(
    *,
    actor,
    previous: Agreement,
    version: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Agreement:
    """A draft of the next agreement, starting from every section of the previous one."""
    _national(actor, "prepares a new Partnership Agreement")
    version = (version or "").strip()
    if Agreement.objects.filter(version=version, title=title.strip()).exists():
        raise ValidationError({"version": f"There is already an agreement called {title.strip()} {version}"})
    if period_start <= previous.period_start:
        raise ValidationError(
            {"period_start": f"The new agreement must start after the one it replaces ({previous.period_label})"}
        )
    draft = Agreement(
        version=version, title=title.strip(), period_start=period_start, period_end=period_end, based_on=previous
    )
    draft.full_clean()
    draft.save()
    _write_sections(draft, previous.sections.all())
    event_record(
        kind="agreement.version-prepared",
        summary=f"{draft} prepared from {previous}",
        actor=actor,
        subject=draft,
        data={"based_on": previous.pk},
    )
    return draft


@transaction.atomic
def agreement_section_change(*, actor, section: AgreementSection, title: str, text: str) -> AgreementSection:
    """Change a section of a draft; a published agreement's text never changes."""
    _national(actor, "changes an agreement's text")
    section = AgreementSection.objects.select_for_update().select_related("agreement").get(pk=section.pk)
    if section.agreement.is_published:
        raise ValidationError(
            f"{section.agreement} was published on {section.agreement.published_on:%-d %B %Y}: its text no longer "
            "changes. Prepare a new version instead."
        )
    section.title = (title or "").strip() if section.title else ""
    section.text = (text or "").strip()
    section.full_clean()
    section._change_reason = "Section changed in the draft"
    section.save()
    event_record(
        kind="agreement.section-changed",
        summary=f"{section.agreement}: section {section.number} changed",
        actor=actor,
        subject=section.agreement,
        data={"section": section.number},
    )
    return section


@transaction.atomic
def agreement_publish(*, actor, agreement: Agreement, published_on: datetime.date) -> Agreement:
    """Publish a draft on a date: from then its text is fixed and staff are asked to acknowledge it."""
    _national(actor, "publishes a Partnership Agreement")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.is_published:
        raise ValidationError(f"{agreement} was already published on {agreement.published_on:%-d %B %Y}.")
    if not agreement.sections.exists():
        raise ValidationError("An agreement without its text cannot be published.")
    if agreement.based_on_id and published_on < agreement.based_on.published_on:
        raise ValidationError({"published_on": "The new version cannot be published before the one it replaces"})
    agreement.published_on = published_on
    agreement.text_sha256 = content_hash(pa_text.text_of(agreement.sections.all()))
    agreement._change_reason = "Published"
    agreement.save(update_fields=["published_on", "text_sha256"])
    event_record(
        kind="agreement.published",
        summary=f"{agreement} published on {published_on:%-d %B %Y}",
        actor=actor,
        subject=agreement,
        data={"sha256": agreement.text_sha256},
    )
    return agreement


@transaction.atomic
def agreement_acknowledge(*, actor, agreement: Agreement) -> Acknowledgement:
    """Record that the actor has read this version (PA 1.3); doing it again changes nothing."""
    if not agreement.is_published:
        raise ValidationError("Only a published agreement is acknowledged.")
    acknowledgement, created = Acknowledgement.objects.get_or_create(agreement=agreement, user=actor)
    if created:
        event_record(
            kind="agreement.acknowledged",
            summary=f"{actor.get_full_name() or actor.username} has read {agreement}",
            actor=actor,
            subject=agreement,
        )
    return acknowledgement


# Local agreements, request procedures and contingency arrangements (PA 3.1.2, 3.1.6, 3.1.7, 3.2.5).

CONTINGENCY_FIELDS = ("invoked_when", "jcp_actions", "la_actions", "decided_by")


def _local_event(kind: str, summary: str, agreement: LocalAgreement, actor, **data) -> None:
    event_record(
        kind=f"local-agreement.{kind}",
        summary=f"{agreement.board.title}: {summary}",
        actor=actor,
        subject=agreement,
        district=agreement.board.districts.order_by("name").first(),
        data={"version": agreement.version, **data},
    )


def _covers(board: Board, local_authorities, districts) -> tuple[list, list]:
    local_authorities, districts = list(local_authorities or []), list(districts or [])
    errors = {}
    board_las = set(board.local_authorities.values_list("pk", flat=True))
    board_districts = set(board.districts.values_list("pk", flat=True))
    if any(la.pk not in board_las for la in local_authorities):
        errors["local_authorities"] = "Choose Local Authorities of this board"
    if any(d.pk not in board_districts for d in districts):
        errors["districts"] = "Choose districts of this board"
    if not local_authorities and not districts:
        errors["local_authorities"] = "Choose the Local Authorities or districts it covers"
    if errors:
        raise ValidationError(errors)
    return local_authorities, districts


@transaction.atomic
def local_agreement_propose(
    *,
    actor,
    board: Board,
    kind: str,
    title: str,
    text: str,
    local_authorities=(),
    districts=(),
    review_on: datetime.date | None = None,
    previous: LocalAgreement | None = None,
    **contingency,
) -> LocalAgreement:
    """Propose a local agreement, or a new version of one (`previous`); it takes effect when agreed at a meeting."""
    signing.check_can_keep_register(actor, board)
    if previous is not None:
        previous = LocalAgreement.objects.select_for_update().get(pk=previous.pk)
        if previous.board_id != board.pk:
            raise PermissionDenied("A new version belongs to the same board.")
        if previous.status not in (LocalAgreementStatus.PROPOSED, LocalAgreementStatus.AGREED):
            raise ValidationError(
                f"Version {previous.version} is {previous.get_status_display().lower()}: it is history."
            )
        if LocalAgreement.objects.filter(previous=previous).exists():
            raise ValidationError("A newer version of this agreement has already been proposed.")
        kind = previous.kind
    if review_on is not None and review_on <= timezone.localdate():
        raise ValidationError({"review_on": "The review date must be in the future"})
    local_authorities, districts = _covers(board, local_authorities, districts)
    agreement = LocalAgreement(
        board=board,
        kind=kind,
        title=(title or "").strip(),
        text=(text or "").strip(),
        review_on=review_on,
        previous=previous,
        version=previous.version + 1 if previous else 1,
        created_by=actor,
        **{name: (contingency.get(name) or "").strip() for name in CONTINGENCY_FIELDS},
    )
    if agreement.is_contingency:
        missing = {
            name: f"Say {LocalAgreement._meta.get_field(name).verbose_name}"
            for name in CONTINGENCY_FIELDS
            if not getattr(agreement, name)
        }
        if missing:
            raise ValidationError(missing)
    agreement.full_clean(exclude=["previous"])
    agreement.save()
    agreement.local_authorities.set(local_authorities)
    agreement.districts.set(districts)
    if previous is not None:
        for procedure in previous.procedures.all():
            procedure.pk = None
            procedure.local_agreement = agreement
            procedure.save()
    _local_event("proposed", f"{agreement} proposed", agreement, actor)
    return agreement


@transaction.atomic
def local_agreement_agree(*, actor, agreement: LocalAgreement, meeting) -> LocalAgreement:
    """Record that the board agreed it at a held meeting; the version before it is then superseded."""
    from boards.models import Meeting, MeetingStatus

    agreement = LocalAgreement.objects.select_for_update().select_related("board").get(pk=agreement.pk)
    signing.check_can_keep_register(actor, agreement.board)
    signing.check_local_transition(agreement.status, LocalAgreementStatus.AGREED)
    meeting = Meeting.objects.filter(pk=getattr(meeting, "pk", None), board=agreement.board).first()
    if meeting is None or meeting.status != MeetingStatus.HELD:
        raise ValidationError({"meeting": "Choose a meeting of this board that has been held"})
    if agreement.kind == LocalAgreementKind.INFORMATION_REQUESTS and not agreement.procedures.exists():
        raise ValidationError("Add at least one kind of request, its channel and its target before it is agreed.")
    agreement.status = LocalAgreementStatus.AGREED
    agreement.agreed_at = meeting
    agreement._change_reason = f"Agreed at the meeting of {meeting.date:%-d %B %Y}"
    agreement.save(update_fields=["status", "agreed_at"])
    if agreement.previous_id:
        previous = LocalAgreement.objects.select_for_update().get(pk=agreement.previous_id)
        if previous.status == LocalAgreementStatus.AGREED:
            previous.status = LocalAgreementStatus.SUPERSEDED
            previous._change_reason = f"Superseded by version {agreement.version}"
            previous.save(update_fields=["status"])
    _local_event("agreed", f"{agreement} agreed at the meeting of {meeting.date:%-d %B %Y}", agreement, actor)
    return agreement


@transaction.atomic
def local_agreement_withdraw(*, actor, agreement: LocalAgreement, reason: str) -> LocalAgreement:
    agreement = LocalAgreement.objects.select_for_update().select_related("board").get(pk=agreement.pk)
    signing.check_can_keep_register(actor, agreement.board)
    signing.check_local_transition(agreement.status, LocalAgreementStatus.WITHDRAWN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is withdrawn"})
    agreement.status = LocalAgreementStatus.WITHDRAWN
    agreement.withdrawn_reason = reason
    agreement.save(update_fields=["status", "withdrawn_reason"])
    _local_event("withdrawn", f"{agreement} withdrawn", agreement, actor, reason=reason)
    return agreement


@transaction.atomic
def request_procedure_add(
    *,
    actor,
    agreement: LocalAgreement,
    request_kind: str,
    channel: str,
    address: str,
    target_working_days: int,
    other_kind: str = "",
) -> RequestProcedure:
    """Add a kind of request to a proposed information request procedure (an agreed one changes by a new version)."""
    agreement = LocalAgreement.objects.select_for_update().select_related("board").get(pk=agreement.pk)
    signing.check_can_keep_register(actor, agreement.board)
    if agreement.kind != LocalAgreementKind.INFORMATION_REQUESTS:
        raise ValidationError("Requests are added to an information request procedure.")
    if agreement.status != LocalAgreementStatus.PROPOSED:
        raise ValidationError("An agreed procedure changes only by a new version, agreed at a meeting.")
    other_kind = (other_kind or "").strip()
    if request_kind == RequestKind.OTHER and not other_kind:
        raise ValidationError({"other_kind": "Name the kind of request"})
    if not target_working_days or target_working_days < 1:
        raise ValidationError({"target_working_days": "The target must be at least 1 working day"})
    procedure = RequestProcedure(
        local_agreement=agreement,
        request_kind=request_kind,
        other_kind=other_kind if request_kind == RequestKind.OTHER else "",
        channel=channel,
        address=(address or "").strip(),
        target_working_days=target_working_days,
    )
    procedure.full_clean()
    procedure.save()
    _local_event("procedure-added", f"{agreement}: {procedure} added", agreement, actor)
    return procedure


@transaction.atomic
def national_steer_publish(*, actor, title: str, text: str) -> NationalSteer:
    _national(actor, "publishes the national steer on contingency arrangements")
    steer = NationalSteer(title=(title or "").strip(), text=(text or "").strip(), published_by=actor)
    steer.full_clean()
    steer.save()
    event_record(kind="national-steer.published", summary=f"National steer published: {steer.title}", actor=actor)
    return steer


@transaction.atomic
def contingency_invoke(*, actor, plan: LocalAgreement, reason: str, local_authorities) -> ContingencyInvocation:
    plan = LocalAgreement.objects.select_for_update().select_related("board").get(pk=plan.pk)
    signing.check_can_keep_register(actor, plan.board)
    if not plan.is_contingency or plan.status != LocalAgreementStatus.AGREED:
        raise ValidationError("Only an agreed contingency plan is invoked.")
    reason = (reason or "").strip()
    local_authorities = list(local_authorities or [])
    errors = {}
    if not reason:
        errors["reason"] = "Say why the plan is invoked"
    if not local_authorities:
        errors["local_authorities"] = "Choose the Local Authorities it is invoked for"
    elif any(la not in set(plan.local_authorities.all()) for la in local_authorities):
        errors["local_authorities"] = "Choose Local Authorities the plan covers"
    if errors:
        raise ValidationError(errors)
    invocation = ContingencyInvocation.objects.create(plan=plan, invoked_by=actor, reason=reason)
    invocation.local_authorities.set(local_authorities)
    _local_event("invoked", f"{plan.title} invoked", plan, actor, invocation=invocation.pk)
    return invocation


@transaction.atomic
def contingency_stand_down(*, actor, invocation: ContingencyInvocation, lessons: str) -> ContingencyInvocation:
    invocation = ContingencyInvocation.objects.select_for_update().select_related("plan__board").get(pk=invocation.pk)
    signing.check_can_keep_register(actor, invocation.plan.board)
    if not invocation.is_open:
        raise ValidationError("This invocation has already been stood down.")
    lessons = (lessons or "").strip()
    if not lessons:
        raise ValidationError({"lessons": "Say what was learnt, for the next plan"})
    invocation.stood_down_at = timezone.now()
    invocation.stood_down_by = actor
    invocation.lessons = lessons
    invocation.save(update_fields=["stood_down_at", "stood_down_by", "lessons"])
    _local_event("stood-down", f"{invocation.plan.title} stood down", invocation.plan, actor, invocation=invocation.pk)
    _invocation_to_next_meeting(invocation)
    return invocation


def _invocation_to_next_meeting(invocation: ContingencyInvocation) -> None:
    """The board reviews every invocation at its next meeting, under its performance role (guidelines Appendix 1):
    what happened, for whom, for how long, and what was learnt."""
    plan = invocation.plan
    meeting = (
        Meeting.objects.filter(board=plan.board, status=MeetingStatus.SCHEDULED, date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )
    if meeting is None:
        return
    authorities = list(invocation.local_authorities.order_by("name"))
    invoked, stood_down = timezone.localtime(invocation.invoked_at), timezone.localtime(invocation.stood_down_at)
    agenda_item_add(
        meeting=meeting,
        title=f"Contingency plan invoked: {plan.title}",
        body=(
            f"Invoked on {invoked:%-d %B %Y} for {', '.join(la.name for la in authorities)}, stood down on "
            f"{stood_down:%-d %B %Y} after "
            f"{calendar.working_days_between(invoked.date(), stood_down.date(), authorities[0].nation)} working days.\n"
            f"Why: {invocation.reason}\nWhat was learnt: {invocation.lessons}"
        ),
        source="agreements",
    )
