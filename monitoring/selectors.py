"""Reads of monitoring. Results are counted by the database from the working days stored with each sample."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison import calendar
from liaison.models import Nation
from monitoring.models import Area, Attestation, Exercise, Plan, Sample, Standard, StandardKind, Threshold


def standards(user) -> QuerySet[Standard]:
    return Standard.objects.visible_to(user).select_related("board").prefetch_related("thresholds")


def open_past_cutoff(today: datetime.date, days: int, nation: str) -> datetime.date:
    """The first start date whose open case is NOT yet past `days` working days: earlier starts are past target."""
    start = today
    while calendar.working_days_between(start, today, nation) <= days:
        start -= datetime.timedelta(days=1)
    return start + datetime.timedelta(days=1)


def _open_past(days: int, today: datetime.date) -> Q:
    """Still open and already older than `days` working days on its LA's nation's calendar."""
    by_nation = Q()
    for nation in Nation.values:
        cutoff = open_past_cutoff(today, days, nation)
        by_nation |= Q(exercise__local_authority__nation=nation, started_on__lt=cutoff)
    return Q(ended_on__isnull=True) & by_nation


@dataclass
class ThresholdResult:
    label: str
    target_percent: int
    within: int
    decided: int
    open_past: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.within / self.decided, 1) if self.decided else None

    @property
    def met(self) -> bool | None:
        return None if self.percent is None else self.percent >= self.target_percent


@dataclass
class ExerciseResult:
    exercise: Exercise
    samples: int
    open: int
    rows: list[ThresholdResult] = field(default_factory=list)

    @property
    def short(self) -> bool:
        return self.samples < self.exercise.required_size

    @property
    def met(self) -> bool | None:
        verdicts = [row.met for row in self.rows]
        if not verdicts or any(v is None for v in verdicts):
            return None
        return all(verdicts)


def exercise_results(exercises: QuerySet[Exercise], today: datetime.date | None = None) -> list[ExerciseResult]:
    """Per exercise and threshold: cases within target, %, target, met or not, still open past target.

    A fixed number of queries whatever the number of samples: the exercises, their thresholds, one aggregate.
    A case counts towards a threshold's percentage once decided: ended, or still open past that target.
    """
    today = today or timezone.localdate()
    exercises = list(
        exercises.select_related("area__standard", "area__plan__board", "local_authority").prefetch_related(
            Prefetch("area__standard__thresholds", queryset=Threshold.objects.order_by("days"))
        )
    )
    if not exercises:
        return []
    day_counts = sorted({t.days for e in exercises for t in e.area.standard.thresholds.all()})
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(ended_on__isnull=True)),
        "yes": Count("pk", filter=Q(compliant=True)),
        "no": Count("pk", filter=Q(compliant=False)),
    }
    for days in day_counts:
        aggregates[f"within_{days}"] = Count("pk", filter=Q(working_days__lte=days))
        aggregates[f"late_{days}"] = Count("pk", filter=Q(working_days__gt=days))
        aggregates[f"open_past_{days}"] = Count("pk", filter=_open_past(days, today))
    counts = {
        row["exercise_id"]: row
        for row in Sample.objects.filter(exercise__in=[e.pk for e in exercises])
        .values("exercise_id")
        .annotate(**aggregates)
        .order_by()
    }
    results = []
    for exercise in exercises:
        row = counts.get(exercise.pk, {})
        result = ExerciseResult(exercise=exercise, samples=row.get("total", 0), open=row.get("open", 0))
        standard = exercise.area.standard
        if standard.kind == StandardKind.COMPLIANCE:
            yes, no = row.get("yes", 0), row.get("no", 0)
            result.rows.append(ThresholdResult("Compliant", standard.compliance_target, yes, yes + no, 0))
        else:
            for threshold in standard.thresholds.all():
                within = row.get(f"within_{threshold.days}", 0)
                past = row.get(f"open_past_{threshold.days}", 0)
                decided = within + row.get(f"late_{threshold.days}", 0) + past
                result.rows.append(ThresholdResult(threshold.label, threshold.percent, within, decided, past))
        results.append(result)
    return results


def board_plans(board) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(board=board)
        .order_by("-period_start")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.select_related("standard", "monitor").order_by("standard__code")),
            Prefetch("areas__standard__thresholds", queryset=Threshold.objects.order_by("days")),
            Prefetch("areas__attestations", queryset=Attestation.objects.select_related("attested_by")),
        )
    )


def board_exercises(board) -> QuerySet[Exercise]:
    return Exercise.objects.filter(area__plan__board=board).order_by("-sampled_from", "pk")


def plan_results_text(plan: Plan) -> str:
    lines = []
    for result in exercise_results(Exercise.objects.filter(area__plan=plan)):
        exercise = result.exercise
        lines.append(
            f"{exercise.area.standard.code} ({exercise.local_authority.name}, {exercise.sampled_from:%-d %b %Y} to "
            f"{exercise.sampled_to:%-d %b %Y}): {result.samples} of {exercise.required_size} cases sampled"
        )
        for row in result.rows:
            verdict = {True: "met", False: "NOT met", None: "no decided cases"}[row.met]
            share = f"{row.percent}%" if row.percent is not None else "-"
            lines.append(f"  {row.label}: {row.within} of {row.decided} ({share}), {verdict}")
    return "\n".join(lines) or "No exercises recorded for this period yet."


@dataclass
class ChartBar:
    label: str
    percent: float | None
    target: int
    met: bool | None
    within: int
    decided: int


def period_series(results: list[ExerciseResult]) -> list[dict]:
    """Per standard and threshold, the share within target in each period: summed over exercises, not samples."""
    from monitoring.models import period_label

    series: dict[tuple[str, str], dict] = {}
    for result in results:
        standard = result.exercise.area.standard
        start = result.exercise.area.plan.period_start
        for row in result.rows:
            entry = series.setdefault(
                (standard.code, row.label),
                {"code": standard.code, "threshold": row.label, "target": row.target_percent, "periods": {}},
            )
            within, decided = entry["periods"].get(start, (0, 0))
            entry["periods"][start] = (within + row.within, decided + row.decided)
    charts = []
    for (_code, _label), entry in sorted(series.items()):
        bars = []
        for start in sorted(entry["periods"]):
            within, decided = entry["periods"][start]
            percent = round(100 * within / decided, 1) if decided else None
            met = None if percent is None else percent >= entry["target"]
            bars.append(ChartBar(period_label(start), percent, entry["target"], met, within, decided))
        for i, bar in enumerate(bars):
            bar.y = 4 + i * 28
            bar.text_y = bar.y + 15
            bar.width = round((bar.percent or 0) * 2.6)
            bar.value_x = 200 + 260 + 8
        charts.append(
            {
                **entry,
                "bars": bars,
                "id": f"chart-{len(charts) + 1}",
                "target_x": 200 + round(entry["target"] * 2.6),
                "axis_y": 4 + len(bars) * 28,
                "height": 24 + len(bars) * 28,
            }
        )
    return charts


def board_summary(user, today: datetime.date | None = None):
    """The boards a user sees, with the number of areas chosen for the current period (one query)."""
    from boards.models import Board
    from monitoring.models import period_start

    start = period_start(today or timezone.localdate())
    return (
        Board.objects.visible_to(user)
        .exclude(status="wound-up")
        .annotate(
            current_areas=Count("monitoring_plans__areas", filter=Q(monitoring_plans__period_start=start)),
            exercises_done=Count(
                "monitoring_plans__areas__exercises",
                filter=Q(monitoring_plans__areas__exercises__completed_at__isnull=False),
            ),
        )
        .order_by("title")
    )
