"""Reading a file of samples (CSV or XLSX) into rows; `services.samples_import` decides whether to save them."""

from __future__ import annotations

import csv
import datetime
import io

from openpyxl import load_workbook

COLUMNS = ["case_reference", "start_date", "end_date"]
MAX_ROWS = 20_000
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


def read_rows(upload) -> tuple[list[str], list[dict]]:
    """The header's columns and the parsed rows, numbered as a spreadsheet shows them (header is row 1)."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:
            raise UnreadableFile("The file is not a readable XLSX workbook") from error
        lines = sheet.iter_rows(values_only=True)
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile("The CSV file must be saved as UTF-8") from error
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
        cells = list(line or [])
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows: split it")
        rows.append(_row(number, {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(columns) if c}))
    return columns, rows
