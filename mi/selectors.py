"""Reads of the management information: a board's performance pack and the national picture.

Both are built from a fixed number of queries whatever the number of boards, organisations or rows: the figures of
the quarters shown are read once (a few thousand rows at national scale) and their medians worked out here, and each
app's evidence comes from its `boards.evidence` source, which aggregates in the database.

Decisions:
- A board's value for a measure is the median of its organisations' figures (its LAs' for an LA measure, its
  districts' for a JCP measure); most boards have one district, and the pack shows every organisation's own figure.
- Regional and national medians are over organisations, not boards: an LA counts in the region of each of its
  districts. Boards that span two regions count in each.
- Ranks: 1 is the best value in the direction of the measure; equal values share a rank; boards without a value are
  not ranked.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from boards.evidence import Chart, Section, Table, evidence_sources, format_value
from boards.models import Board, BoardScope, BoardStatus, Meeting, MeetingStatus
from liaison.models import District, LocalAuthority, Nation, Region
from liaison.scoping import scope_for
from mi.models import Direction, Figure, Measure, Side
from mi.periods import Quarter

PACK_QUARTERS = 5  # the quarter and the previous four
TREND_QUARTERS = 8
SINCE_LAST_MEETING = "since-last-meeting"


def median(values: list) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.01"))


def ranks(values: dict[int, Decimal | None], direction: str) -> dict[int, int]:
    """Competition ranking ("1, 2, 2, 4"), best first in the measure's direction; None is not ranked."""
    present = sorted(
        ((v, k) for k, v in values.items() if v is not None), key=lambda p: p[0], reverse=direction == Direction.HIGHER
    )
    out: dict[int, int] = {}
    previous = None
    for position, (value, key) in enumerate(present, start=1):
        if previous is not None and value == previous[0]:
            out[key] = previous[1]
        else:
            out[key] = position
            previous = (value, position)
    return out


def format_measure(measure: Measure, value) -> str:
    return "–" if value is None else measure.format(value).replace(" days", "")


def unit_heading(measure: Measure) -> str:
    return {"days": "average days", "percent": "%", "count": "number"}[measure.unit]


# The figures, read once per page ------------------------------------------------------------------------------


@dataclass
class FigureData:
    """Every figure of some quarters, and where each organisation sits, for medians over any grouping."""

    quarters: list[Quarter]
    measures: list[Measure]
    # (measure_id, quarter start) -> {("la", id) or ("district", id): value}
    values: dict[tuple[int, datetime.date], dict[tuple[str, int], Decimal]]
    organisation_regions: dict[tuple[str, int], set[int]]

    def value(self, measure: Measure, quarter: Quarter, organisation: tuple[str, int]) -> Decimal | None:
        return self.values.get((measure.pk, quarter.start), {}).get(organisation)

    def median_over(self, measure: Measure, quarter: Quarter, organisations) -> Decimal | None:
        row = self.values.get((measure.pk, quarter.start), {})
        return median([row.get(o) for o in organisations])

    def median_in_regions(self, measure: Measure, quarter: Quarter, region_ids: set[int] | None) -> Decimal | None:
        row = self.values.get((measure.pk, quarter.start), {})
        if region_ids is None:
            return median(list(row.values()))
        return median([v for o, v in row.items() if self.organisation_regions.get(o, set()) & region_ids])


def figure_data(quarters: list[Quarter], measures: list[Measure]) -> FigureData:
    rows = Figure.objects.filter(
        quarter_start__in=[q.start for q in quarters], measure_id__in=[m.pk for m in measures]
    ).values_list("measure_id", "quarter_start", "local_authority_id", "district_id", "value")
    values: dict = defaultdict(dict)
    for measure_id, start, la_id, district_id, value in rows:
        values[(measure_id, start)][("la", la_id) if la_id else ("district", district_id)] = value
    regions: dict[tuple[str, int], set[int]] = defaultdict(set)
    for la_id, region_id in LocalAuthority.districts.through.objects.values_list(
        "localauthority_id", "district__region_id"
    ):
        regions[("la", la_id)].add(region_id)
    for district_id, region_id in District.objects.values_list("id", "region_id"):
        regions[("district", district_id)].add(region_id)
    return FigureData(quarters=quarters, measures=measures, values=dict(values), organisation_regions=dict(regions))


def measures_in_use(quarter: Quarter) -> list[Measure]:
    return list(Measure.objects.in_use_on(quarter.start))


# A board's pack -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    quarter: Quarter  # whose figures the pack shows
    choice: str  # a quarter's code, or SINCE_LAST_MEETING
    label: str


def period_choices(board: Board, today: datetime.date) -> list[tuple[str, str]]:
    last = last_held_meeting(board, today)
    choices = []
    if last:
        choices.append((SINCE_LAST_MEETING, f"Since the last meeting ({last.date:%-d %B %Y})"))
    for quarter in reversed(Quarter.containing(today).back(TREND_QUARTERS + 1)):
        choices.append((quarter.code, f"{quarter.label} ({quarter.short})"))
    return choices


def last_held_meeting(board: Board, before: datetime.date) -> Meeting | None:
    return (
        Meeting.objects.filter(board=board, status=MeetingStatus.HELD, date__lte=before)
        .only("id", "date")
        .order_by("-date")
        .first()
    )


def pack_period(board: Board, choice: str | None, today: datetime.date) -> Period:
    """The period a pack covers. Default: the last complete quarter. "Since the last meeting" runs from the day after
    the board's last held meeting to today, and shows the figures of the last quarter complete by then."""
    if choice == SINCE_LAST_MEETING:
        last = last_held_meeting(board, today)
        if last is not None:
            return meeting_period(board, today, last_meeting=last, choice=SINCE_LAST_MEETING)
    try:
        quarter = Quarter.parse(choice) if choice else Quarter.last_complete(today)
    except ValueError:
        quarter = Quarter.last_complete(today)
    if quarter.start > today:
        quarter = Quarter.last_complete(today)
    return Period(
        start=quarter.start, end=min(quarter.end, today), quarter=quarter, choice=quarter.code, label=quarter.label
    )


def meeting_period(board: Board, until: datetime.date, *, last_meeting: Meeting | None, choice: str) -> Period:
    """From the day after `last_meeting` (or a year before `until` for a first meeting) to `until`."""
    start = last_meeting.date + datetime.timedelta(days=1) if last_meeting else until - datetime.timedelta(days=365)
    quarter = Quarter.last_complete(until + datetime.timedelta(days=1))
    since = f"since the last meeting on {last_meeting.date:%-d %B %Y}" if last_meeting else "over the last 12 months"
    return Period(
        start=min(start, until),
        end=until,
        quarter=quarter,
        choice=choice,
        label=f"{start:%-d %B %Y} to {until:%-d %B %Y} ({since}); figures for {quarter.label}",
    )


@dataclass
class MeasureBlock:
    measure: Measure
    quarters: list[Quarter]
    organisations: list[tuple[str, list[Decimal | None]]]
    regional: list[Decimal | None]
    national: list[Decimal | None]
    region_label: str
    chart: Chart
    table: Table

    @property
    def latest(self) -> list[tuple[str, str]]:
        return [(name, format_measure(self.measure, values[-1])) for name, values in self.organisations]


@dataclass
class Pack:
    board: Board
    period: Period
    measure_blocks: list[MeasureBlock]
    sections: list[Section]
    missing: list[tuple[str, str]] = field(default_factory=list)  # (organisation, measure) without a figure

    @property
    def figures_shown(self) -> int:
        return sum(1 for b in self.measure_blocks for _, vs in b.organisations if vs[-1] is not None)


def board_pack(board: Board, period: Period) -> Pack:
    quarters = period.quarter.back(PACK_QUARTERS)
    measures = measures_in_use(period.quarter)
    authorities = list(board.local_authorities.order_by("name").values_list("id", "name"))
    districts = list(board.districts.order_by("name").values_list("id", "name", "region_id", "region__name"))
    region_ids = {d[2] for d in districts}
    region_label = ", ".join(sorted({d[3] for d in districts})) or "no region"
    data = figure_data(quarters, measures)

    blocks, missing = [], []
    for measure in measures:
        if measure.side == Side.LA:
            organisations = [(("la", pk), name) for pk, name in authorities]
        else:
            organisations = [(("district", pk), name) for pk, name, *_ in districts]
        if not organisations:
            continue
        rows = [(name, [data.value(measure, q, key) for q in quarters]) for key, name in organisations]
        missing += [(name, measure.name) for name, values in rows if values[-1] is None]
        regional = [data.median_in_regions(measure, q, region_ids) for q in quarters]
        national = [data.median_in_regions(measure, q, None) for q in quarters]
        blocks.append(_measure_block(measure, quarters, rows, regional, national, region_label))
    sections = [source.section(board, period.start, period.end) for source in evidence_sources()]
    return Pack(board=board, period=period, measure_blocks=blocks, sections=sections, missing=missing)


def _measure_block(measure, quarters, rows, regional, national, region_label) -> MeasureBlock:
    labels = [q.short for q in quarters]
    regional_name = f"Regional median ({region_label})"
    series = [(name, values) for name, values in rows] + [(regional_name, regional), ("National median", national)]
    better = "lower" if measure.direction == Direction.LOWER else "higher"
    latest = rows[0][1][-1] if len(rows) == 1 else None
    summary = (
        f"{measure.get_unit_display()} for each quarter from {quarters[0].label} to {quarters[-1].label}; "
        f"{better} is better."
        + (
            f" In the last quarter {rows[0][0]}: {format_measure(measure, latest)}, national median "
            f"{format_measure(measure, national[-1])}."
            if latest is not None
            else ""
        )
    )
    chart = Chart(
        title=measure.name,
        kind="line",
        labels=labels,
        series=series,
        unit={"days": "days", "percent": "percent", "count": "count"}[measure.unit],
        summary=summary,
    )
    table = Table(
        caption=f"{measure.name} ({unit_heading(measure)}; {better} is better)",
        columns=["", *labels],
        rows=[[name, *[format_measure(measure, v) for v in values]] for name, values in series],
    )
    return MeasureBlock(
        measure=measure,
        quarters=quarters,
        organisations=rows,
        regional=regional,
        national=national,
        region_label=region_label,
        chart=chart,
        table=table,
    )


# The national picture -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalFilters:
    quarter: Quarter
    region_id: int | None = None
    nation: str = ""
    scope: str = ""

    @property
    def query(self) -> str:
        from urllib.parse import urlencode

        values = {"quarter": self.quarter.code, "region": self.region_id or "", "nation": self.nation}
        values["scope"] = self.scope
        return urlencode({k: v for k, v in values.items() if v})


@dataclass
class BoardRow:
    board_id: int
    title: str
    url: str
    regions: list[str]
    measure_values: dict[int, Decimal | None] = field(default_factory=dict)
    measure_ranks: dict[int, int] = field(default_factory=dict)
    evidence: dict[str, object] = field(default_factory=dict)
    expected_figures: int = 0
    entered_figures: int = 0
    attention: list[str] = field(default_factory=list)


@dataclass
class National:
    filters: NationalFilters
    quarters: list[Quarter]
    measures: list[Measure]
    boards: list[BoardRow]
    regions: list[Region]
    tables: dict[str, Table]
    trend_charts: list[tuple[Measure, Chart, Table]]
    attention: Table
    headlines: list[tuple[str, str]]


def mi_regions(user) -> QuerySet[Region]:
    """The regions a user sees on the national page: every one for national roles, their own for a Regional ERM."""
    scope = scope_for(user)
    if scope.national:
        return Region.objects.all()
    return Region.objects.filter(id__in=scope.region_ids)


def can_see_national(user) -> bool:
    scope = scope_for(user)
    return scope.national or bool(scope.region_ids)


def national_boards(user, filters: NationalFilters) -> QuerySet[Board]:
    """Active boards of the regions the user sees, narrowed by the filters; scoped before anything is read."""
    regions = mi_regions(user)
    if filters.region_id:
        regions = regions.filter(pk=filters.region_id)
    if filters.nation:
        regions = regions.filter(nation=filters.nation)
    through = Board.districts.through.objects.filter(district__region__in=regions)
    boards = Board.objects.visible_to(user).filter(status=BoardStatus.ACTIVE, id__in=through.values("board_id"))
    if filters.scope:
        boards = boards.filter(scope=filters.scope)
    return boards.order_by("title")


def national_picture(user, filters: NationalFilters, today: datetime.date | None = None) -> National:
    today = today or timezone.localdate()
    quarter = filters.quarter
    quarters = quarter.back(TREND_QUARTERS)
    measures = measures_in_use(quarter)
    boards = list(national_boards(user, filters).values_list("id", "title"))
    board_ids = [pk for pk, _ in boards]
    regions = list(mi_regions(user).filter(pk=filters.region_id) if filters.region_id else mi_regions(user))
    if filters.nation:
        regions = [r for r in regions if r.nation == filters.nation]
    region_names = {r.pk: r.name for r in regions}

    board_districts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for board_id, district_id, region_id in Board.districts.through.objects.filter(board_id__in=board_ids).values_list(
        "board_id", "district_id", "district__region_id"
    ):
        board_districts[board_id].append((district_id, region_id))
    board_authorities: dict[int, list[int]] = defaultdict(list)
    for board_id, la_id in Board.local_authorities.through.objects.filter(board_id__in=board_ids).values_list(
        "board_id", "localauthority_id"
    ):
        board_authorities[board_id].append(la_id)

    data = figure_data(quarters, measures)
    rows = []
    for board_id, title in boards:
        row = BoardRow(
            board_id=board_id,
            title=title,
            url=reverse("mi:board-pack", args=[board_id]) + f"?period={quarter.code}",
            regions=sorted({region_names.get(r, "") for _, r in board_districts[board_id] if r in region_names}),
        )
        for measure in measures:
            organisations = (
                [("la", pk) for pk in board_authorities[board_id]]
                if measure.side == Side.LA
                else [("district", pk) for pk, _ in board_districts[board_id]]
            )
            values = [data.value(measure, quarter, o) for o in organisations]
            row.expected_figures += len(organisations)
            row.entered_figures += sum(1 for v in values if v is not None)
            row.measure_values[measure.pk] = median(values)
        rows.append(row)
    by_id = {r.board_id: r for r in rows}
    for measure in measures:
        for board_id, rank in ranks(
            {r.board_id: r.measure_values[measure.pk] for r in rows}, measure.direction
        ).items():
            by_id[board_id].measure_ranks[measure.pk] = rank

    sources = evidence_sources()
    end = min(quarter.end, today)
    for source in sources:
        figures = source.figures(board_ids, quarter.start, end) if board_ids else {}
        for row in rows:
            for indicator in source.indicators:
                value = figures.get(row.board_id, {}).get(indicator.key)
                row.evidence[indicator.key] = value
                if indicator.attention and value:
                    row.attention.append(f"{indicator.attention}: {format_value(value, indicator.unit)}")
    for row in rows:
        missing = row.expected_figures - row.entered_figures
        if missing:
            row.attention.append(f"figures missing for {quarter.label}: {missing} of {row.expected_figures}")

    tables: dict[str, Table] = {}
    tables.update(_regions_tables(data, measures, quarter, regions))
    tables["boards-measures"] = _boards_measures_table(rows, measures, quarter)
    for source in sources:
        tables[f"boards-{source.key}"] = Table(
            caption=f"{source.title}: each board, {quarter.label}",
            columns=["Board", *[i.label for i in source.indicators]],
            rows=[[r.title, *[format_value(r.evidence.get(i.key), i.unit) for i in source.indicators]] for r in rows],
            row_links=[r.url for r in rows],
        )
    tables["regions-evidence"] = _regions_evidence_table(rows, sources, regions, quarter)
    trend_charts = []
    for measure in measures:
        chart, table = _trend(data, measure, quarters, regions)
        trend_charts.append((measure, chart, table))
        tables[f"trend-{measure.code}"] = table
    attention = Table(
        caption=f"Boards that need attention, {quarter.label}",
        columns=["Board", "Region", "Why"],
        rows=[[r.title, ", ".join(r.regions), "; ".join(r.attention)] for r in rows if r.attention],
        row_links=[r.url for r in rows if r.attention],
    )
    tables["attention"] = attention
    expected = sum(r.expected_figures for r in rows)
    entered = sum(r.entered_figures for r in rows)
    headlines = [
        ("Boards", f"{len(rows):,}"),
        ("Boards that need attention", f"{len(attention.rows):,}"),
        (f"Figures entered for {quarter.label}", f"{entered:,} of {expected:,}"),
    ]
    return National(
        filters=filters,
        quarters=quarters,
        measures=measures,
        boards=rows,
        regions=regions,
        tables=tables,
        trend_charts=trend_charts,
        attention=attention,
        headlines=headlines,
    )


def _change(now, then) -> str:
    """Written out, so that no spreadsheet reads "+1.3" as a formula."""
    if now is None or then is None:
        return "–"
    difference = now - then
    if not difference:
        return "no change"
    return f"{abs(difference):.1f} {'up' if difference > 0 else 'down'}"


def _regions_tables(data: FigureData, measures, quarter: Quarter, regions) -> dict[str, Table]:
    """Per measure, each region's median with the quarter before, its change and its rank among the regions shown."""
    previous = quarter.previous()
    all_ids = {r.pk for r in regions}
    tables = {}
    for measure in measures:
        medians = {r.pk: data.median_in_regions(measure, quarter, {r.pk}) for r in regions}
        before = {r.pk: data.median_in_regions(measure, previous, {r.pk}) for r in regions}
        order = ranks(medians, measure.direction)
        rows = []
        for region in [*regions, None]:
            now = medians[region.pk] if region else data.median_in_regions(measure, quarter, all_ids)
            then = before[region.pk] if region else data.median_in_regions(measure, previous, all_ids)
            change = _change(now, then)
            rank = order.get(region.pk, "–") if region else ""
            rows.append([region.name if region else "All regions shown", format_measure(measure, now),
                         format_measure(measure, then), change, rank])  # fmt: skip
        better = "lower" if measure.direction == Direction.LOWER else "higher"
        tables[f"regions-{measure.code}"] = Table(
            caption=f"{measure.name} by region ({unit_heading(measure)}; {better} is better)",
            columns=["Region", f"Median {quarter.short}", f"Median {previous.short}", "Change", "Rank"],
            rows=rows,
        )
    return tables


def _regions_evidence_table(rows: list[BoardRow], sources, regions, quarter: Quarter) -> Table:
    """Liaison's evidence by region: counts add up over the region's boards; shares and days are the median of its
    boards' values (a board spanning two regions counts in both)."""
    indicators = [i for s in sources for i in s.indicators]
    out = []
    for region in [*regions, None]:
        members = [r for r in rows if region is None or region.name in r.regions]
        cells = [region.name if region else "All regions shown", f"{len(members):,}"]
        for indicator in indicators:
            values = [r.evidence.get(indicator.key) for r in members]
            if indicator.unit == "count":
                cells.append(format_value(sum(v or 0 for v in values), indicator.unit))
            else:
                cells.append(format_value(median(values), indicator.unit))
        out.append(cells)
    return Table(
        caption=f"Liaison's evidence by region, {quarter.label} "
        "(counts are totals; shares and days are the median of the region's boards)",
        columns=["Region", "Boards", *[i.label for i in indicators]],
        rows=out,
    )


def _boards_measures_table(rows: list[BoardRow], measures, quarter: Quarter) -> Table:
    columns = ["Board", "Region"]
    for measure in measures:
        columns += [f"{measure.name} ({unit_heading(measure)})", f"{measure.name}: rank"]
    columns.append("Figures entered")
    out = []
    for row in rows:
        cells = [row.title, ", ".join(row.regions)]
        for measure in measures:
            cells += [format_measure(measure, row.measure_values[measure.pk]), row.measure_ranks.get(measure.pk, "–")]
        cells.append(f"{row.entered_figures} of {row.expected_figures}")
        out.append(cells)
    return Table(
        caption=f"Each board's measures, {quarter.label} (rank 1 is best)",
        columns=columns,
        rows=out,
        row_links=[r.url for r in rows],
    )


def _trend(data: FigureData, measure: Measure, quarters: list[Quarter], regions) -> tuple[Chart, Table]:
    labels = [q.short for q in quarters]
    all_ids = {r.pk for r in regions}
    overall = [data.median_in_regions(measure, q, all_ids) for q in quarters]
    per_region = [(r.name, [data.median_in_regions(measure, q, {r.pk}) for q in quarters]) for r in regions]
    series = [("All regions shown", overall)]
    if len(per_region) <= 5:
        series += per_region
    better = "lower" if measure.direction == Direction.LOWER else "higher"
    chart = Chart(
        title=f"{measure.name}: median over {len(quarters)} quarters",
        kind="line",
        labels=labels,
        series=series,
        unit={"days": "days", "percent": "percent", "count": "count"}[measure.unit],
        summary=f"{measure.get_unit_display()}, {better} is better; median of all regions shown from "
        f"{format_measure(measure, overall[0])} in {quarters[0].short} to {format_measure(measure, overall[-1])} in "
        f"{quarters[-1].short}.",
    )
    table = Table(
        caption=f"{measure.name}: median by region over {len(quarters)} quarters ({unit_heading(measure)})",
        columns=["Region", *labels],
        rows=[[name, *[format_measure(measure, v) for v in values]] for name, values in [*per_region, *series[:1]]],
    )
    return chart, table


def nation_choices() -> list[tuple[str, str]]:
    return [(n.value, n.label) for n in Nation if n != Nation.NORTHERN_IRELAND]


def scope_choices() -> list[tuple[str, str]]:
    return list(BoardScope.choices)
