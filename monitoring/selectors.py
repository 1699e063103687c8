"""Reads of monitoring. Results are counted by the database from the working days stored with each sample."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from boards.models import Board
from liaison import calendar
from liaison.links import path_for
from liaison.models import District, Nation
from liaison.querysets import kept_query, scope_key
from liaison.scoping import scope_for
from monitoring.models import Area, Attestation, Exercise, Plan, Sample, Standard, StandardKind, Threshold, target_label


def standards(user) -> QuerySet[Standard]:
    return Standard.objects.visible_to(user).select_related("board").prefetch_related("thresholds")


def threshold_history(standard: Standard) -> QuerySet:
    """Every version of the standard's thresholds, newest first: who set which target, and when."""
    return (
        Threshold.history.filter(standard_id=standard.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


@dataclass
class Targets:
    """A standard's targets at one time: its compliance target and its thresholds (by days) as they then were."""

    standard: Standard
    compliance_target: int | None
    thresholds: list[Threshold]

    @property
    def label(self) -> str:
        return target_label(self.standard.kind, self.compliance_target, self.thresholds)


def _latest_versions(versions: list, when: datetime.datetime) -> dict[int, object]:
    """Per object id, its latest version recorded at or before `when` (`versions` ordered oldest first).

    Where the history starts after `when`, its first recorded state stands in: the seeded catalogue's history was
    recorded when its migration ran, after anything judged before that.
    """
    latest: dict[int, object] = {}
    if versions:
        when = max(when, versions[0].history_date)
    for version in versions:
        if version.history_date > when:
            break
        latest[version.id] = version
    return latest


def targets_as_of(wanted: Iterable[tuple[Standard, datetime.datetime | None]]) -> list[Targets]:
    """The targets in force for each (standard, time) asked, None meaning now, in the order asked.

    Two queries whatever the number asked (one over `Threshold.history`, one over `Standard.history`, for the
    standards involved); the standards' current `thresholds` must be prefetched. At a time, a threshold counts by its
    latest version recorded at or before it, unless that version records a deletion ('-'), so a threshold added
    later does not apply and a changed one keeps its earlier value; the compliance target likewise. A threshold
    with no history at all counts as it is now.
    """
    wanted = list(wanted)
    standards = {standard.pk: standard for standard, _when in wanted}
    if not standards:
        return []
    # The versions as plain records of the fields read here: history models are slow to build, and a page of
    # national results reads every version of every standard shown.
    threshold_versions: dict[int, list] = defaultdict(list)
    for version in (
        Threshold.history.filter(standard_id__in=list(standards))
        .order_by("history_date", "history_id")
        .values("id", "standard_id", "percent", "days", "history_date", "history_type")
    ):
        threshold_versions[version["standard_id"]].append(SimpleNamespace(**version))
    standard_versions: dict[int, list] = defaultdict(list)
    for version in (
        Standard.history.filter(id__in=list(standards))
        .order_by("history_date", "history_id")
        .values("id", "compliance_target", "history_date")
    ):
        standard_versions[version["id"]].append(SimpleNamespace(**version))
    targets: dict[tuple[int, datetime.datetime | None], Targets] = {}
    for standard, when in wanted:
        if (standard.pk, when) in targets:
            continue
        current = list(standard.thresholds.all())
        if when is None:
            targets[(standard.pk, when)] = Targets(standard, standard.compliance_target, current)
            continue
        versions = threshold_versions[standard.pk]
        recorded = {version.id for version in versions}
        in_force = {t.pk: t for t in current if t.pk not in recorded}
        for version in _latest_versions(versions, when).values():
            if version.history_type != "-":
                in_force[version.id] = Threshold(
                    pk=version.id, standard_id=version.standard_id, percent=version.percent, days=version.days
                )
        then = _latest_versions(standard_versions[standard.pk], when).get(standard.pk)
        compliance_target = then.compliance_target if then is not None else standard.compliance_target
        thresholds = sorted(in_force.values(), key=lambda t: t.days)
        targets[(standard.pk, when)] = Targets(standard, compliance_target, thresholds)
    return [targets[(standard.pk, when)] for standard, when in wanted]


# The same few (day, target, nation) are asked on every page of results, each a walk back over the calendar.
@lru_cache(maxsize=1024)
def open_past_cutoff(today: datetime.date, days: int, nation: str) -> datetime.date:
    """The first start date whose open case is NOT yet past `days` working days: earlier starts are past target."""
    start = today
    while calendar.working_days_between(start, today, nation) <= days:
        start -= datetime.timedelta(days=1)
    return start + datetime.timedelta(days=1)


def _aggregates(day_counts: list[int], today: datetime.date, *, sample: str, nation: str) -> dict[str, Count]:
    """Counts of samples for every threshold in `day_counts`, for whatever rows the query groups by.

    `sample` is the path from the grouped model to the sample ('' on Sample, 'samples__' on Exercise), `nation` the
    path to the LA's nation. A case still open counts against a threshold once it is older than the target on its
    LA's nation's calendar.
    """

    def q(**lookups) -> Q:
        return Q(**{f"{sample}{lookup}": value for lookup, value in lookups.items()})

    pk = f"{sample}pk"
    aggregates = {
        "total": Count(pk),
        "open": Count(pk, filter=q(ended_on__isnull=True)),
        "yes": Count(pk, filter=q(compliant=True)),
        "no": Count(pk, filter=q(compliant=False)),
    }
    for days in day_counts:
        past = Q()
        for code in Nation.values:
            past |= Q(**{nation: code}) & q(started_on__lt=open_past_cutoff(today, days, code))
        aggregates[f"within_{days}"] = Count(pk, filter=q(working_days__lte=days))
        aggregates[f"late_{days}"] = Count(pk, filter=q(working_days__gt=days))
        aggregates[f"open_past_{days}"] = Count(pk, filter=q(ended_on__isnull=True) & past)
    return aggregates


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
    targets: Targets
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

    A completed exercise is judged by its standard's targets as they were when it was completed, one still open by
    the current ones (`targets_as_of`). A fixed number of queries whatever the number of exercises and samples: the
    exercises, their current thresholds, the targets' history, one aggregate. A case counts towards a threshold's
    percentage once decided: ended, or still open past that target.
    """
    today = today or timezone.localdate()
    exercises = list(
        exercises.select_related("area__standard", "area__plan__board", "local_authority").prefetch_related(
            Prefetch("area__standard__thresholds", queryset=Threshold.objects.order_by("days"))
        )
    )
    if not exercises:
        return []
    judged_by = dict(zip(exercises, targets_as_of((e.area.standard, e.completed_at) for e in exercises), strict=True))
    day_counts = sorted({t.days for judged in judged_by.values() for t in judged.thresholds})
    aggregates = _aggregates(day_counts, today, sample="", nation="exercise__local_authority__nation")
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
        judged = judged_by[exercise]
        result = ExerciseResult(exercise, samples=row.get("total", 0), open=row.get("open", 0), targets=judged)
        result.rows = _threshold_rows(judged, row)
        results.append(result)
    return results


def _threshold_rows(targets: Targets, counts: dict) -> list[ThresholdResult]:
    """One result per threshold (or the compliance share) of `targets` from a row of `_aggregates` counts."""
    if targets.standard.kind == StandardKind.COMPLIANCE:
        yes, no = counts.get("yes", 0), counts.get("no", 0)
        return [ThresholdResult("Compliant", targets.compliance_target, yes, yes + no, 0)]
    rows = []
    for threshold in targets.thresholds:
        within = counts.get(f"within_{threshold.days}", 0)
        past = counts.get(f"open_past_{threshold.days}", 0)
        decided = within + counts.get(f"late_{threshold.days}", 0) + past
        rows.append(ThresholdResult(threshold.label, threshold.percent, within, decided, past))
    return rows


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
            f"{exercise.area.standard.code} ({exercise.local_authority.name}, {exercise.sampled_from:%-d %B %Y} to "
            f"{exercise.sampled_to:%-d %B %Y}): {result.samples} of {exercise.required_size} cases sampled"
        )
        for row in result.rows:
            verdict = {True: "met", False: "NOT met", None: "no decided cases"}[row.met]
            share = f"{row.percent}%" if row.percent is not None else "-"
            lines.append(f"  {row.label}: {row.within} of {row.decided} ({share}), {verdict}")
    attestations = Attestation.objects.filter(area__plan=plan).select_related("area__standard", "attested_by")
    for attestation in attestations.order_by("area__standard__code", "attested_at"):
        who = attestation.attested_by.get_full_name() or attestation.attested_by.username
        part = f" ({attestation.get_part_display().lower()})" if attestation.part else ""
        lines.append(
            f"{attestation.area.standard.code}{part} attested by {who} on {attestation.attested_at:%-d %B %Y}: "
            f"{attestation.statement}"
        )
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


def national_periods(user) -> list[datetime.date]:
    """The six latest periods any visible board planned, newest first."""
    # Asked on every visit of the national view, with SQL that depends on the user's scope alone: kept compiled.
    return kept_query(
        ("monitoring.periods", scope_key(scope_for(user))),
        lambda: (
            Plan.objects.visible_to(user)
            .order_by("-period_start")
            .values_list("period_start", flat=True)
            .distinct()[:6]
        ),
    ).rows()


def _board_region(board_path: str) -> Subquery:
    """A board's region: that of its first district by name, as the national index of boards shows it."""
    return Subquery(District.objects.filter(boards=OuterRef(board_path)).order_by("name").values("region__name")[:1])


@dataclass
class NationalRow:
    region: str
    board_id: int | None  # None for a region's total or the national total
    board_title: str
    exercises: int
    result: ThresholdResult

    @property
    def is_total(self) -> bool:
        return self.board_id is None


@dataclass
class NationalTable:
    standard: Standard
    targets: Targets
    label: str
    rows: list[NationalRow] = field(default_factory=list)


def national_results(user, start: datetime.date, today: datetime.date | None = None) -> list[NationalTable]:
    """Each sampled standard's results in a period by board, by region and in all, counted by the database.

    Rows of one standard are summed, so they are judged by one set of its targets: those in force when the last of
    its exercises shown was completed, or the current ones while any of them is still open. This is what a board's
    page shows for that last (or open) exercise; earlier exercises of the period keep their own targets there.
    A fixed number of queries whatever the number of boards, exercises and samples: the standards and their
    thresholds, the targets' history (two), one aggregate by board, and the boards' regions.
    """
    today = today or timezone.localdate()

    def period_exercises():
        return (
            Exercise.objects.visible_to(user)
            .filter(area__plan__period_start=start)
            .exclude(area__standard__kind=StandardKind.ATTESTATION)
        )

    # The page's two aggregates depend on the user's scope, the period and the day alone: kept compiled.
    key = ("monitoring.national", scope_key(scope_for(user)), start, today)
    # Whether each standard has an exercise still open and when its last was completed, in one aggregate: simpler
    # for PostgreSQL to plan than a subquery per standard over the same joins.
    state = {
        row["area__standard"]: row
        for row in kept_query(
            (*key, "state"),
            lambda: (
                period_exercises()
                .order_by()
                .values("area__standard")
                .annotate(open=Count("pk", filter=Q(completed_at__isnull=True)), last_completed=Max("completed_at"))
            ),
        ).rows()
    }
    if not state:
        return []
    standards = list(
        Standard.objects.filter(pk__in=list(state))
        .select_related("board")
        .prefetch_related(Prefetch("thresholds", queryset=Threshold.objects.order_by("days")))
        .order_by("code", "board_id")
    )
    for standard in standards:
        standard.still_open = state[standard.pk]["open"] > 0
        standard.last_completed = state[standard.pk]["last_completed"]
    as_of = [(standard, None if standard.still_open else standard.last_completed) for standard in standards]
    judged_by = dict(zip(standards, targets_as_of(as_of), strict=True))
    day_counts = sorted({t.days for judged in judged_by.values() for t in judged.thresholds})
    aggregates = _aggregates(day_counts, today, sample="samples__", nation="local_authority__nation")
    counted = {"exercises": Count("pk", distinct=True), **aggregates}
    # One aggregate by board; regions and the nation are sums of its rows (every figure is a count), and each
    # board's region is looked up once per board, not once per sample.
    by_board = kept_query(
        (*key, "by-board", tuple(day_counts)),
        lambda: (
            period_exercises()
            .order_by()
            .values("area__standard", "area__plan__board", "area__plan__board__title")
            .annotate(**counted)
        ),
    ).rows()
    shown_boards = sorted({row["area__plan__board"] for row in by_board})
    region_of = dict(
        kept_query(
            ("monitoring.regions", tuple(shown_boards)),
            lambda: (
                Board.objects.filter(pk__in=shown_boards)
                .annotate(region=_board_region("pk"))
                .values_list("pk", "region")
            ),
        ).rows()
    )
    regions: dict[int, dict[str, dict]] = {}
    boards: dict[tuple[int, str], list[dict]] = {}
    overall: dict[int, dict] = {}
    for row in by_board:
        region = region_of.get(row["area__plan__board"]) or ""
        boards.setdefault((row["area__standard"], region), []).append(row)
        for total in (
            regions.setdefault(row["area__standard"], {}).setdefault(region, dict.fromkeys(counted, 0)),
            overall.setdefault(row["area__standard"], dict.fromkeys(counted, 0)),
        ):
            for key in counted:
                total[key] += row[key]

    tables = []
    for standard in standards:
        judged = judged_by[standard]
        standard_tables = [NationalTable(standard, judged, r.label) for r in _threshold_rows(judged, {})]
        for region in sorted(regions.get(standard.pk, {})):
            for row in sorted(boards.get((standard.pk, region), []), key=lambda r: r["area__plan__board__title"]):
                _national_add(standard_tables, region, row["area__plan__board"], row["area__plan__board__title"], row)
            _national_add(standard_tables, region, None, f"All boards in {region or 'no region'}",
                          regions[standard.pk][region])  # fmt: skip
        _national_add(standard_tables, "", None, "All regions", overall[standard.pk])
        tables.extend(standard_tables)
    return tables


def _national_add(tables: list[NationalTable], region: str, board_id: int | None, title: str, counts: dict) -> None:
    """One row in each of a standard's threshold tables from one row of aggregate counts."""
    if not tables:
        return
    for table, result in zip(tables, _threshold_rows(tables[0].targets, counts), strict=True):
        table.rows.append(NationalRow(region, board_id, title, counts["exercises"], result))


def national_attestations(user, start: datetime.date) -> QuerySet:
    """Attestation areas of a period by board: how many attestations, and the latest (one query)."""
    return (
        Area.objects.visible_to(user)
        .filter(plan__period_start=start, standard__kind=StandardKind.ATTESTATION)
        .annotate(region=_board_region("plan__board"), attested=Count("attestations"),
                  last_attested=Max("attestations__attested_at"))
        .values("standard__code", "standard__title", "region", "plan__board", "plan__board__title", "attested",
                "last_attested")
        .order_by("standard__code", "region", "plan__board__title")
    )  # fmt: skip


def monitored_area_ids(*, user) -> QuerySet:
    """The ids of the areas naming the user as their monitor, on boards the user still sees."""
    return Area.objects.visible_to(user).filter(monitor_id=user.pk).order_by().values_list("pk", flat=True)


def open_exercises(*, area_ids: list[int] | QuerySet) -> QuerySet[Exercise]:
    """Exercises of these areas not yet completed (from the exercises alone: how many, quickly)."""
    return Exercise.objects.filter(area_id__in=area_ids, completed_at__isnull=True)


def exercises_to_finish(*, area_ids: list[int] | QuerySet) -> QuerySet[Exercise]:
    """Exercises of these areas not yet completed, first due first, as rows of what the home page lists of them
    (`with_cases_recorded` adds how many cases each has so far)."""
    return (
        open_exercises(area_ids=area_ids)
        .order_by("sampled_to", "pk")
        .values(
            "pk",
            "required_size",
            "area__standard__code",
            "area__plan__board__title",
            "local_authority__name",
        )
    )


def with_cases_recorded(exercises: list[dict]) -> list[dict]:
    """Each exercise row with `sampled`, its cases recorded so far: counted for these few alone, by the index on
    the samples' exercise, rather than by a subquery compiled into the list."""
    counts = dict(
        Sample.objects.filter(exercise_id__in=[row["pk"] for row in exercises])
        .order_by()
        .values_list("exercise_id")
        .annotate(n=Count("*"))
    )
    for row in exercises:
        row["sampled"] = counts.get(row["pk"], 0)
        row["url"] = path_for("monitoring:exercise-detail", row["pk"])
    return exercises


def areas_to_start(*, area_ids: list[int] | QuerySet, start: datetime.date) -> QuerySet[Area]:
    """Those of these areas in the period starting `start` that have no exercise yet."""
    return (
        Area.objects.filter(pk__in=area_ids, plan__period_start=start, exercises__isnull=True)
        .select_related("standard", "plan__board")
        .order_by("plan__board__title", "standard__code")
    )
