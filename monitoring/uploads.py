"""Reading a file of samples (CSV or XLSX) into rows; `services.samples_import` decides whether to save them."""

from __future__ import annotations

import csv
import datetime
import io
import time
import zipfile

from openpyxl import load_workbook

COLUMNS = ["case_reference", "start_date", "end_date"]
MAX_ROWS = 20_000
# A hostile file is refused before it is opened, and a parse that runs long is stopped (issue: zip bombs).
XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
XLSX_MAX_ENTRIES = 200
XLSX_MAX_RATIO = 100
CSV_MAX_LINE = 1_000
MAX_COLUMNS = 10
PARSE_SECONDS = 10.0
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class UnreadableFile(Exception):
    pass


def expected_columns(compliance: bool) -> list[str]:
    return [*COLUMNS, "compliant"] if compliance else list(COLUMNS)


def _date(value, column: str, errors: dict[str, str]) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors[column] = f"'{text[:20]}' is not a date: use YYYY-MM-DD or DD/MM/YYYY"
    return None


def _row(number: int, values: dict) -> dict:
    errors: dict[str, str] = {}
    reference = values.get("case_reference")
    reference = "" if reference is None else str(reference).strip()
    start = _date(values.get("start_date"), "start_date", errors)
    if start is None and "start_date" not in errors:
        errors["start_date"] = "Enter the start date"
    end = _date(values.get("end_date"), "end_date", errors)
    compliant = None
    if "compliant" in values:
        text = "" if values["compliant"] is None else str(values["compliant"]).strip().lower()
        if text in YES:
            compliant = True
        elif text in NO:
            compliant = False
        else:
            errors["compliant"] = "Enter yes or no"
    return {
        "row": number, "case_reference": reference, "start_date": start, "end_date": end,
        "compliant": compliant, "errors": errors,
    }  # fmt: skip


def check_xlsx_container(data: bytes) -> None:
    """Refuse an XLSX whose zip would inflate far beyond its size, before any of it is decompressed: its entries'
    declared sizes bound the work (the zip's central directory is read, not its contents)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile("The file is not a readable XLSX workbook") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > XLSX_MAX_ENTRIES:
            raise UnreadableFile("The workbook has far more parts than a sample file: it was refused unopened")
        total = sum(entry.file_size for entry in entries)
        if total > XLSX_MAX_UNCOMPRESSED:
            raise UnreadableFile(
                f"The workbook would expand to {total / 1024 / 1024:,.0f} MB, more than the "
                f"{XLSX_MAX_UNCOMPRESSED // 1024 // 1024} MB a sample file can take: it was refused unopened"
            )
        for entry in entries:
            if entry.file_size > 1024 * 1024 and entry.file_size > XLSX_MAX_RATIO * max(entry.compress_size, 1):
                raise UnreadableFile(
                    "The workbook is compressed far more than a spreadsheet can be (a zip bomb?): it was refused "
                    "unopened"
                )


def read_rows(upload) -> tuple[list[str], list[dict]]:
    """The header's columns and the parsed rows, numbered as a spreadsheet shows them (header is row 1)."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    started = time.monotonic()
    if name.endswith(".xlsx"):
        check_xlsx_container(data)
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:
            raise UnreadableFile("The file is not a readable XLSX workbook") from error
        lines = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile("The CSV file must be saved as UTF-8") from error
        if any(len(line) > CSV_MAX_LINE for line in text.splitlines()):
            raise UnreadableFile(
                f"A line of the file is longer than {CSV_MAX_LINE:,} characters: it is not a sample file"
            )
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
            raise UnreadableFile("The file took too long to read: check it is a sample file and upload it again")
        cells = list(line or [])[:MAX_COLUMNS]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows: split it")
        rows.append(_row(number, {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(columns) if c}))
    return columns, rows
