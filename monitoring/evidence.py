"""Monitoring's evidence for the Joint Boards' management information (registered with boards.evidence).

Counted over the exercises of the board's plans completed in the period, each judged by its standard's targets as
they were when it was completed (`exercise_results`, a fixed number of queries for any number of exercises). The
trend adds up the exercises of each six-month monitoring period, as the board's monitoring page does.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from boards.evidence import (
    Better,
    Chart,
    EvidenceSource,
    Indicator,
    Section,
    Table,
    Unit,
    format_value,
    percent,
    register_evidence,
)
from monitoring.models import Exercise, period_start
from monitoring.selectors import exercise_results, period_series

INDICATORS = (
    Indicator("monitoring-exercises", "Monitoring exercises completed"),
    Indicator("monitoring-samples", "Cases sampled"),
    Indicator("monitoring-standards", "Standards monitored"),
    Indicator("monitoring-met", "Targets met", Unit.PERCENT, Better.HIGHER),
    Indicator("monitoring-not-met", "Standards not met", Unit.COUNT, Better.LOWER, attention="standards not met"),
)
TREND_PERIODS = 4


def _completed(board_ids, start: datetime.date, end: datetime.date):
    return Exercise.objects.filter(
        area__plan__board_id__in=board_ids, completed_at__date__gte=start, completed_at__date__lte=end
    )


def figures(board_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, dict]:
    out = {b: {"monitoring-exercises": 0, "monitoring-samples": 0, "monitoring-standards": 0,
               "monitoring-met": None, "monitoring-not-met": 0} for b in board_ids}  # fmt: skip
    standards: dict[int, set[int]] = {}
    not_met: dict[int, set[int]] = {}
    verdicts: dict[int, list[bool]] = {}
    for result in exercise_results(_completed(board_ids, start, end), end):
        board_id = result.exercise.area.plan.board_id
        board = out[board_id]
        board["monitoring-exercises"] += 1
        board["monitoring-samples"] += result.samples
        standard_id = result.exercise.area.standard_id
        standards.setdefault(board_id, set()).add(standard_id)
        for row in result.rows:
            if row.met is not None:
                verdicts.setdefault(board_id, []).append(row.met)
        if result.met is False:
            not_met.setdefault(board_id, set()).add(standard_id)
    for board_id, values in standards.items():
        out[board_id]["monitoring-standards"] = len(values)
    for board_id, values in not_met.items():
        out[board_id]["monitoring-not-met"] = len(values)
    for board_id, values in verdicts.items():
        out[board_id]["monitoring-met"] = percent(sum(values), len(values))
    return out


def section(board, start: datetime.date, end: datetime.date) -> Section:
    summary = figures([board.pk], start, end)[board.pk]
    result = Section(
        key="monitoring",
        title="Monitoring of the Partnership Agreement's standards",
        headlines=[(i.label, format_value(summary[i.key], i.unit)) for i in INDICATORS],
    )
    rows = []
    for item in exercise_results(_completed([board.pk], start, end).order_by("area__standard__code", "pk"), end):
        exercise = item.exercise
        for row in item.rows:
            rows.append(
                [
                    exercise.area.standard.code,
                    exercise.local_authority.name,
                    row.label,
                    f"{row.within} of {row.decided}",
                    format_value(row.percent, Unit.PERCENT),
                    f"{row.target_percent}%",
                    {True: "Met", False: "Not met", None: "No decided cases"}[row.met],
                    row.open_past,
                ]
            )
    result.tables.append(
        Table(
            caption="Results of the exercises completed in the period",
            columns=[
                "Standard",
                "Local Authority",
                "Threshold",
                "Within target",
                "Share",
                "Target",
                "Result",
                "Still open past target",
            ],  # fmt: skip
            rows=rows or [["None completed", "", "", "", "", "", "", ""]],
            header_columns=1,
        )
    )
    # The trend: the last few six-month periods up to the end of this one, each standard's share within target.
    first = period_start(end) - relativedelta(months=6 * (TREND_PERIODS - 1))
    history = exercise_results(
        Exercise.objects.filter(
            area__plan__board=board, area__plan__period_start__gte=first, completed_at__date__lte=end
        ),
        end,
    )
    series = period_series(history)
    periods = sorted({bar.label for entry in series for bar in entry["bars"]}, key=_period_order)
    if series:
        lines = [
            (f"{entry['code']} {entry['threshold']}", [_share(entry, label) for label in periods]) for entry in series
        ]
        result.charts.append(
            Chart(
                title="Share of cases within target by monitoring period",
                kind="line",
                labels=[_short(label) for label in periods],
                series=lines[:6],
                unit=Unit.PERCENT,
                summary=f"Each standard's share of cases within target in the last {len(periods)} monitoring "
                "periods" + (" (the first six standards; the table has them all)" if len(lines) > 6 else "") + ".",
            )
        )
        result.tables.append(
            Table(
                caption="Share of cases within target by monitoring period (%)",
                columns=["Standard and threshold", *periods],
                rows=[[name, *[format_value(v, Unit.PERCENT) for v in values]] for name, values in lines],
            )
        )
    return result


def _period_order(label: str) -> datetime.date:
    return datetime.datetime.strptime(label.split(" to ")[0], "%B %Y").date()


def _short(label: str) -> str:
    """ "July 2025 to December 2025" as "Jul to Dec 2025", to fit under a chart."""
    start = _period_order(label)
    end = start + relativedelta(months=5)
    return f"{start:%b} to {end:%b %Y}"


def _share(entry: dict, label: str):
    for bar in entry["bars"]:
        if bar.label == label:
            return bar.percent
    return None


def register() -> None:
    register_evidence(
        EvidenceSource(
            key="monitoring", title="Monitoring", order=20, indicators=INDICATORS, figures=figures, section=section
        )
    )
