"""Exports of lists that name people: spreadsheet-safe cells, UTF-8 that Excel reads, never cached."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_safe(value) -> str:
    """Stop spreadsheet programs reading a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


CSV_ROWS_PER_WRITE = 500


def csv_response(*, header: list[str], rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """Stream rows as CSV, so that a long list never sits in memory."""
    writer = csv.writer(_Echo())

    def stream():
        # The byte order mark makes Excel read the file as UTF-8, so names like "Siân" survive a double-click.
        yield "\ufeff" + writer.writerow(header)
        # Rows go out a few hundred at a time: one write per row costs more than writing them.
        lines = []
        for row in rows:
            lines.append(writer.writerow([csv_safe(value) for value in row]))
            if len(lines) == CSV_ROWS_PER_WRITE:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)

    return _attachment(StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8"), filename)


def xlsx_response(
    *,
    title: str,
    header: list[str],
    rows: Iterable[Sequence],
    filename: str,
    widths: Sequence[int] = (),
) -> HttpResponse:
    """One sheet with a bold, frozen header row; text that looks like a formula stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([csv_safe(value) if isinstance(value, str) else value for value in row])
    sheet.freeze_panes = "A2"
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Every export names people: no shared cache or browser disk may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
