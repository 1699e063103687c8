"""The Partnership Agreement (PA 5.1-5.4), its evaluations, and the two forms signed under it (annexes 2 and 3).

A signed-and-sealed document is never edited: a change means a new version, which needs signing again.
"""

from __future__ import annotations

import datetime
import hashlib

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.models import Board
from liaison.links import path_for
from liaison.models import LocalAuthority


class Agreement(models.Model):
    version = models.CharField(max_length=50)
    title = models.CharField(max_length=300)
    period_start = models.DateField()
    period_end = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    # A new version is prepared from the previous one and changed section by section while it is a draft; once
    # published its text never changes, and its SHA-256 is what a Statement of Intent's sealed PDF names.
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions")
    published_on = models.DateField(null=True, blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="agreement_period_order")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return path_for("agreements:agreement-detail", self.pk)

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%B %Y} to {self.period_end:%B %Y}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class AgreementSection(models.Model):
    """One section of a Partnership Agreement's text: a numbered heading or paragraph (PA 1.0-5.4), or the glossary."""

    FREE_TEXT = {"title": "title", "text": ("document", "the section's text")}

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="sections")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True, max_length=20_000)
    position = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_section_number_unique"),
            models.UniqueConstraint(fields=["agreement", "position"], name="agreement_section_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def anchor(self) -> str:
        return "section-" + self.number.lower().replace(".", "-")

    @property
    def is_heading(self) -> bool:
        return bool(self.title)

    @property
    def depth(self) -> int:
        """1 for 1.0 or the glossary, 2 for 3.1, 3 for 3.1.2; paragraphs sit under their heading."""
        if not self.number[:1].isdigit():
            return 1
        parts = self.number.split(".")
        return 1 if parts[1:] == ["0"] else len(parts)


class Acknowledgement(models.Model):
    """A member of staff has read a version of the Partnership Agreement (PA 1.3). Never changed or deleted."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="acknowledgement_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.agreement} on {self.acknowledged_at:%-d %B %Y}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("An acknowledgement is a record of what happened and is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An acknowledgement is a record of what happened and is never deleted.")


EVALUATION_INTERVAL_MONTHS = 12


def evaluation_due(agreement: Agreement, last_evaluated: datetime.date | None) -> datetime.date:
    """Evaluated every 12 months (PA 5.4), counted from the last evaluation or, before the first, the start."""
    return (last_evaluated or agreement.period_start) + relativedelta(months=EVALUATION_INTERVAL_MONTHS)


class Evaluation(models.Model):
    """The agreement is evaluated every 12 months (PA 5.4)."""

    FREE_TEXT = {"notes": "long"}

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="evaluations")
    evaluated_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-evaluated_on", "pk"]

    def __str__(self) -> str:
        return f"Evaluation of {self.agreement} on {self.evaluated_on:%-d %B %Y}"


class DocumentKind(models.TextChoices):
    STATEMENT_OF_INTENT = "statement-of-intent", "Statement of Intent"
    END_OF_YEAR = "end-of-year", "End of Year Sign-off"


class YearStatement(models.TextChoices):
    MET = "met", "Met"
    BEST_ABILITY = "best-ability", "Met to the best of each organisation's ability"
    NOT_MET = "not-met", "Not met: we will review"


# The three statements of the End of Year Sign-off form (annex 3), word for word.
YEAR_STATEMENT_TEXTS = {
    YearStatement.MET: "We agree that aims, objectives and standards of the PA have been met.",
    YearStatement.BEST_ABILITY: (
        "We agree that aims, objectives and standards of the PA have been met to the best of each organisations "
        "ability and operational viability."
    ),
    YearStatement.NOT_MET: (
        "We agree that the aims, objectives and standards of the PA have not been met satisfactorily and we will "
        "work together to review our effective partnership arrangements, with an aim to improving them."
    ),
}


class DocumentStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting signatures"
    PART_SIGNED = "part-signed", "Signed by one party"
    SEALED = "sealed", "Signed by both and sealed"
    SUPERSEDED = "superseded", "Replaced by a new version"


class Side(models.TextChoices):
    JCP = "jcp", "Jobcentre Plus / FIS (Joint Board Chair)"
    LA = "la", "Local Authority (LA Benefits Manager)"


STATEMENT_OF_INTENT_TEXT = (
    "We have read the service level agreement and we agree to put all the necessary resources, processes and "
    "monitoring arrangements in place to help Jobcentre Plus/ FIS and Local Authorities achieve the aims and "
    "objectives in effective partnership working."
)
END_OF_YEAR_TEXT = (
    "We have reviewed partnership working between Jobcentre Plus/ FIS and the Local Authority over the last 12 "
    "months, against the aims and objectives and standards within the Partnership Agreement."
)


class SigningDocument(models.Model):
    """A Statement of Intent or End of Year Sign-off for one LA (or all of a board's LAs) and a period."""

    FREE_TEXT = {"not_met_reason": ("short", "the reason")}

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="signing_documents")
    signing_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The LA whose Benefits Manager signs.",
    )
    on_behalf_of_all = models.BooleanField(
        default=False, help_text="One LA signs on behalf of all LAs in the Joint Board (PA 5.2)."
    )
    covered_authorities = models.ManyToManyField(LocalAuthority, related_name="signing_documents")
    delivery_centre = models.CharField("Benefit Delivery Centre and/or district", max_length=300)
    period_start = models.DateField()
    period_end = models.DateField()
    statement = models.CharField(max_length=20, choices=YearStatement.choices, blank=True)
    not_met_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    status = models.CharField(max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.AWAITING)
    content = models.TextField(help_text="The exact text the signers sign.")
    content_sha256 = models.CharField(max_length=64)
    asked_at = models.DateTimeField(default=timezone.now, help_text="When the signers were asked to sign.")
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sealed_pdf = models.BinaryField(null=True, blank=True, editable=False)
    sealed_pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    review_opened = models.BooleanField(default=False)
    review_action = models.ForeignKey(
        "boards.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text='The board\'s review action opened when the signers chose "not met".',
    )

    history = HistoricalRecords(excluded_fields=["sealed_pdf"])

    class Meta:
        ordering = ["-period_start", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="document_period_order"),
            models.CheckConstraint(
                condition=Q(kind="end-of-year") | Q(statement=""), name="document_statement_only_end_of_year"
            ),
            models.CheckConstraint(
                condition=~Q(statement="not-met") | ~Q(not_met_reason=""), name="document_not_met_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="sealed", sealed_at__isnull=False, sealed_pdf_sha256__gt="")
                | Q(status__in=["awaiting", "part-signed"], sealed_at__isnull=True)
                | Q(status="superseded"),
                name="document_sealed_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.authorities_label} {self.period_label} (version {self.version})"

    def get_absolute_url(self) -> str:
        return path_for("agreements:document-detail", self.pk)

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%B %Y} to {self.period_end:%B %Y}"

    @property
    def authorities_label(self) -> str:
        if self.on_behalf_of_all:
            return f"{self.signing_authority.name} on behalf of all LAs of {self.board.title}"
        return self.signing_authority.name

    @property
    def is_sealed(self) -> bool:
        return self.status == DocumentStatus.SEALED


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Signature(models.Model):
    document = models.ForeignKey(SigningDocument, on_delete=models.PROTECT, related_name="signatures")
    side = models.CharField(max_length=3, choices=Side.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    printed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    content_sha256 = models.CharField("SHA-256 of the text signed", max_length=64)
    invalidated_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the document changed after this signature."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "side"],
                condition=Q(invalidated_at__isnull=True),
                name="signature_one_current_per_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.printed_name} ({self.get_side_display()})"


# Local agreements, request procedures and contingency arrangements (PA 3.1.2, 3.1.6, 3.1.7, 3.2.5).


class LocalAgreementKind(models.TextChoices):
    ADMINISTRATION = "administration", "Administration procedure"
    FRAUD = "fraud", "Fraud procedure"
    INFORMATION_REQUESTS = "information-requests", "Information request procedure"
    TELEPHONE = "telephone", "Telephone access"
    CONTINGENCY = "contingency", "Contingency plan (loss of CIS access or ETD feeds)"
    OTHER = "other", "Other"


class LocalAgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class LocalAgreement(models.Model):
    """One version of a board's local agreement. A change is a new version (`previous` points back); the old one stays
    readable, and becomes superseded only when the board agrees the new one at a held meeting."""

    FREE_TEXT = {
        "title": "title",
        "text": ("document", "what is agreed"),
        "invoked_when": ("medium", "when it is invoked"),
        "jcp_actions": ("medium", "what Jobcentre Plus does"),
        "la_actions": ("medium", "what the Local Authorities do"),
        "withdrawn_reason": ("short", "the reason"),
    }

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="local_agreements")
    kind = models.CharField(max_length=24, choices=LocalAgreementKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField("what is agreed", max_length=20_000)
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(
        max_length=12, choices=LocalAgreementStatus.choices, default=LocalAgreementStatus.PROPOSED
    )
    local_authorities = models.ManyToManyField(
        LocalAuthority, related_name="local_agreements", blank=True, verbose_name="Local Authorities covered"
    )
    districts = models.ManyToManyField(
        "liaison.District", related_name="local_agreements", blank=True, verbose_name="districts covered"
    )
    agreed_at = models.ForeignKey(
        "boards.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_agreements_agreed",
        help_text="The held meeting at which the board agreed it.",
    )
    review_on = models.DateField("review by", null=True, blank=True)
    # A contingency plan (PA 3.1.7) says when it is invoked, what each side does and who decides.
    invoked_when = models.TextField("when it is invoked", blank=True, max_length=5_000)
    jcp_actions = models.TextField("what Jobcentre Plus does", blank=True, max_length=5_000)
    la_actions = models.TextField("what the Local Authorities do", blank=True, max_length=5_000)
    decided_by = models.CharField("who decides to invoke it", max_length=200, blank=True)
    withdrawn_reason = models.TextField(blank=True, max_length=2_000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(m2m_fields=[local_authorities, districts])

    class Meta:
        ordering = ["board", "kind", "title", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["agreed", "superseded"]) | Q(agreed_at__isnull=False),
                name="local_agreement_agreed_at_a_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return path_for("agreements:local-detail", self.pk)

    @property
    def is_contingency(self) -> bool:
        return self.kind == LocalAgreementKind.CONTINGENCY


class RequestKind(models.TextChoices):
    CUSTOMER_STATEMENT = "customer-statement", "Customer statement"
    CLAIM_EVIDENCE = "claim-evidence", "Claim evidence"
    URGENT_PAYMENT = "urgent-payment", "Urgent payment query"
    OTHER = "other", "Other request"


class RequestChannel(models.TextChoices):
    SECURE_EMAIL = "secure-email", "Secure email"
    TELEPHONE = "telephone", "Telephone"
    FORM = "form", "Form"


class RequestProcedure(models.Model):
    """How one kind of request for information is made, and answered within how many working days (PA 3.1.2)."""

    local_agreement = models.ForeignKey(LocalAgreement, on_delete=models.PROTECT, related_name="procedures")
    request_kind = models.CharField(max_length=24, choices=RequestKind.choices)
    other_kind = models.CharField("name of the request", max_length=120, blank=True)
    channel = models.CharField(max_length=16, choices=RequestChannel.choices)
    address = models.CharField(
        "secure email address, telephone number or form", max_length=200, help_text="Where the request goes."
    )
    target_working_days = models.PositiveSmallIntegerField("answered within (working days)")

    history = HistoricalRecords()

    class Meta:
        ordering = ["local_agreement", "request_kind", "pk"]

    def __str__(self) -> str:
        return f"{self.request_label} by {self.get_channel_display().lower()}"

    @property
    def request_label(self) -> str:
        return (
            self.other_kind
            if self.request_kind == RequestKind.OTHER and self.other_kind
            else self.get_request_kind_display()
        )


class NationalSteer(models.Model):
    """GPT's national guidance on contingency arrangements, shown beside every board's plan (PA 3.1.7)."""

    FREE_TEXT = {"title": "title", "text": ("document", "the steer")}

    title = models.CharField(max_length=200)
    text = models.TextField(max_length=20_000)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ContingencyInvocation(models.Model):
    """A contingency plan put into effect: who, when, why, for which LAs; when stood down and what was learnt."""

    FREE_TEXT = {"reason": ("medium", "the reason"), "lessons": ("medium", "what was learnt")}

    plan = models.ForeignKey(LocalAgreement, on_delete=models.PROTECT, related_name="invocations")
    invoked_at = models.DateTimeField(default=timezone.now)
    invoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=5_000)
    local_authorities = models.ManyToManyField(LocalAuthority, related_name="+", verbose_name="Local Authorities")
    stood_down_at = models.DateTimeField(null=True, blank=True)
    stood_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lessons = models.TextField("what was learnt", blank=True, max_length=5_000)

    history = HistoricalRecords(m2m_fields=[local_authorities])

    class Meta:
        ordering = ["-invoked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan.title} invoked on {self.invoked_at:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.stood_down_at is None
