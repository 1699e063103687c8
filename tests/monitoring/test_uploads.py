"""Uploads are all or nothing: any bad row refuses the whole file, every error is listed, nothing is saved."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from monitoring import services
from monitoring.models import Sample
from monitoring.uploads import UnreadableFile, read_rows

# Far enough ahead that a run crossing midnight still sees it in the future.
NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def csv_file(lines: list[str], name: str = "samples.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode())


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("samples.xlsx", out.getvalue())


def upload(setup, exercise, file):
    columns, rows = read_rows(file)
    return services.samples_import(actor=setup.monitor, exercise=exercise, rows=rows, columns=columns)


def test_a_clean_csv_is_saved_with_working_days(setup):
    exercise = setup.exercise("ADM-3")
    file = csv_file(["case_reference,start_date,end_date", "A-1,2024-01-08,2024-01-15", "A-2,08/01/2024,"])
    assert upload(setup, exercise, file) == 2
    saved = {s.case_reference: s.working_days for s in Sample.objects.all()}
    assert saved == {"A-1": 5, "A-2": None}
    assert Sample.history.count() == 2


def test_a_clean_xlsx_is_saved(setup):
    exercise = setup.exercise("ADM-8")
    file = xlsx_file(
        [
            ["case_reference", "start_date", "end_date", "compliant"],
            ["X-1", datetime.datetime(2024, 1, 8), datetime.datetime(2024, 1, 9), "yes"],
            ["X-2", datetime.date(2024, 1, 8), None, "No"],
        ]
    )
    assert upload(setup, exercise, file) == 2
    assert dict(Sample.objects.values_list("case_reference", "compliant")) == {"X-1": True, "X-2": False}


BAD_FILES = {
    "missing date": (["A-1,,2024-01-09"], [(3, "start_date")]),
    "end before start": (["A-1,2024-01-09,2024-01-08"], [(3, "end_date")]),
    "future date": ([f"A-1,{NEXT_MONTH},"], [(3, "start_date")]),
    "duplicate in file": (["A-1,2024-01-08,", "a-1,2024-01-08,"], [(4, "case_reference")]),
    "duplicate of saved": (["EXISTING-1,2024-01-08,"], [(3, "case_reference")]),
    "nino": (["ab 123456 c,2024-01-08,"], [(3, "case_reference")]),
    "not a date": (["A-1,yesterday,"], [(3, "start_date")]),
    "end not a date": (["A-1,2024-01-08,31/02/2024"], [(3, "end_date")]),
    "future end date": ([f"A-1,2024-01-08,{NEXT_MONTH}"], [(3, "end_date")]),
    "missing reference": ([",2024-01-08,"], [(3, "case_reference")]),
    "reference too long": ([f"{'R' * 41},2024-01-08,"], [(3, "case_reference")]),
    "every column wrong": (["AB123456C,soon,later"], [(3, "case_reference"), (3, "start_date"), (3, "end_date")]),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_each_kind_of_bad_row_refuses_the_whole_file(setup, kind):
    exercise = setup.exercise("ADM-3")
    services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference="EXISTING-1", started_on=datetime.date(2024, 1, 8)
    )
    lines, expected = BAD_FILES[kind]
    file = csv_file(["case_reference,start_date,end_date", "GOOD-1,2024-01-08,2024-01-09", *lines])
    with pytest.raises(services.UploadRejected) as raised:
        upload(setup, exercise, file)
    assert [(e.row, e.column) for e in raised.value.errors] == expected
    assert list(Sample.objects.values_list("case_reference", flat=True)) == ["EXISTING-1"]


def test_every_error_is_listed_by_row_and_column(setup):
    exercise = setup.exercise("ADM-3")
    file = xlsx_file(
        [
            ["case_reference", "start_date", "end_date"],
            ["QQ123456C", None, None],
            ["B-1", datetime.date(2024, 1, 9), datetime.date(2024, 1, 8)],
            ["B-1", datetime.date(2024, 1, 9), None],
        ]
    )
    with pytest.raises(services.UploadRejected) as raised:
        upload(setup, exercise, file)
    assert [(e.row, e.column) for e in raised.value.errors] == [
        (2, "case_reference"),
        (2, "start_date"),
        (3, "end_date"),
        (4, "case_reference"),
    ]
    assert "Row 2, column case_reference" in str(raised.value.errors[0])
    assert not Sample.objects.exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("case_reference,start_date", [(1, "end_date")]),
        ("case_reference,start_date,end_date,name", [(1, "name")]),
    ],
)
def test_wrong_or_missing_columns_refuse_the_file(setup, header, expected):
    exercise = setup.exercise("ADM-3")
    with pytest.raises(services.UploadRejected) as raised:
        upload(setup, exercise, csv_file([header, "A-1,2024-01-08,2024-01-09,x"]))
    assert [(e.row, e.column) for e in raised.value.errors] == expected
    assert not Sample.objects.exists()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["case_reference,start_date,end_date,compliant", "A-1,2024-01-08,,maybe"], [(2, "compliant")]),
        (["case_reference,start_date,end_date,compliant", "A-1,2024-01-08,,"], [(2, "compliant")]),
        (["case_reference,start_date,end_date", "A-1,2024-01-08,"], [(1, "compliant")]),
    ],
)
def test_compliance_file_needs_its_yes_no_column(setup, lines, expected):
    exercise = setup.exercise("FRD-1")
    with pytest.raises(services.UploadRejected) as raised:
        upload(setup, exercise, csv_file(lines))
    assert [(e.row, e.column) for e in raised.value.errors] == expected
    assert not Sample.objects.exists()


def test_a_file_with_no_rows_is_refused(setup):
    exercise = setup.exercise("ADM-3")
    with pytest.raises(services.UploadRejected) as raised:
        upload(setup, exercise, csv_file(["case_reference,start_date,end_date", ",,"]))
    assert [(e.row, e.column) for e in raised.value.errors] == [(2, "case_reference")]


def test_a_file_not_in_utf8_or_too_long_is_refused_before_reading_rows():
    with pytest.raises(UnreadableFile, match="UTF-8"):
        read_rows(SimpleUploadedFile("samples.csv", "case_reference\nCAF\xc9-1\n".encode("latin-1")))
    with pytest.raises(UnreadableFile, match="more than 20,000 rows"):
        read_rows(csv_file(["case_reference,start_date,end_date", *[f"R-{n},2024-01-08," for n in range(20_001)]]))


@pytest.mark.parametrize("name", ["samples.txt", "samples.xlsx"])
def test_unreadable_files_are_refused(name):
    with pytest.raises(UnreadableFile):
        read_rows(SimpleUploadedFile(name, b"not a spreadsheet"))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_ten_thousand_rows_import_through_the_page(setup, client, kind):
    """Correctness at full size; `make bench` times the same upload against its 5-second budget."""
    exercise = setup.exercise("ADM-6", throughput=400_000)
    rows = [[f"R-{n}", f"2024-01-{1 + n % 28:02d}", f"2024-02-{1 + n % 28:02d}"] for n in range(10_000)]
    header = ["case_reference", "start_date", "end_date"]
    file = csv_file([",".join(r) for r in [header, *rows]]) if kind == "csv" else xlsx_file([header, *rows])
    client.force_login(setup.monitor)
    response = client.post(reverse("monitoring:exercise-upload", args=[exercise.pk]), {"file": file})
    assert response.status_code == 302
    assert Sample.objects.filter(exercise=exercise, working_days__isnull=False).count() == 10_000


def zip_bomb(inflated_bytes: int) -> SimpleUploadedFile:
    """An XLSX-looking zip whose sheet inflates to `inflated_bytes` of zeros; made here, never kept as a file."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(inflated_bytes // len(chunk)):
                sheet.write(chunk)
    return SimpleUploadedFile("samples.xlsx", out.getvalue())


@pytest.mark.parametrize("inflated_mb", [1024, 8])
def test_a_zip_bomb_is_refused_unopened_and_nothing_is_saved(setup, client, inflated_mb):
    exercise = setup.exercise("ADM-6")
    bomb = zip_bomb(inflated_mb * 1024 * 1024)
    assert bomb.size < 5 * 1024 * 1024  # small enough to pass the size limit of the form
    client.force_login(setup.monitor)
    response = client.post(reverse("monitoring:exercise-upload", args=[exercise.pk]), {"file": bomb})
    body = response.content.decode()
    assert response.status_code == 200
    assert "refused unopened" in body
    assert not Sample.objects.exists()


def test_a_csv_with_an_overlong_line_is_refused_whole(setup):
    with pytest.raises(UnreadableFile, match="longer than 1,000 characters"):
        read_rows(csv_file(["case_reference,start_date,end_date", "R-1,2024-01-08,", "R-2," + "x" * 2000 + ","]))


def test_names_formulas_and_embedded_ninos_are_refused_by_row_and_column(setup):
    exercise = setup.exercise("ADM-6")
    lines = ["John Smith,2024-01-08,", "REF-AB123456C,2024-01-08,", "=1+2,2024-01-08,", "@cmd,2024-01-08,"]
    with pytest.raises(services.UploadRejected) as raised:
        upload(setup, exercise, csv_file(["case_reference,start_date,end_date", "GOOD-1,2024-01-08,", *lines]))
    errors = [str(e) for e in raised.value.errors]
    assert errors[0].startswith("Row 3, column case_reference: It looks like a person's name")
    assert "Row 4, column case_reference: It contains a National Insurance number" in errors[1]
    assert "formula" in errors[2] and "formula" in errors[3]
    assert not Sample.objects.exists()


def test_a_boards_own_shape_refuses_other_references(setup):
    exercise = setup.exercise("ADM-6")
    services.case_reference_shape_set(actor=setup.monitor, board=setup.board, shape="HB/######", example="HB/123456")
    with pytest.raises(services.UploadRejected) as raised:
        upload(
            setup,
            exercise,
            csv_file(["case_reference,start_date,end_date", "HB/000001,2024-01-08,", "R-1,2024-01-08,"]),
        )
    [error] = raised.value.errors
    assert (error.row, error.column) == (3, "case_reference") and "HB/###### (for example HB/123456)" in error.message
    with pytest.raises(ValidationError):
        services.case_reference_shape_set(actor=setup.monitor, board=setup.board, shape="HB/######", example="R-1")
    assert upload(setup, exercise, csv_file(["case_reference,start_date,end_date", "HB/000001,2024-01-08,"])) == 1
