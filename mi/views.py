"""The management information pages: a board's performance pack and the national picture."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from boards.models import Board, BoardStatus, Meeting, MeetingStatus
from liaison.exports import XLSX_TYPE, csv_safe
from liaison.pdf import pdf_response
from mi import selectors
from mi.periods import Quarter


def _board(request: HttpRequest, pk: int) -> Board:
    return get_object_or_404(Board.objects.visible_to(request.user), pk=pk)


@login_required
def board_pack(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    today = timezone.localdate()
    period = selectors.pack_period(board, request.GET.get("period"), today)
    next_meeting = (
        Meeting.objects.filter(board=board, status=MeetingStatus.SCHEDULED, date__gte=today)
        .order_by("date")
        .only("id", "date")
        .first()
    )
    return render(
        request,
        "mi/board_pack.html",
        {
            "board": board,
            "pack": selectors.board_pack(board, period),
            "choices": selectors.period_choices(board, today),
            "next_meeting": next_meeting,
        },
    )


@login_required
def board_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    period = selectors.pack_period(board, request.GET.get("period"), timezone.localdate())
    pack = selectors.board_pack(board, period)
    return pdf_response(
        "mi/pdf/pack.html", {"board": board, "pack": pack}, f"mi-{board.pk}-{period.end:%Y-%m-%d}.pdf", reuse=True
    )


def national_filters(request: HttpRequest, today) -> selectors.NationalFilters:
    """The filters from the address; anything unknown falls back to "all" rather than failing."""
    try:
        quarter = Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        quarter = Quarter.last_complete(today)
    if quarter.start > today:
        quarter = Quarter.last_complete(today)
    region = request.GET.get("region", "")
    nation = request.GET.get("nation", "")
    scope = request.GET.get("scope", "")
    return selectors.NationalFilters(
        quarter=quarter,
        region_id=int(region) if region.isdigit() else None,
        nation=nation if nation in dict(selectors.nation_choices()) else "",
        scope=scope if scope in dict(selectors.scope_choices()) else "",
    )


def _national(request: HttpRequest) -> selectors.National:
    if not selectors.can_see_national(request.user):
        raise PermissionDenied(
            "The national management information is for the Governmental Partnerships Team, the ODN and the "
            "Country/Regional ERMs."
        )
    today = timezone.localdate()
    return selectors.national_picture(request.user, national_filters(request, today), today)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_national(request.user):
        return _landing(request)
    picture = _national(request)
    today = timezone.localdate()
    return render(
        request,
        "mi/national.html",
        {
            "picture": picture,
            "filters": picture.filters,
            "boards_measures": picture.tables["boards-measures"],
            "region_tables": [
                t for k, t in picture.tables.items() if k.startswith("regions-") and k != "regions-evidence"
            ],
            "regions_evidence": picture.tables["regions-evidence"],
            "evidence_tables": [
                t for k, t in picture.tables.items() if k.startswith("boards-") and k != "boards-measures"
            ],
            "quarter_choices": [
                (q.code, f"{q.label} ({q.short})") for q in reversed(Quarter.last_complete(today).back(12))
            ],
            "region_choices": [(r.pk, r.name) for r in selectors.mi_regions(request.user)],
            "nation_choices": selectors.nation_choices(),
            "scope_choices": selectors.scope_choices(),
        },
    )


LANDING_BOARDS = 50


def _landing(request: HttpRequest) -> HttpResponse:
    """For district and LA users: their boards' packs and their own figures (the national page is GPT's)."""
    boards = Board.objects.visible_to(request.user).filter(status=BoardStatus.ACTIVE).order_by("title")
    shown = list(boards.only("id", "title")[: LANDING_BOARDS + 1])
    return render(
        request,
        "mi/landing.html",
        {"boards": shown[:LANDING_BOARDS], "more": len(shown) > LANDING_BOARDS},
    )


def export_rows(picture: selectors.National):
    """Every table of the page, cell by cell, in the order shown: (table, row, column, value)."""
    for table in picture.tables.values():
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:], strict=True):
                yield [table.caption, row[0], column, value]


@login_required
def national_export_csv(request: HttpRequest) -> HttpResponse:
    picture = _national(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "row", "column", "value"])
    for row in export_rows(picture):
        writer.writerow([csv_safe(v) if isinstance(v, str) else v for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"management-information-{picture.filters.quarter.code}.csv")


@login_required
def national_export_xlsx(request: HttpRequest) -> HttpResponse:
    """One sheet per table of the page, with the same cells."""
    picture = _national(request)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, table in enumerate(picture.tables.values(), start=1):
        sheet = workbook.create_sheet(f"{number} {table.caption}"[:31].replace("/", "-").replace(":", ""))
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([csv_safe(v) if isinstance(v, str) else v for v in row])
        sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    return _attachment(response, f"management-information-{picture.filters.quarter.code}.xlsx")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
