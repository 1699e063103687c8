"""A board's performance pack and the national picture: figures, medians, ranks, exports, PDF, scope, query counts.

Every expected number is recounted here from the figures the test created, independently of `mi.selectors`."""

from __future__ import annotations

import csv
import datetime
import io
import statistics
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from boards.models import MeetingStatus
from boards.services import meeting_schedule
from liaison.models import Role
from mi.models import Figure, Measure
from mi.periods import Quarter
from tests.boards.factories import MeetingFactory, board_for
from tests.factories import DistrictFactory, LocalAuthorityFactory, RegionFactory, user_with_role
from tests.helpers import body, count

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
QUARTER = Quarter.last_complete(TODAY)


def _value(measure: Measure, org_index: int, quarter_index: int) -> Decimal:
    """A spread of plausible figures, different for each organisation and quarter."""
    base = 20 if measure.unit == "days" else 85
    return Decimal(base + (org_index * 3.7 + quarter_index * 1.3) % 14).quantize(Decimal("0.1"))


@pytest.fixture
def figures(world):
    """Figures for 8 quarters: every measure of every LA and district of the world, entered by GPT."""
    gpt = world.users["gpt"]
    rows = []
    quarters = QUARTER.back(8)
    measures = list(Measure.objects.all())
    authorities = [world.la1, world.la12, world.la2, world.la3]
    districts = [world.d1, world.d2, world.d3]
    for qi, quarter in enumerate(quarters):
        for measure in measures:
            orgs = authorities if measure.side == "la" else districts
            for oi, org in enumerate(orgs):
                if measure.side == "la" and org == world.la3 and quarter == QUARTER:
                    continue  # one figure missing this quarter
                key = {"local_authority": org} if measure.side == "la" else {"district": org}
                rows.append(
                    Figure(
                        measure=measure, quarter_start=quarter.start, value=_value(measure, oi, qi), entered_by=gpt,
                        **key,
                    )
                )  # fmt: skip
    Figure.objects.bulk_create(rows)
    return rows


@pytest.fixture
def boards(world):
    return {
        "one": board_for(world, district=world.d1, authority=world.la1, title="Board One"),
        "two": board_for(world, district=world.d2, authority=world.la2, title="Board Two"),
        "three": board_for(world, district=world.d3, authority=world.la3, title="Board Three"),
    }


def _figure(measure, quarter, org) -> Decimal | None:
    key = {"local_authority": org} if measure.side == "la" else {"district": org}
    row = Figure.objects.filter(measure=measure, quarter_start=quarter.start, **key).first()
    return row.value if row else None


def _shown(measure: Measure, value) -> str:
    return "–" if value is None else measure.format(value).replace(" days", "")


def _median(values):
    values = [v for v in values if v is not None]
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.01")) if values else None


def _region_orgs(world, measure, region):
    if measure.side == "la":
        return [la for la in (world.la1, world.la12, world.la2, world.la3) if la.districts.filter(region=region)]
    return [d for d in (world.d1, world.d2, world.d3) if d.region == region]


def test_board_pack_shows_each_organisations_figures_with_regional_and_national_medians(client, world, figures, boards):
    client.force_login(world.users["erm"])
    response = client.get(f"/boards/{boards['one'].pk}/mi/?period={QUARTER.code}")
    assert response.status_code == 200
    pack = response.context["pack"]
    assert pack.period.quarter == QUARTER
    quarters = QUARTER.back(5)
    for block in pack.measure_blocks:
        measure = block.measure
        org = world.la1 if measure.side == "la" else world.d1
        assert block.organisations == [(org.name, [_figure(measure, q, org) for q in quarters])]
        everyone = _region_orgs(world, measure, world.north) + _region_orgs(world, measure, world.south)
        assert block.national == [_median([_figure(measure, q, o) for o in everyone]) for q in quarters]
        north = _region_orgs(world, measure, world.north)
        assert block.regional == [_median([_figure(measure, q, o) for o in north]) for q in quarters]
        # The page shows each value, in a table after the chart.
        assert _shown(measure, block.organisations[0][1][-1]) in response.content.decode()
    assert {b.measure.code for b in pack.measure_blocks} == set(Measure.objects.values_list("code", flat=True))
    assert b'mi-chart__image" src="data:image/svg+xml;base64,' in response.content


def test_board_pack_pdf_contains_every_figure_shown(client, world, figures, boards):
    client.force_login(world.users["gpt"])
    page = client.get(f"/boards/{boards['three'].pk}/mi/?period={QUARTER.code}")
    response = client.get(f"/boards/{boards['three'].pk}/mi/pack.pdf?period={QUARTER.code}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body(response))).pages)
    text = " ".join(text.split())
    pack = page.context["pack"]
    shown = [cell for block in pack.measure_blocks for row in block.table.rows for cell in row]
    shown += [cell for section in pack.sections for table in section.tables for row in table.rows for cell in row]
    shown += [value for section in pack.sections for _, value in section.headlines]
    assert shown
    for cell in shown:
        assert str(cell) in text, cell
    # Authority Three has no figure for the quarter: the pack says so rather than showing a gap.
    assert "Not entered yet" in text and "Authority Three" in text


def test_next_agenda_carries_the_pack_and_its_pdf_includes_it(client, world, figures, boards):
    board = boards["one"]
    MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=40), status=MeetingStatus.HELD)
    upcoming = meeting_schedule(actor=world.users["erm"], board=board, date=TODAY + datetime.timedelta(days=20))

    client.force_login(world.users["erm"])
    page = client.get(upcoming.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert f"/boards/{board.pk}/mi/?period=since-last-meeting" in content
    pdf = client.get(f"/boards/{board.pk}/meetings/{upcoming.pk}/agenda.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body(pdf))).pages).split())
    measure = Measure.objects.get(code="hb-new-claims-days")
    assert "Performance management information" in text
    assert measure.name in text
    assert _shown(measure, _figure(measure, QUARTER, world.la1)) in text


def _national_rows(world, boards):
    """Independent recount of the boards' measures table: value (median of the board's organisations) and rank."""
    measures = list(Measure.objects.all())
    expected = {}
    for board in boards.values():
        orgs_la = list(board.local_authorities.all())
        orgs_d = list(board.districts.all())
        expected[board.title] = {
            m.code: _median([_figure(m, QUARTER, o) for o in (orgs_la if m.side == "la" else orgs_d)]) for m in measures
        }
    return measures, expected


def test_national_page_exports_and_api_agree_with_a_recount(client, world, figures, boards):
    client.force_login(world.users["gpt"])
    response = client.get(f"/mi/?quarter={QUARTER.code}")
    assert response.status_code == 200
    picture = response.context["picture"]
    measures, expected = _national_rows(world, boards)
    table = picture.tables["boards-measures"]
    for row in table.rows:
        title = row[0]
        for measure in measures:
            position = table.columns.index(
                f"{measure.name} ({ {'days': 'average days', 'percent': '%'}[measure.unit] })"
            )
            assert row[position] == _shown(measure, expected[title][measure.code]), (title, measure.code)
            values = {t: v[measure.code] for t, v in expected.items() if v[measure.code] is not None}
            if expected[title][measure.code] is None:
                assert row[position + 1] == "–"
            else:
                mine = expected[title][measure.code]
                rank = 1 + sum(1 for v in values.values() if (v < mine if measure.direction == "lower" else v > mine))
                assert row[position + 1] == rank, (title, measure.code)
    # Board Three's LA has no figure for the quarter: it needs attention for that.
    attention = {row[0]: row[2] for row in picture.attention.rows}
    assert "figures missing" in attention["Board Three"]

    # CSV: every cell of every table the page shows, and nothing else.
    csv_response = client.get(f"/mi/export.csv?quarter={QUARTER.code}")
    rows = list(csv.reader(io.StringIO(body(csv_response).decode())))
    assert rows[0] == ["table", "row", "column", "value"]
    shown = [
        [t.caption, str(r[0]), c, str(v)] for t in picture.tables.values() for r in t.rows
        for c, v in zip(t.columns[1:], r[1:], strict=True)
    ]  # fmt: skip
    assert rows[1:] == shown

    # XLSX: one sheet per table, the same cells.
    workbook = load_workbook(io.BytesIO(body(client.get(f"/mi/export.xlsx?quarter={QUARTER.code}"))))
    assert len(workbook.worksheets) == len(picture.tables)
    for sheet, shown_table in zip(workbook.worksheets, picture.tables.values(), strict=True):
        cells = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        assert [[str(c) if c is not None else "" for c in r] for r in cells] == [
            [str(c) for c in r] for r in shown_table.rows
        ]

    # The API gives the same tables.
    api = client.get(f"/api/mi/national/?quarter={QUARTER.code}").json()
    assert api["tables"]["boards-measures"]["rows"] == table.rows
    assert {b["title"] for b in api["boards"]} == {"Board One", "Board Two", "Board Three"}


def test_regions_tables_give_each_regions_median_and_rank(client, world, figures, boards):
    client.force_login(world.users["odn"])
    picture = client.get(f"/mi/?quarter={QUARTER.code}").context["picture"]
    measure = Measure.objects.get(code="nino-traces-33-days")
    table = picture.tables[f"regions-{measure.code}"]
    north = _median([_figure(measure, QUARTER, o) for o in _region_orgs(world, measure, world.north)])
    south = _median([_figure(measure, QUARTER, o) for o in _region_orgs(world, measure, world.south)])
    rows = {r[0]: r for r in table.rows}
    assert rows["North"][1] == _shown(measure, north)
    assert rows["South"][1] == _shown(measure, south)
    assert north != south
    best, worst = ("North", "South") if north > south else ("South", "North")  # higher is better for shares
    assert (rows[best][4], rows[worst][4]) == (1, 2)
    # The South's only LA has not entered its figures: no median, no rank.
    la_table = {r[0]: r for r in picture.tables["regions-hb-new-claims-days"].rows}
    assert la_table["South"][1] == "–" and la_table["South"][4] == "–" and la_table["North"][4] == 1


def test_filters_narrow_the_boards(client, world, figures, boards):
    client.force_login(world.users["gpt"])
    picture = client.get(f"/mi/?quarter={QUARTER.code}&region={world.south.pk}").context["picture"]
    assert [b.title for b in picture.boards] == ["Board Three"]
    boards["two"].scope = "fraud"
    boards["two"].save()
    picture = client.get(f"/mi/?quarter={QUARTER.code}&scope=fraud").context["picture"]
    assert [b.title for b in picture.boards] == ["Board Two"]
    wales = RegionFactory(code="wales", name="Wales", nation="WLS")
    district = DistrictFactory(code="dw", name="District Wales", region=wales)
    authority = LocalAuthorityFactory(gss_code="W06000001", name="Authority Wales", nation="WLS", districts=[district])
    board_for(world, district=district, authority=authority, title="Board Wales")
    picture = client.get(f"/mi/?quarter={QUARTER.code}&nation=WLS").context["picture"]
    assert [b.title for b in picture.boards] == ["Board Wales"]


def test_scope_of_the_national_page_pack_and_api(client, world, figures, boards):
    client.force_login(world.users["regional-erm"])
    picture = client.get(f"/mi/?quarter={QUARTER.code}").context["picture"]
    assert {b.title for b in picture.boards} == {"Board One", "Board Two"}
    assert {r.name for r in picture.regions} == {"North"}
    assert client.get(f"/mi/?quarter={QUARTER.code}&region={world.south.pk}").context["picture"].boards == []
    api = client.get("/api/mi/national/").json()
    assert {b["title"] for b in api["boards"]} == {"Board One", "Board Two"}

    for role in ("erm", "la-manager", "district-manager", "monitor"):
        client.force_login(world.users[role])
        landing = client.get("/mi/")
        assert landing.status_code == 200 and "picture" not in landing.context
        assert client.get("/mi/export.csv").status_code == 403
        assert client.get("/mi/export.xlsx").status_code == 403
        assert client.get("/api/mi/national/").status_code == 403
    client.force_login(world.users["la-manager"])
    assert client.get(f"/boards/{boards['one'].pk}/mi/").status_code == 200
    assert client.get(f"/boards/{boards['three'].pk}/mi/").status_code == 404
    assert client.get(f"/boards/{boards['three'].pk}/mi/pack.pdf").status_code == 404
    assert client.get(f"/api/mi/boards/{boards['three'].pk}/").status_code == 404
    assert client.get(f"/api/mi/boards/{boards['one'].pk}/").status_code == 200


def test_query_counts_do_not_grow_with_boards_or_figures(client, world, figures, boards):
    client.force_login(world.users["gpt"])
    pack = count(client, f"/boards/{boards['one'].pk}/mi/?period={QUARTER.code}")
    national = count(client, f"/mi/?quarter={QUARTER.code}")
    exported = count(client, f"/mi/export.csv?quarter={QUARTER.code}")
    for n in range(4):
        district = DistrictFactory(code=f"extra{n}", name=f"Extra {n}", region=world.north)
        authority = LocalAuthorityFactory(gss_code=f"E0800020{n}", name=f"Extra LA {n}", districts=[district])
        board = board_for(world, district=district, authority=authority, title=f"Extra board {n}")
        MeetingFactory(board=board)
        for measure in Measure.objects.all():
            key = {"local_authority": authority} if measure.side == "la" else {"district": district}
            Figure.objects.create(
                measure=measure, quarter_start=QUARTER.start, value=Decimal(50), entered_by=world.users["gpt"], **key
            )
    assert count(client, f"/boards/{board.pk}/mi/?period={QUARTER.code}") <= pack
    assert count(client, f"/mi/?quarter={QUARTER.code}") == national
    assert count(client, f"/mi/export.csv?quarter={QUARTER.code}") == exported


def test_since_the_last_meeting_covers_the_days_after_it(client, world, figures, boards):
    board = boards["one"]
    held = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=75), status=MeetingStatus.HELD)
    client.force_login(world.users["erm"])
    pack = client.get(f"/boards/{board.pk}/mi/?period=since-last-meeting").context["pack"]
    assert pack.period.start == held.date + datetime.timedelta(days=1)
    assert pack.period.end == TODAY
    assert pack.period.quarter == Quarter.last_complete(TODAY + datetime.timedelta(days=1))
    # An unknown period falls back to the last complete quarter instead of failing.
    fallback = client.get(f"/boards/{board.pk}/mi/?period=nonsense").context["pack"]
    assert fallback.period.quarter == QUARTER


def test_a_retired_measure_still_shows_its_past_quarters(client, world, figures, boards):
    measure = Measure.objects.get(code="nino-traces-33-days")
    measure.retired_on = QUARTER.next().start
    measure.save()
    client.force_login(world.users["gpt"])
    past = client.get(f"/boards/{boards['one'].pk}/mi/?period={QUARTER.code}").context["pack"]
    assert measure.code in {b.measure.code for b in past.measure_blocks}
    measure.retired_on = QUARTER.start
    measure.save()
    now = client.get(f"/boards/{boards['one'].pk}/mi/?period={QUARTER.code}").context["pack"]
    assert measure.code not in {b.measure.code for b in now.measure_blocks}


@pytest.mark.parametrize("role", [Role.GPT, Role.ODN])
def test_national_roles_see_every_board(client, world, figures, boards, role):
    client.force_login(user_with_role(role, username=f"x-{role}"))
    picture = client.get(f"/mi/?quarter={QUARTER.code}").context["picture"]
    assert {b.title for b in picture.boards} == {"Board One", "Board Two", "Board Three"}


def test_the_api_is_in_the_openapi_schema(client, world):
    client.force_login(world.users["gpt"])
    schema = client.get("/api/schema/").content.decode()
    assert "/api/mi/national/" in schema and "/api/mi/boards/{id}/" in schema
