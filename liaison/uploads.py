"""Reading an uploaded spreadsheet (CSV or XLSX) safely, for every upload of many rows (monitoring samples, MI figures).

A hostile file is refused before it is opened (a zip that would inflate far beyond its size, too many parts), and a
parse that runs long or a file with too many rows or overlong lines is stopped. What each row means is the caller's:
`read_table` gives the header's columns and each row's cells by column name, numbered as a spreadsheet shows them
(the header is row 1).
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
XLSX_MAX_ENTRIES = 200
XLSX_MAX_RATIO = 100
CSV_MAX_LINE = 1_000
MAX_COLUMNS = 10
PARSE_SECONDS = 10.0


class UnreadableFile(Exception):
    pass


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


class UploadRejected(Exception):
    """The file was refused whole; `errors` lists every problem by row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the file")


def check_xlsx_container(data: bytes, what: str = "a sample file") -> None:
    """Refuse an XLSX whose zip would inflate far beyond its size, before any of it is decompressed: its entries'
    declared sizes bound the work (the zip's central directory is read, not its contents)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile("The file is not a readable XLSX workbook") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > XLSX_MAX_ENTRIES:
            raise UnreadableFile(f"The workbook has far more parts than {what}: it was refused unopened")
        total = sum(entry.file_size for entry in entries)
        if total > XLSX_MAX_UNCOMPRESSED:
            raise UnreadableFile(
                f"The workbook would expand to {total / 1024 / 1024:,.0f} MB, more than the "
                f"{XLSX_MAX_UNCOMPRESSED // 1024 // 1024} MB {what} can take: it was refused unopened"
            )
        for entry in entries:
            if entry.file_size > 1024 * 1024 and entry.file_size > XLSX_MAX_RATIO * max(entry.compress_size, 1):
                raise UnreadableFile(
                    "The workbook is compressed far more than a spreadsheet can be (a zip bomb?): it was refused "
                    "unopened"
                )


def read_table(
    upload, *, max_rows: int, what: str = "a sample file", row: Callable[[int, dict], dict] | None = None
) -> tuple[list[str], list[dict]]:
    """The header's columns (lower case) and the rows: `row(number, cells)` of each non-blank row, or the cells
    with their "row" number when no `row` is given."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    started = time.monotonic()
    if name.endswith(".xlsx"):
        check_xlsx_container(data, what)
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:
            raise UnreadableFile("The file is not a readable XLSX workbook") from error
        lines: Iterator = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile("The CSV file must be saved as UTF-8") from error
        if any(len(line) > CSV_MAX_LINE for line in text.splitlines()):
            raise UnreadableFile(f"A line of the file is longer than {CSV_MAX_LINE:,} characters: it is not {what}")
        lines = csv.reader(io.StringIO(text))
    else:
        raise UnreadableFile("The file must be a CSV or an XLSX file")
    header = next(lines, None)
    if not header:
        raise UnreadableFile("The file is empty: the first row must name the columns")
    columns = [("" if c is None else str(c)).strip().lower() for c in header]
    while columns and columns[-1] == "":
        columns.pop()
    rows = []
    for number, line in enumerate(lines, start=2):
        if number % 500 == 0 and time.monotonic() - started > PARSE_SECONDS:
            raise UnreadableFile(f"The file took too long to read: check it is {what} and upload it again")
        cells = list(line or [])[:MAX_COLUMNS]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(rows) >= max_rows:
            raise UnreadableFile(f"The file has more than {max_rows:,} rows: split it")
        values = {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(columns) if c}
        rows.append(row(number, values) if row else {"row": number, **values})
    return columns, rows
