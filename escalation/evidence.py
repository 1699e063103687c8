"""The escalation route's evidence for the Joint Boards' management information (registered with boards.evidence).

An issue belongs to a board when the board has both the issue's district and its LA: the pair is the working
relationship the board oversees (a board of two districts and five LAs covers ten pairs). Issues are counted by the
database, grouped by district and LA, and added up per board here; the working-day figures, which need each LA's
nation's calendar, are worked out from the few columns of the period's resolved issues and of today's open ones.

- Raised: logged in the period. Resolved: resolved in the period. Open at the end: logged by the end of the period
  and not resolved by then.
- Resolved within target: resolved on or before the last working day its level's target allowed from the day it
  reached the level it was resolved at (the clock the stalled-issue alert uses).
- Median working days: from logging to resolution, over the issues resolved in the period.
- Stalled now: open today and past its level's target (the same rule as the stalled-issue alert).
"""

from __future__ import annotations

import datetime
import functools
import statistics
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from boards.evidence import (
    Better,
    Chart,
    EvidenceSource,
    Indicator,
    Section,
    Table,
    Unit,
    format_value,
    partnerships,
    percent,
    register_evidence,
)
from escalation.models import OPEN_STATUSES, Issue, Level, LevelTarget
from liaison import calendar

INDICATORS = (
    Indicator("issues-raised", "Issues raised"),
    Indicator("issues-resolved", "Issues resolved"),
    Indicator("issues-open", "Issues open at the end of the period"),
    Indicator("issues-within-target", "Resolved within their level's target", Unit.PERCENT, Better.HIGHER),
    Indicator("issues-median-days", "Median working days to resolve", Unit.DAYS, Better.LOWER),
    Indicator(
        "issues-stalled", "Issues stalled now", Unit.COUNT, Better.LOWER, attention="issues stalled past their target"
    ),
)


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return begin, finish


def _targets() -> dict[str, int]:
    from escalation.selectors import level_targets

    return level_targets()


def _due(level_since: datetime.datetime, stage: str, nation: str, targets: dict[str, int]) -> datetime.date:
    return _add_working_days(timezone.localdate(level_since), targets[stage], nation)


@functools.lru_cache(maxsize=8192)
def _add_working_days(start: datetime.date, days: int, nation: str) -> datetime.date:
    # Thousands of issues share a handful of start days: the national page counts each once.
    return calendar.add_working_days(start, days, nation)


def _stage(level: str, gateway_since) -> str:
    return LevelTarget.COO_GATEWAY if level == Level.ODN and gateway_since is not None else level


def _pair_filter(pairs) -> Q:
    districts = {d for d, _ in pairs}
    authorities = {la for _, la in pairs}
    # Narrowed by district and LA separately (indexes serve both); pairs outside the boards are dropped below.
    return Q(district_id__in=districts, local_authority_id__in=authorities)


def figures(board_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, dict]:
    pairs = partnerships(board_ids)
    out: dict[int, dict] = {b: {i.key: 0 for i in INDICATORS} for b in board_ids}
    for board in out.values():
        board["issues-within-target"] = board["issues-median-days"] = None
    if not pairs:
        return out
    begin, finish = _bounds(start, end)
    counts = (
        Issue.objects.filter(_pair_filter(pairs))
        .values("district_id", "local_authority_id")
        .annotate(
            raised=Count("id", filter=Q(created_at__gte=begin, created_at__lt=finish)),
            resolved=Count("id", filter=Q(resolved_at__gte=begin, resolved_at__lt=finish)),
            open=Count(
                "id", filter=Q(created_at__lt=finish) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=finish))
            ),
        )
    )
    for row in counts:
        for board_id in pairs.get((row["district_id"], row["local_authority_id"]), []):
            out[board_id]["issues-raised"] += row["raised"]
            out[board_id]["issues-resolved"] += row["resolved"]
            out[board_id]["issues-open"] += row["open"]

    targets = _targets()
    within: dict[int, list[bool]] = defaultdict(list)
    days: dict[int, list[int]] = defaultdict(list)
    for district_id, la_id, level, gateway, since, resolved_at, nation, taken in Issue.objects.filter(
        _pair_filter(pairs), resolved_at__gte=begin, resolved_at__lt=finish
    ).values_list(
        "district_id", "local_authority_id", "level", "gateway_since", "level_since", "resolved_at",
        "local_authority__nation", "working_days_to_resolution",
    ):  # fmt: skip
        on_time = timezone.localdate(resolved_at) <= _due(since, _stage(level, gateway), nation, targets)
        for board_id in pairs.get((district_id, la_id), []):
            within[board_id].append(on_time)
            if taken is not None:
                days[board_id].append(taken)
    today = timezone.localdate()
    for district_id, la_id, level, gateway, since, nation in Issue.objects.filter(
        _pair_filter(pairs), status__in=OPEN_STATUSES
    ).values_list(
        "district_id", "local_authority_id", "level", "gateway_since", "level_since", "local_authority__nation"
    ):
        if today > _due(since, _stage(level, gateway), nation, targets):
            for board_id in pairs.get((district_id, la_id), []):
                out[board_id]["issues-stalled"] += 1
    for board_id, values in within.items():
        out[board_id]["issues-within-target"] = percent(sum(values), len(values))
    for board_id, values in days.items():
        out[board_id]["issues-median-days"] = statistics.median(values) if values else None
    return out


def section(board, start: datetime.date, end: datetime.date) -> Section:
    pairs = partnerships([board.pk])
    summary = figures([board.pk], start, end)[board.pk]
    result = Section(
        key="issues",
        title="Issues",
        headlines=[(i.label, format_value(summary[i.key], i.unit)) for i in INDICATORS],
    )
    if not pairs:
        result.notes.append("The board has no district and Local Authority together, so no issues are counted.")
        return result
    begin, finish = _bounds(start, end)
    by_category: dict[str, list[int]] = {}
    by_level: dict[str, list] = {}
    targets = _targets()
    # One pass over the board's issues touching the period, a few columns each (a board has hundreds at most).
    issues = (
        Issue.objects.filter(_pair_filter(pairs))
        .filter(
            Q(created_at__gte=begin, created_at__lt=finish)
            | Q(resolved_at__gte=begin, resolved_at__lt=finish)
            | (Q(created_at__lt=finish) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=finish)))
        )
        .values_list(
            "district_id", "local_authority_id", "category__name", "category__order", "level", "gateway_since",
            "level_since", "created_at", "resolved_at", "local_authority__nation", "working_days_to_resolution",
        )
    )  # fmt: skip
    for district_id, la_id, category, order, level, gateway, since, created, resolved, nation, taken in issues:
        if (district_id, la_id) not in pairs:
            continue
        counts = by_category.setdefault(category, [order, 0, 0, 0])
        raised = begin <= created < finish
        was_resolved = resolved is not None and begin <= resolved < finish
        still_open = created < finish and (resolved is None or resolved >= finish)
        counts[1] += raised
        counts[2] += was_resolved
        counts[3] += still_open
        label = Level(level).label
        entry = by_level.setdefault(label, [0, [], []])
        if still_open:
            entry[0] += 1
        if was_resolved:
            entry[1].append(timezone.localdate(resolved) <= _due(since, _stage(level, gateway), nation, targets))
            if taken is not None:
                entry[2].append(taken)
    categories = sorted(by_category.items(), key=lambda item: (item[1][0], item[0]))
    rows = [[name, c[1], c[2], c[3]] for name, c in categories]
    result.charts.append(
        Chart(
            title="Issues by category",
            kind="bar",
            labels=[name for name, _ in categories],
            series=[
                ("Raised", [c[1] for _, c in categories]),
                ("Resolved", [c[2] for _, c in categories]),
                ("Open at the end", [c[3] for _, c in categories]),
            ],
            summary=f"{summary['issues-raised']} raised, {summary['issues-resolved']} resolved and "
            f"{summary['issues-open']} open at the end of the period, by category.",
        )
    )
    result.tables.append(
        Table(
            caption="Issues by category",
            columns=["Category", "Raised", "Resolved", "Open at the end"],
            rows=rows or [["None", 0, 0, 0]],
        )
    )
    levels = [label for _, label in Level.choices if label in by_level]
    result.tables.append(
        Table(
            caption="Issues by level: open at the end of the period, and those resolved in it",
            columns=["Level", "Open at the end", "Resolved", "Resolved within target", "Median working days"],
            rows=[
                [
                    label,
                    by_level[label][0],
                    len(by_level[label][1]),
                    format_value(percent(sum(by_level[label][1]), len(by_level[label][1])), Unit.PERCENT),
                    format_value(statistics.median(by_level[label][2]) if by_level[label][2] else None, Unit.DAYS),
                ]
                for label in levels
            ]
            or [["None", 0, 0, "None", "None"]],
        )
    )
    result.notes.append(
        "Issues whose district and Local Authority are both the board's. Targets are each level's in working days "
        f"({', '.join(f'{Level(k).label} {v}' for k, v in targets.items() if k in Level.values)})."
    )
    return result


def register() -> None:
    register_evidence(
        EvidenceSource(key="issues", title="Issues", order=10, indicators=INDICATORS, figures=figures, section=section)
    )
