"""Reading a file of samples (CSV or XLSX) into rows; `services.samples_import` decides whether to save them."""

from __future__ import annotations

import datetime

from liaison.uploads import UnreadableFile, check_xlsx_container, read_table

COLUMNS = ["case_reference", "start_date", "end_date"]
MAX_ROWS = 20_000
# A hostile file is refused before it is opened, and a parse that runs long is stopped (liaison/uploads.py).
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


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
    return read_table(upload, max_rows=MAX_ROWS, what="a sample file", row=_row)


__all__ = ["COLUMNS", "MAX_ROWS", "UnreadableFile", "check_xlsx_container", "expected_columns", "read_rows"]
