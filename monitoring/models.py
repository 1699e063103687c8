"""Monitoring the Partnership Agreement's standards (PA 3.1, 5.3, annex 4) on samples of cases.

Every target is in working days on the calendar of the LA's nation. The working days a sample took are stored with
it when it is saved, so that results are counted by the database rather than by looping over samples.
"""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.models import Board
from liaison.links import path_for
from liaison.models import LocalAuthority
from monitoring.querysets import (
    AreaQuerySet,
    AttestationQuerySet,
    ExerciseQuerySet,
    PlanQuerySet,
    SampleQuerySet,
    StandardQuerySet,
)

MINIMUM_AREAS = 3
SAMPLE_RATE = 0.025
NO_TARGET = "No measurable target yet"


class StandardSide(models.TextChoices):
    """Whose work a standard measures (PA annex 4): ADM-3, for one, is the LA's forwarding to the BDC."""

    JCP = "jcp", "Jobcentre Plus"
    LA = "la", "Local Authority"
    BOTH = "both", "Both"


class AttestationPart(models.TextChoices):
    """ARR-1 appears twice in annex 4, once for administration and once for fraud: each is attested on its own."""

    WHOLE = "", "The whole standard"
    ADMIN = "admin", "Administration"
    FRAUD = "fraud", "Fraud"


# National standards attested in parts (PA annex 4 lists ARR-1 for administration and again for fraud).
ATTESTED_IN_PARTS = {"ARR-1": [AttestationPart.ADMIN, AttestationPart.FRAUD]}


class StandardKind(models.TextChoices):
    TIMELINESS = "timeliness", "Timeliness (working days)"
    COMPLIANCE = "compliance", "Compliance (yes or no per case)"
    ATTESTATION = "attestation", "Attestation (no sample)"


def target_label(kind: str, compliance_target: int | None, thresholds: list[Threshold]) -> str:
    """A standard's target in words, from its kind, compliance target and thresholds (now or as they once were)."""
    if kind == StandardKind.COMPLIANCE:
        return f"{compliance_target}% compliant"
    if kind == StandardKind.ATTESTATION:
        return "Attestation, no sample"
    if not thresholds:
        return NO_TARGET
    return " and ".join(t.label for t in thresholds)


class Standard(models.Model):
    """A standard of the PA's catalogue (board empty) or a board's locally agreed standard (PA 3.1.6)."""

    FREE_TEXT = {"title": ("line", "the title"), "notes": "long"}

    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=StandardKind.choices)
    side = models.CharField(
        "whose work it measures", max_length=4, choices=StandardSide.choices, default=StandardSide.BOTH
    )
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="local_standards",
        help_text="Empty for the national catalogue; a board for a standard only that board uses.",
    )  # fmt: skip
    compliance_target = models.PositiveSmallIntegerField(
        "compliance target (%)", null=True, blank=True, help_text="For compliance standards: share of cases 'yes'."
    )
    notes = models.TextField(blank=True)

    objects = StandardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(board__isnull=True), name="standard_code_national"),
            models.UniqueConstraint(fields=["board", "code"], name="standard_code_per_board"),
            models.CheckConstraint(
                condition=Q(kind="compliance", compliance_target__gte=1, compliance_target__lte=100)
                | (~Q(kind="compliance") & Q(compliance_target__isnull=True)),
                name="standard_compliance_target_only_for_compliance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def is_local(self) -> bool:
        return self.board_id is not None

    @property
    def target_label(self) -> str:
        return target_label(self.kind, self.compliance_target, list(self.thresholds.all()))

    @property
    def attestation_parts(self) -> list[str]:
        """The parts attested separately (ARR-1: administration and fraud); empty for a standard attested whole."""
        return list(ATTESTED_IN_PARTS.get(self.code, [])) if self.board_id is None else []

    @property
    def has_target(self) -> bool:
        """A timeliness standard is measurable only once it has a threshold; the other kinds always are."""
        return self.kind != StandardKind.TIMELINESS or bool(self.thresholds.all())


class Threshold(models.Model):
    """'P% of cases within N working days'; a standard may have several (ADM-2: 90% ≤ 2 and 100% ≤ 5)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="thresholds")
    percent = models.PositiveSmallIntegerField()
    days = models.PositiveSmallIntegerField("working days")

    history = HistoricalRecords()

    class Meta:
        ordering = ["standard_id", "days"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "days"], name="threshold_one_per_days"),
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100), name="threshold_percent_1_to_100"),
            models.CheckConstraint(condition=Q(days__gte=1), name="threshold_days_at_least_1"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.percent}% within {self.days} working day{'s' if self.days != 1 else ''}"


def period_start(day: datetime.date) -> datetime.date:
    """Monitoring runs in six-month periods: January to June and July to December."""
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def period_end(start: datetime.date) -> datetime.date:
    return datetime.date(start.year, 6, 30) if start.month == 1 else datetime.date(start.year, 12, 31)


def period_label(start: datetime.date) -> str:
    return f"{start:%B %Y} to {period_end(start):%B %Y}"


class Plan(models.Model):
    """A board's choice of areas to monitor in one six-month period; confirmed once it has at least 3."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="monitoring_plans")
    period_start = models.DateField(help_text="1 January or 1 July.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["board", "period_start"], name="plan_one_per_board_period"),
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_start)

    @property
    def period_end(self) -> datetime.date:
        return period_end(self.period_start)


class Area(models.Model):
    """One standard a board monitors in a period, the local risk it answers and who monitors it."""

    FREE_TEXT = {"local_risk": ("short", "the local risk")}

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="areas")
    local_risk = models.TextField("local risk it is aligned with")
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="monitoring_areas",
        verbose_name="who monitors it",
    )  # fmt: skip

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "standard__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "standard"], name="area_standard_once_per_plan"),
            models.CheckConstraint(condition=~Q(local_risk=""), name="area_names_a_local_risk"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} ({self.plan})"


def proposed_sample_size(throughput: int) -> int:
    """2.5% of the throughput, rounded up, and at least 1 (PA annex 4)."""
    return max(1, math.ceil(throughput * SAMPLE_RATE - 1e-9))


class Exercise(models.Model):
    """Sampling one area's cases of one LA over a sampled period."""

    FREE_TEXT = {"agreed_size_reason": ("short", "the reason for the smaller size")}

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="exercises")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", help_text="Its nation's calendar counts the days."
    )
    sampled_from = models.DateField("first day sampled")
    sampled_to = models.DateField("last day sampled")
    throughput = models.PositiveIntegerField(help_text="The relevant cases in the sampled period.")
    proposed_size = models.PositiveIntegerField("proposed sample size")
    agreed_size = models.PositiveIntegerField("smaller agreed sample size", null=True, blank=True)
    agreed_size_reason = models.TextField("reason for the smaller size", blank=True)
    required_size = models.PositiveIntegerField("sample size required")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ExerciseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sampled_from", "pk"]
        indexes = [
            # The checks judge each area and LA by the exercise completed last (monitoring/checks.py).
            models.Index(fields=["area", "local_authority", "completed_at"], name="exercise_latest_per_area_la"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sampled_to__gte=F("sampled_from")), name="exercise_period_in_order"),
            models.CheckConstraint(
                condition=Q(agreed_size__isnull=True, required_size=F("proposed_size"))
                | Q(agreed_size__gte=1, agreed_size__lt=F("proposed_size"), required_size=F("agreed_size")),
                name="exercise_required_size_is_agreed_or_proposed",
            ),
            models.CheckConstraint(
                condition=Q(agreed_size__isnull=True) | ~Q(agreed_size_reason=""),
                name="exercise_smaller_size_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.standard.code}, {self.local_authority.name}, {self.sampled_from:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return path_for("monitoring:exercise-detail", self.pk)


class Sample(models.Model):
    """One sampled case: a case reference (never a NINO or a name), its dates, and for compliance a yes or no."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="samples")
    case_reference = models.CharField(max_length=40)
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True, help_text="Empty while the case is still open.")
    working_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Counted on the LA's nation's calendar when saved; empty while open."
    )
    compliant = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SampleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["exercise_id", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "case_reference"], name="sample_reference_once_per_exercise"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="sample_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, working_days__isnull=True)
                | Q(ended_on__isnull=False, working_days__isnull=False),
                name="sample_working_days_stored_when_ended",
            ),
        ]
        indexes = [models.Index(fields=["exercise", "working_days"], name="sample_exercise_days")]

    def __str__(self) -> str:
        return self.case_reference


class Attestation(models.Model):
    """For an attestation standard (no sample): who attested what, and when."""

    FREE_TEXT = {"statement": "long"}

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="attestations")
    part = models.CharField(max_length=5, choices=AttestationPart.choices, blank=True, default="")
    statement = models.TextField()
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attested_at = models.DateTimeField(default=timezone.now)

    objects = AttestationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-attested_at"]
        constraints = [models.CheckConstraint(condition=~Q(statement=""), name="attestation_has_a_statement")]

    def __str__(self) -> str:
        return f"{self.area}: attested {self.attested_at:%-d %b %Y}"


class CaseReferenceShape(models.Model):
    """A board's own shape of case reference for its case system, narrowing the national rule
    (`liaison.validators.case_reference_problem`): "#" a digit, "@" a letter, other characters themselves."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="case_reference_shape")
    shape = models.CharField(max_length=200, help_text="For example HB/######, or several separated by commas.")
    example = models.CharField(max_length=40)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.board}: {self.shape}"

    @property
    def pattern(self):
        from liaison.validators import shape_pattern

        return shape_pattern(self.shape)
