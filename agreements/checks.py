"""Deadline checks of the agreements app: statements unsigned when their period starts, sign-offs late,
evaluations overdue, a reminder to each signer who has not signed 5 working days after being asked, a signer
whose signature no longer applies because the text changed, a "not met" review with no action yet, and board chairs
who have not read the agreement in force."""

from __future__ import annotations

import dataclasses
import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Acknowledgement,
    Agreement,
    ContingencyInvocation,
    DocumentKind,
    DocumentStatus,
    LocalAgreement,
    LocalAgreementKind,
    LocalAgreementStatus,
    Side,
    Signature,
    SigningDocument,
    YearStatement,
    evaluation_due,
)
from boards.models import Board, BoardStatus
from liaison import calendar
from liaison.alerts import Finding, register_check
from liaison.models import Role, RoleAssignment

OPEN = (DocumentStatus.AWAITING, DocumentStatus.PART_SIGNED)


def _open_documents(kind: str | None = None):
    documents = SigningDocument.objects.filter(status__in=OPEN).select_related("board", "signing_authority")
    return documents.filter(kind=kind) if kind else documents


def _side_holders(document: SigningDocument, side: str) -> set[int]:
    board = document.board
    if side == Side.JCP:
        ids = set(
            RoleAssignment.objects.filter(
                role=Role.DISTRICT_MANAGER, district__in=board.districts.all(), user__is_active=True
            ).values_list("user_id", flat=True)
        )
        if board.jcp_chair_id and board.jcp_chair.user_id:
            ids.add(board.jcp_chair.user_id)
        return ids
    return set(
        RoleAssignment.objects.filter(
            role=Role.LA_BENEFITS_MANAGER, local_authority=document.signing_authority, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _unsigned_sides(document: SigningDocument) -> list[str]:
    done = set(document.signatures.filter(invalidated_at__isnull=True).values_list("side", flat=True))
    return [side for side in (Side.JCP, Side.LA) if side not in done]


def _erms(document: SigningDocument) -> set[int]:
    return set(
        RoleAssignment.objects.filter(role=Role.ERM, district__in=document.board.districts.all()).values_list(
            "user_id", flat=True
        )
    )


def _finding(document: SigningDocument, key: str, title: str, detail: str, recipients: set[int]) -> Finding:
    return Finding(
        key=key,
        title=title,
        detail=detail,
        url=document.get_absolute_url(),
        recipient_ids=frozenset(recipients),
        district_id=getattr(document.board.districts.order_by("name").first(), "pk", None),
        local_authority_id=document.signing_authority_id,
    )


@register_check("agreement-statement-unsigned", "Statement of Intent not signed by both when its period starts")
def statement_unsigned(today: datetime.date) -> list[Finding]:
    findings = []
    for document in _not_history(_open_documents(DocumentKind.STATEMENT_OF_INTENT), today).filter(
        period_start__lte=today
    ):
        recipients = _erms(document)
        for side in _unsigned_sides(document):
            recipients |= _side_holders(document, side)
        findings.append(
            _finding(
                document,
                f"soi:{document.pk}",
                f"Statement of Intent not signed: {document.authorities_label}, {document.period_label}",
                f"The period began on {document.period_start:%-d %B %Y}; both the Joint Board chair and the LA "
                "Benefits Manager must sign.",
                recipients,
            )
        )
    return findings


def _not_history(documents, today: datetime.date):
    """Documents of an agreement that ended more than a year ago are history: nobody signs a 2009 statement in
    2026, so they raise no lateness alerts (the last year's sign-off, due 30 April after the end, is still chased)."""
    return documents.filter(agreement__period_end__gte=today - relativedelta(years=1))


def sign_off_due(document: SigningDocument) -> datetime.date:
    """30 April after the year the sign-off covers."""
    return datetime.date(document.period_end.year, 4, 30)


@register_check("agreement-sign-off-late", "End of Year Sign-off not complete by 30 April")
def sign_off_late(today: datetime.date) -> list[Finding]:
    findings = []
    for document in _not_history(_open_documents(DocumentKind.END_OF_YEAR), today).filter(period_end__lt=today):
        if today <= sign_off_due(document):
            continue
        recipients = _erms(document)
        for side in _unsigned_sides(document):
            recipients |= _side_holders(document, side)
        findings.append(
            _finding(
                document,
                f"eoy:{document.pk}",
                f"End of Year Sign-off late: {document.authorities_label}, {document.period_label}",
                f"It was due by {sign_off_due(document):%-d %B %Y}.",
                recipients,
            )
        )
    return findings


@register_check("agreement-evaluation-overdue", "Partnership Agreement not evaluated in the last 12 months")
def evaluation_overdue(today: datetime.date) -> list[Finding]:
    gpt = frozenset(RoleAssignment.objects.filter(role=Role.GPT).values_list("user_id", flat=True))
    findings = []
    agreements = Agreement.objects.filter(period_start__lte=today, period_end__gte=today).annotate(
        last=Max("evaluations__evaluated_on")
    )
    for agreement in agreements:
        since = agreement.last or agreement.period_start
        due = evaluation_due(agreement, agreement.last)
        if today > due:
            findings.append(
                Finding(
                    key=f"evaluation:{agreement.pk}",
                    title=f"{agreement} not evaluated since {since:%-d %B %Y}",
                    detail=f"The agreement is evaluated every 12 months (PA 5.4); this one was due by {due:%-d %B %Y}.",
                    recipient_ids=gpt,
                    url="/agreements/",
                )
            )
    return findings


@register_check("agreement-signer-reminder", "Signer has not signed 5 working days after being asked")
def signer_reminder(today: datetime.date) -> list[Finding]:
    """One reminder per signer per interval of 5 working days: each interval is a new condition (a new key)."""
    interval = settings.AGREEMENTS_REMINDER_WORKING_DAYS
    findings = []
    for document in _open_documents():
        asked = timezone.localtime(document.asked_at).date()
        if today <= asked:
            continue
        elapsed = calendar.working_days_between(asked, today, document.signing_authority.nation)
        if elapsed < interval:
            continue
        round_number = elapsed // interval
        for side in _unsigned_sides(document):
            holders = _side_holders(document, side)
            if not holders:
                continue
            findings.append(
                _finding(
                    document,
                    f"remind:{document.pk}:{side}:{document.asked_at:%Y%m%d%H%M%S}:{round_number}",
                    f"Please sign: {document.get_kind_display()} for {document.authorities_label}",
                    f"You were asked to sign on {asked:%-d %B %Y} as {Side(side).label}; it is still not signed.",
                    holders,
                )
            )
    return findings


@register_check("agreement-signature-voided", "The text changed after you signed: your signature no longer applies")
def signature_voided(today: datetime.date) -> list[Finding]:
    """Tell each signer whose signature a change voided, until their side has signed the current text."""
    signed_since = Signature.objects.filter(
        document=OuterRef("document"), side=OuterRef("side"), invalidated_at__isnull=True
    )
    voided = (
        Signature.objects.filter(invalidated_at__isnull=False, document__status__in=OPEN, signer__is_active=True)
        .exclude(Exists(signed_since))
        .select_related("document", "document__board", "document__signing_authority")
        .order_by("document_id", "side", "-invalidated_at")
    )
    latest: dict[str, Signature] = {}
    signers: dict[str, set[int]] = {}
    for signature in voided:
        document = signature.document
        key = f"voided:{document.pk}:{signature.side}:{document.content_sha256[:16]}"
        latest.setdefault(key, signature)
        signers.setdefault(key, set()).add(signature.signer_id)
    # The signers were emailed "Sign again" when the text changed (notices.voided): the alert keeps it on their
    # dashboard without a second email.
    return [
        dataclasses.replace(
            _finding(
                signature.document,
                key,
                f"Sign again: {signature.document.get_kind_display()} for {signature.document.authorities_label} "
                "changed after you signed",
                f"The text changed on {timezone.localtime(signature.invalidated_at):%-d %B %Y}, so your signature "
                f"as {Side(signature.side).label} no longer applies. Read the new text and sign it if you agree.",
                signers[key],
            ),
            told=frozenset(signers[key]),
        )
        for key, signature in latest.items()
    ]


@register_check("agreement-review-not-opened", "End of Year Sign-off not met, but no review action opened")
def review_not_opened(today: datetime.date) -> list[Finding]:
    documents = SigningDocument.objects.filter(
        status=DocumentStatus.SEALED, statement=YearStatement.NOT_MET, review_opened=False
    ).select_related("board", "signing_authority")
    return [
        _finding(
            document,
            f"review:{document.pk}",
            f"Open the review: {document.board.title} signed off {document.period_label} as not met",
            "The board has no meeting or ERM to hold the review action. Schedule a meeting and name the ERM, then "
            "open the review from the document's page.",
            _erms(document),
        )
        for document in documents
    ]


ACKNOWLEDGE_WITHIN_DAYS = 30


@register_check("agreement-not-acknowledged", "Board chairs have not read the Partnership Agreement in force")
def chairs_not_acknowledged(today: datetime.date) -> list[Finding]:
    """PA 1.3: the agreement is communicated to and understood by all relevant staff, its chairs first. Raised 30 days
    after the version in force was published, to each chair who has not recorded reading it; where a chair has no
    account to do so, to the board's ERM, who must follow it up."""
    from agreements.selectors import current_agreement

    agreement = current_agreement(today)
    if agreement is None or (today - agreement.published_on).days < ACKNOWLEDGE_WITHIN_DAYS:
        return []
    boards = (
        Board.objects.filter(status=BoardStatus.ACTIVE)
        .select_related("jcp_chair", "la_chair")
        .prefetch_related("districts")
        .order_by("pk")
    )
    read = set(Acknowledgement.objects.filter(agreement=agreement).values_list("user_id", flat=True))
    erms: dict[int, set[int]] = {}
    for district_id, user_id in RoleAssignment.objects.filter(role=Role.ERM, user__is_active=True).values_list(
        "district_id", "user_id"
    ):
        erms.setdefault(district_id, set()).add(user_id)
    findings = []
    for board in boards:
        chairs = [chair for chair in (board.jcp_chair, board.la_chair) if chair is not None]
        missing = [chair for chair in chairs if not chair.user_id or chair.user_id not in read]
        if not missing:
            continue
        districts = list(board.districts.all())
        recipients = {chair.user_id for chair in missing if chair.user_id}
        if any(not chair.user_id for chair in missing):
            recipients |= set().union(*(erms.get(d.pk, set()) for d in districts))
        findings.append(
            Finding(
                key=f"acknowledge:{agreement.pk}:{board.pk}",
                title=f"{board.title}: chairs have not read the {agreement.version} Partnership Agreement",
                detail=(
                    f"It was published on {agreement.published_on:%-d %B %Y}. Not yet recorded as read by: "
                    + ", ".join(chair.name for chair in missing)
                    + ". Read it and select “I have read this version” on its page."
                ),
                url=reverse("agreements:agreement-text", args=[agreement.pk]),
                recipient_ids=frozenset(recipients),
                district_id=districts[0].pk if districts else None,
            )
        )
    return findings


def _board_people(boards) -> dict[int, set[int]]:
    """Each board's ERMs (of its districts) and the users of its co-chairs, in two queries."""
    erms: dict[int, set[int]] = {}
    for district_id, user_id in RoleAssignment.objects.filter(role=Role.ERM, user__is_active=True).values_list(
        "district_id", "user_id"
    ):
        erms.setdefault(district_id, set()).add(user_id)
    people = {}
    for board in boards:
        ids = {chair.user_id for chair in (board.jcp_chair, board.la_chair) if chair is not None and chair.user_id}
        for district in board.districts.all():
            ids |= erms.get(district.pk, set())
        people[board.pk] = ids
    return people


def _first_district_id(board: Board) -> int | None:
    districts = sorted(board.districts.all(), key=lambda d: d.name)
    return districts[0].pk if districts else None


@register_check("local-agreement-review-due", "Local agreement past its review date")
def local_agreement_review_due(today: datetime.date) -> list[Finding]:
    agreements = list(
        LocalAgreement.objects.filter(status=LocalAgreementStatus.AGREED, review_on__lt=today)
        .select_related("board__jcp_chair", "board__la_chair")
        .prefetch_related("board__districts")
    )
    people = _board_people({a.board_id: a.board for a in agreements}.values())
    return [
        Finding(
            key=f"review:{agreement.pk}",
            title=f"{agreement.board.title}: review {agreement.title}",
            detail=(
                f"The board agreed to review it by {agreement.review_on:%-d %B %Y}. Review it at a meeting: agree a "
                "new version with a new review date, or withdraw it."
            ),
            url=agreement.get_absolute_url(),
            recipient_ids=frozenset(people[agreement.board_id]),
            district_id=_first_district_id(agreement.board),
        )
        for agreement in agreements
    ]


NO_PROCEDURE_AFTER_MONTHS = 6


@register_check("board-no-request-procedure", "Board has no information request procedure 6 months after set-up")
def board_without_request_procedure(today: datetime.date) -> list[Finding]:
    """PA 3.1.2: each partnership agrees how requests for information are made; a board set up more than 6 months
    ago without an agreed procedure is alerted to its ERM and chairs."""
    boards = list(
        Board.objects.filter(
            status=BoardStatus.ACTIVE, established_on__lt=today - relativedelta(months=NO_PROCEDURE_AFTER_MONTHS)
        )
        .exclude(
            Exists(
                LocalAgreement.objects.filter(
                    board=OuterRef("pk"),
                    kind=LocalAgreementKind.INFORMATION_REQUESTS,
                    status=LocalAgreementStatus.AGREED,
                )
            )
        )
        .select_related("jcp_chair", "la_chair")
        .prefetch_related("districts")
    )
    people = _board_people(boards)
    return [
        Finding(
            key=f"no-request-procedure:{board.pk}",
            title=f"{board.title}: no information request procedure agreed",
            detail=(
                f"The board was set up on {board.established_on:%-d %B %Y}. Agree at a meeting how each side asks "
                "the other for information: which requests go by secure email, which by telephone, and the target "
                "for each (PA 3.1.2)."
            ),
            url=reverse("agreements:local-register", args=[board.pk]),
            recipient_ids=frozenset(people[board.pk]),
            district_id=_first_district_id(board),
        )
        for board in boards
    ]


INVOCATION_OPEN_WORKING_DAYS = 10


@register_check("contingency-invocation-open", "Contingency plan still invoked after 10 working days")
def invocation_open(today: datetime.date) -> list[Finding]:
    invocations = list(
        ContingencyInvocation.objects.filter(stood_down_at__isnull=True)
        .select_related("plan__board__jcp_chair", "plan__board__la_chair")
        .prefetch_related("plan__board__districts", "local_authorities")
    )
    regional: dict[int, set[int]] = {}
    for region_id, user_id in RoleAssignment.objects.filter(role=Role.REGIONAL_ERM, user__is_active=True).values_list(
        "region_id", "user_id"
    ):
        regional.setdefault(region_id, set()).add(user_id)
    findings = []
    for invocation in invocations:
        board = invocation.plan.board
        authorities = list(invocation.local_authorities.all())
        nation = authorities[0].nation if authorities else "ENG"
        invoked = timezone.localdate(invocation.invoked_at)
        if calendar.working_days_between(invoked, today, nation) <= INVOCATION_OPEN_WORKING_DAYS:
            continue
        recipients = {chair.user_id for chair in (board.jcp_chair, board.la_chair) if chair and chair.user_id}
        for district in board.districts.all():
            recipients |= regional.get(district.region_id, set())
        findings.append(
            Finding(
                key=f"invocation:{invocation.pk}",
                title=f"{board.title}: {invocation.plan.title} still invoked",
                detail=(
                    f"It was invoked on {invoked:%-d %B %Y}, more than {INVOCATION_OPEN_WORKING_DAYS} working days "
                    "ago. Stand it down when normal working resumes, and record what was learnt."
                ),
                url=invocation.plan.get_absolute_url(),
                recipient_ids=frozenset(recipients),
                district_id=_first_district_id(board),
            )
        )
    return findings


def document_due(document: SigningDocument) -> datetime.date:
    """A Statement of Intent is due when its period starts; an End of Year Sign-off on 30 April after its year."""
    if document.kind == DocumentKind.STATEMENT_OF_INTENT:
        return document.period_start
    return sign_off_due(document)


@register_check("agreement-due-soon", "Statement of Intent or End of Year Sign-off due soon")
def agreement_due_soon(today: datetime.date) -> list[Finding]:
    """A warning, once, to the signers still to sign and the ERMs, AGREEMENTS_DUE_WARNING_WORKING_DAYS working days
    before the document is due; the lateness alerts take over once it has passed."""
    ahead = settings.AGREEMENTS_DUE_WARNING_WORKING_DAYS
    findings = []
    for document in _not_history(_open_documents(), today):
        due = document_due(document)
        if today > due or calendar.working_days_between(today, due, document.signing_authority.nation) > ahead:
            continue
        recipients = _erms(document)
        for side in _unsigned_sides(document):
            recipients |= _side_holders(document, side)
        findings.append(
            _finding(
                document,
                f"due:{document.pk}:{due:%Y%m%d}",
                f"{document.get_kind_display()} due by {due:%-d %B %Y}: {document.authorities_label}",
                f"It is not yet signed by both sides, and it is due by {due:%-d %B %Y}.",
                recipients,
            )
        )
    return findings
