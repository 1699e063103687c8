"""Exports of lists that name people: spreadsheet-safe cells, UTF-8 that Excel reads, never cached."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse


def csv_safe(value) -> str:
    """Stop spreadsheet programs reading a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def csv_response(*, header: list[str], rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """Stream rows as CSV, so that a long list never sits in memory."""
    writer = csv.writer(_Echo())

    def stream():
        # The byte order mark makes Excel read the file as UTF-8, so names like "Siân" survive a double-click.
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_safe(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Every export names people: no shared cache or browser disk may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
