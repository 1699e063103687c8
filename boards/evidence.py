"""Liaison's own evidence for the Joint Boards' management information, which the apps above boards contribute.

Guidelines Appendix 1 asks for "a balanced view of performance across each organisation"; besides the figures each
organisation reports (the `mi` app), a board's pack shows what Liaison itself knows: issues and how fast they were
cleared, monitoring results, actions, meetings and attendance, agreements. Each app computes its part from its own
tables and registers it here from its `AppConfig.ready()`; `boards` and `mi` never import those apps.

An `EvidenceSource` gives:
- `indicators`: the numbers it reports for every board, each with a unit, which way is better, and whether a board
  with a non-zero value "needs attention" (the national page lists those boards);
- `figures(board_ids, start, end)`: those numbers for many boards at once, for the period from `start` to `end`
  (both included), as `{board_id: {indicator key: value}}`. It must make a fixed number of queries, whatever the
  number of boards or rows (aggregate in the database, grouped by board);
- `section(board, start, end)`: the detail a single board's pack shows, as tables and charts (plain data: the `mi`
  app draws the charts and writes each chart's data table after it), also in a fixed number of queries.

Values are ints, Decimals or floats, or None where there is nothing to count (a share of no cases).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | float | Decimal | None


class Unit:
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"  # working days unless the label says otherwise


class Better:
    LOWER = "lower"
    HIGHER = "higher"
    NEITHER = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str = Unit.COUNT
    better: str = Better.NEITHER
    # Non-empty: a board whose value is above zero needs attention, described by this text ("issues stalled").
    attention: str = ""


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list]
    # The first `header_columns` cells of each row are row headers (scope="row").
    header_columns: int = 1
    # Where given, the address each row's first cell links to (one per row).
    row_links: list[str] = field(default_factory=list)


@dataclass
class Chart:
    """A chart the `mi` app draws as SVG: `kind` is "bar" (series side by side), "stacked" or "line" (a trend).
    `series` are (name, values) with one value per label; None is a gap."""

    title: str
    kind: str
    labels: list[str]
    series: list[tuple[str, list[Number]]]
    unit: str = Unit.COUNT
    # How the chart reads in words, for its alternative text (its data table follows it).
    summary: str = ""


@dataclass
class Section:
    key: str
    title: str
    # The headline numbers: (label, value as text).
    headlines: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


FiguresFunction = Callable[[list[int], datetime.date, datetime.date], dict[int, dict[str, Number]]]
SectionFunction = Callable[..., Section]


@dataclass(frozen=True)
class EvidenceSource:
    key: str
    title: str
    order: int
    indicators: tuple[Indicator, ...]
    figures: FiguresFunction
    section: SectionFunction


_sources: dict[str, EvidenceSource] = {}


def register_evidence(source: EvidenceSource) -> None:
    """Add (or replace, by key) a source of evidence; call from the app's `AppConfig.ready()`."""
    _sources[source.key] = source


def evidence_sources() -> list[EvidenceSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def percent(part: int, whole: int) -> float | None:
    return None if not whole else round(100.0 * part / whole, 1)


def format_value(value: Number, unit: str) -> str:
    if value is None:
        return "None"
    if unit == Unit.PERCENT:
        return f"{float(value):.1f}%"
    if unit == Unit.DAYS:
        return f"{float(value):.1f}"
    return f"{int(value):,}"


def partnerships(board_ids: list[int]) -> dict[tuple[int, int], list[int]]:
    """Each (district, LA) pair the boards cover, with the boards covering it: a board covers every pairing of its
    districts with its LAs. Evidence recorded against a district and an LA (an issue, say) belongs to the boards of
    that pair. Two queries, whatever the number of boards."""
    from boards.models import Board

    districts: dict[int, list[int]] = {}
    for board_id, district_id in Board.districts.through.objects.filter(board_id__in=board_ids).values_list(
        "board_id", "district_id"
    ):
        districts.setdefault(board_id, []).append(district_id)
    pairs: dict[tuple[int, int], list[int]] = {}
    for board_id, la_id in Board.local_authorities.through.objects.filter(board_id__in=board_ids).values_list(
        "board_id", "localauthority_id"
    ):
        for district_id in districts.get(board_id, []):
            pairs.setdefault((district_id, la_id), []).append(board_id)
    return pairs
