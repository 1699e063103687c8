"""Management information (guidelines, "Future developments" and Appendix 1): the measures each organisation reports
every quarter, kept by GPT, and the figures each LA and JCP district enters for them.

Liaison's own evidence (issues, monitoring, actions, meetings, agreements) is not stored here: each app computes it
from its own tables through `boards.evidence`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from liaison.models import District, LocalAuthority
from mi.periods import Quarter
from mi.querysets import FigureQuerySet


class Side(models.TextChoices):
    """Whose performance a measure describes: a balanced view covers both organisations (Appendix 1)."""

    JCP = "jcp", "Jobcentre Plus district"
    LA = "la", "Local Authority"


class Unit(models.TextChoices):
    DAYS = "days", "Average days"
    PERCENT = "percent", "Per cent"
    COUNT = "count", "Number"


class Direction(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class ReportingPeriod(models.TextChoices):
    QUARTER = "quarter", "Quarter"


# The largest value each unit takes: a figure beyond it is a typing error, not a performance.
UNIT_LIMITS = {Unit.DAYS: Decimal("999.9"), Unit.PERCENT: Decimal("100"), Unit.COUNT: Decimal("9999999")}


class MeasureQuerySet(models.QuerySet):
    def current(self) -> MeasureQuerySet:
        return self.filter(retired_on__isnull=True)

    def in_use_on(self, day: datetime.date) -> MeasureQuerySet:
        """Measures not retired before `day`: a retired measure's past quarters still show."""
        return self.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=day))


class Measure(models.Model):
    """A performance measure in GPT's catalogue. Retiring keeps it and its figures; it is never deleted."""

    FREE_TEXT = {"name": "title", "description": ("short", "the description")}

    code = models.SlugField(max_length=40, unique=True, help_text="A short name used in uploaded files.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    side = models.CharField(max_length=3, choices=Side.choices)
    unit = models.CharField(max_length=8, choices=Unit.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    period = models.CharField(max_length=8, choices=ReportingPeriod.choices, default=ReportingPeriod.QUARTER)
    order = models.PositiveSmallIntegerField(default=100)
    retired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["side", "order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    def format(self, value) -> str:
        if value is None:
            return "Not entered"
        value = Decimal(value)
        if self.unit == Unit.PERCENT:
            return f"{value:.1f}%"
        if self.unit == Unit.DAYS:
            return f"{value:.1f} days"
        return f"{value:,.0f}"

    def check_value(self, value: Decimal) -> None:
        limit = UNIT_LIMITS[Unit(self.unit)]
        if value < 0:
            raise ValidationError({"value": "A figure cannot be negative"})
        if value > limit:
            raise ValidationError({"value": f"{self.get_unit_display()} cannot be more than {limit:,}"})


class Figure(models.Model):
    """One organisation's value of one measure for one quarter. A correction keeps the old value in the history,
    with its reason; the row is never deleted."""

    FREE_TEXT = {"reason": ("line", "the reason for the correction")}

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    quarter_start = models.DateField(help_text="The first day of the financial quarter the figure is for.")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="mi_figures"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="mi_figures")
    value = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why the figure was last corrected (empty for the first entry)."
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = FigureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(local_authority__isnull=True, district__isnull=False)
                | Q(local_authority__isnull=False, district__isnull=True),
                name="mi_figure_one_organisation",
            ),
            models.UniqueConstraint(
                fields=["measure", "quarter_start", "local_authority"],
                condition=Q(local_authority__isnull=False),
                name="mi_figure_one_per_la_quarter",
            ),
            models.UniqueConstraint(
                fields=["measure", "quarter_start", "district"],
                condition=Q(district__isnull=False),
                name="mi_figure_one_per_district_quarter",
            ),
        ]
        indexes = [
            # The national page and the board pack read a few quarters of every measure at once.
            models.Index(fields=["quarter_start", "measure"], name="mi_figure_quarter_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.quarter})"

    @property
    def quarter(self) -> Quarter:
        return Quarter.starting(self.quarter_start)

    @property
    def organisation(self):
        return self.local_authority or self.district
