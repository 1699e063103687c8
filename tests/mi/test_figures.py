"""Each organisation's quarterly figures: who enters them, corrections with a reason, uploads refused whole, the
missing-figures alert, and GPT's catalogue."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from liaison.alerts import scan_deadlines
from liaison.models import Alert, Role
from liaison.uploads import UnreadableFile, UploadRejected
from mi import services
from mi.checks import due_date
from mi.models import Figure, Measure
from mi.periods import Quarter
from tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
QUARTER = Quarter.last_complete(TODAY)


@pytest.fixture
def hb(db):
    return Measure.objects.get(code="hb-new-claims-days")


@pytest.fixture
def nino(db):
    return Measure.objects.get(code="nino-traces-33-days")


def test_a_figure_is_entered_and_corrected_only_with_a_reason(world, hb):
    manager = world.users["la-manager"]
    figure = services.figure_record(actor=manager, measure=hb, quarter=QUARTER, local_authority=world.la1, value="21.5")
    assert figure.value == Decimal("21.50")
    assert services.figure_record(
        actor=manager, measure=hb, quarter=QUARTER, local_authority=world.la1, value="21.5"
    ) is None  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.figure_record(actor=manager, measure=hb, quarter=QUARTER, local_authority=world.la1, value="19")
    assert "reason" in refused.value.message_dict
    services.figure_record(
        actor=manager, measure=hb, quarter=QUARTER, local_authority=world.la1, value="19", reason="Backlog recount"
    )
    figure.refresh_from_db()
    assert figure.value == Decimal("19.00") and figure.reason == "Backlog recount"
    values = list(figure.history.order_by("history_date").values_list("value", "history_change_reason"))
    assert values == [(Decimal("21.50"), "Entered"), (Decimal("19.00"), "Backlog recount")]
    assert Figure.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "cannot be negative"), ("abc", "Enter a number"), ("1000", "cannot be more than"), ("NaN", "number")],
)
def test_bad_values_are_refused_and_change_nothing(world, hb, value, message):
    with pytest.raises(ValidationError) as refused:
        services.figure_record(
            actor=world.users["la-manager"], measure=hb, quarter=QUARTER, local_authority=world.la1, value=value
        )
    assert message in refused.value.message_dict["value"][0]
    assert not Figure.objects.exists()


def test_wrong_side_future_quarter_and_retired_measure_are_refused(world, hb, nino):
    manager = world.users["la-manager"]
    with pytest.raises(ValidationError, match="Jobcentre Plus district's measure"):
        services.figure_record(actor=manager, measure=nino, quarter=QUARTER, local_authority=world.la1, value="90")
    with pytest.raises(ValidationError, match="has not started"):
        services.figure_record(
            actor=manager, measure=hb, quarter=Quarter.containing(TODAY).next(), local_authority=world.la1, value="20"
        )
    services.measure_retire(actor=world.users["gpt"], measure=hb, on=QUARTER.start)
    with pytest.raises(ValidationError, match="retired"):
        services.figure_record(actor=manager, measure=hb, quarter=QUARTER, local_authority=world.la1, value="20")
    # A quarter before the retirement still takes it.
    services.figure_record(actor=manager, measure=hb, quarter=QUARTER.previous(), local_authority=world.la1, value="20")
    assert Figure.objects.count() == 1


LA_ENTERERS = {"la-manager", "la-fraud", "admin"}
DISTRICT_ENTERERS = {"erm", "district-manager", "monitor", "admin"}


def test_each_organisation_enters_its_own_figures_and_no_one_else(world, hb, nino):
    la_monitor = user_with_role(Role.LA_MONITORING_OFFICER, local_authority=world.la1, username="w-la-monitor")
    people = {**world.users, "la-monitor": la_monitor}
    for name, user in people.items():
        for measure, org, allowed in (
            (hb, {"local_authority": world.la1}, LA_ENTERERS | {"la-monitor"}),
            (nino, {"district": world.d1}, DISTRICT_ENTERERS),
            (hb, {"local_authority": world.la2}, {"admin"}),
            (nino, {"district": world.d2}, {"admin"}),
        ):
            Figure.objects.all().delete()
            if name in allowed:
                services.figure_record(actor=user, measure=measure, quarter=QUARTER, value="50", **org)
                assert Figure.objects.count() == 1, (name, org)
            else:
                with pytest.raises(PermissionDenied):
                    services.figure_record(actor=user, measure=measure, quarter=QUARTER, value="50", **org)


def test_visible_to_follows_the_scope(world, hb, nino):
    admin = world.users["admin"]
    mine = services.figure_record(actor=admin, measure=hb, quarter=QUARTER, local_authority=world.la1, value="20")
    other = services.figure_record(actor=admin, measure=hb, quarter=QUARTER, local_authority=world.la3, value="20")
    district = services.figure_record(actor=admin, measure=nino, quarter=QUARTER, district=world.d1, value="90")
    far = services.figure_record(actor=admin, measure=nino, quarter=QUARTER, district=world.d3, value="90")
    seen = {name: set(Figure.objects.visible_to(user)) for name, user in world.users.items()}
    assert seen["gpt"] == seen["odn"] == {mine, other, district, far}
    assert seen["la-manager"] == {mine, district}
    assert seen["erm"] == {mine, district}  # District One's LAs include Authority One
    assert seen["regional-erm"] == {mine, district}  # the North: Districts One and Two
    assert far not in seen["erm"] and other not in seen["la-manager"]


def _csv(text: str, name="figures.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_good_file_saves_every_figure(world, hb):
    lines = ["measure,quarter,organisation,value,reason"]
    for quarter in QUARTER.back(4):
        lines.append(f"hb-new-claims-days,{quarter.short},E08000101,{20 + quarter.number},")
        lines.append(f"hb-changes-days,{quarter.code},e08000101,8.5,")
    count = services.figures_import(actor=world.users["la-manager"], upload=_csv("\n".join(lines)))
    assert count == 8 == Figure.objects.count()
    assert Figure.objects.get(measure=hb, quarter_start=QUARTER.start).value == 20 + QUARTER.number
    # A correction in a later file needs its reason.
    again = f"measure,quarter,organisation,value,reason\nhb-new-claims-days,{QUARTER.short},E08000101,30,\n"
    with pytest.raises(UploadRejected) as rejected:
        services.figures_import(actor=world.users["la-manager"], upload=_csv(again))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "reason")]
    fixed = again.replace("30,\n", "30,Recounted after audit\n")
    assert services.figures_import(actor=world.users["la-manager"], upload=_csv(fixed)) == 1
    assert Figure.objects.get(measure=hb, quarter_start=QUARTER.start).reason == "Recounted after audit"


def test_a_bad_file_is_refused_whole_with_every_error_by_row_and_column(world):
    future = Quarter.containing(TODAY).next()
    text = "\n".join(
        [
            "measure,quarter,organisation,value,reason",
            f"hb-new-claims-days,{QUARTER.short},E08000101,21,",  # good
            f"no-such-measure,{QUARTER.short},E08000101,21,",  # 3: measure
            "hb-new-claims-days,2026-11,E08000101,21,",  # 4: quarter
            f"hb-new-claims-days,{future.short},E08000101,21,",  # 5: quarter not started
            f"hb-new-claims-days,{QUARTER.short},E08000103,21,",  # 6: not theirs
            f"hb-new-claims-days,{QUARTER.previous().short},d1,21,",  # 7: a district for an LA measure
            f"hb-changes-days,{QUARTER.short},E08000101,lots,",  # 8: value
            f"hb-new-claims-days,{QUARTER.short},E08000101,22,",  # 9: the same figure as row 2
            f"hb-changes-days,{QUARTER.previous().short},E08000101,5,QQ 12 34 56 C",  # 10: a NINO in the reason
        ]
    )
    with pytest.raises(UploadRejected) as rejected:
        services.figures_import(actor=world.users["la-manager"], upload=_csv(text))
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {
        (3, "measure"), (4, "quarter"), (5, "quarter"), (6, "organisation"), (7, "organisation"), (8, "value"),
        (9, "organisation"), (10, "reason"),
    }  # fmt: skip
    assert not Figure.objects.exists()


def test_header_problems_and_unreadable_files_are_refused(world):
    with pytest.raises(UploadRejected) as rejected:
        services.figures_import(actor=world.users["la-manager"], upload=_csv("measure,quarter,value,colour\n"))
    assert {(e.row, e.column) for e in rejected.value.errors} == {(1, "organisation"), (1, "colour")}
    with pytest.raises(UnreadableFile):
        services.figures_import(
            actor=world.users["la-manager"], upload=SimpleUploadedFile("figures.xlsx", b"PK\x03\x04 not a workbook")
        )
    with pytest.raises(UnreadableFile):
        services.figures_import(actor=world.users["la-manager"], upload=_csv("x" * 2000 + "\n"))


def test_an_xlsx_of_figures_is_read_like_a_csv(world, nino):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Measure", "Quarter", "Organisation", "Value"])
    sheet.append(["nino-traces-33-days", QUARTER.short, "d1", 91.5])
    sheet.append(["changes-forwarded-5-days", QUARTER.code, "d1", "88%"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("figures.xlsx", buffer.getvalue())
    assert services.figures_import(actor=world.users["erm"], upload=upload) == 2
    assert Figure.objects.get(measure=nino).value == Decimal("91.50")


def test_the_pages_enter_correct_and_upload(client, world, hb):
    client.force_login(world.users["la-manager"])
    page = client.get("/mi/figures/")
    assert page.status_code == 200 and b"Authority One" in page.content
    url = f"/mi/figures/la/E08000101/{QUARTER.code}/"
    assert client.post(url, {"hb-new-claims-days": "24", "hb-changes-days": "", "reason": ""}).status_code == 302
    assert Figure.objects.get(measure=hb).value == 24
    refused = client.post(url, {"hb-new-claims-days": "20", "hb-changes-days": "", "reason": ""})
    assert refused.status_code == 200 and b"Give the reason for correcting" in refused.content
    blanked = client.post(url, {"hb-new-claims-days": "", "hb-changes-days": "", "reason": "x"})
    assert b"corrected, not removed" in blanked.content
    assert Figure.objects.get(measure=hb).value == 24
    assert client.post(url, {"hb-new-claims-days": "20", "hb-changes-days": "", "reason": "Typo"}).status_code == 302
    history = client.get(url)
    assert b"Typo" in history.content and b"24.00" in history.content
    assert client.get(f"/mi/figures/la/E08000103/{QUARTER.code}/").status_code == 403
    bad = _csv(f"measure,quarter,organisation,value\nhb-new-claims-days,{QUARTER.short},E08000103,21\n")
    response = client.post("/mi/figures/upload/", {"file": bad})
    assert b"Problems in the file: nothing was saved" in response.content
    template = client.get(f"/mi/figures/template.csv?quarter={QUARTER.code}")
    rows = b"".join(template.streaming_content).decode().removeprefix("\ufeff").splitlines()
    assert rows[0] == "measure,quarter,organisation,value,reason"
    assert f"hb-new-claims-days,{QUARTER.short},E08000101,20.00," in rows


def test_gpt_keeps_the_catalogue_and_others_cannot(client, world, hb):
    client.force_login(world.users["erm"])
    assert client.get("/mi/measures/").status_code == 200
    assert client.get("/mi/measures/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.measure_retire(actor=world.users["erm"], measure=hb, on=TODAY)
    client.force_login(world.users["gpt"])
    response = client.post(
        "/mi/measures/new/",
        {"name": "Overpayments recovered", "code": "overpayments-recovered", "side": "la", "unit": "percent",
         "direction": "higher", "description": "", "order": 50},
    )  # fmt: skip
    assert response.status_code == 302
    measure = Measure.objects.get(code="overpayments-recovered")
    client.post(f"/mi/measures/{measure.code}/edit/", {"name": "Overpayments recovered in year", "order": 50})
    measure.refresh_from_db()
    assert measure.name == "Overpayments recovered in year"
    assert list(measure.history.values_list("name", flat=True).order_by("history_date")) == [
        "Overpayments recovered", "Overpayments recovered in year",
    ]  # fmt: skip
    day = QUARTER.next().start
    client.post(f"/mi/measures/{measure.code}/retire/", {"on_0": day.day, "on_1": day.month, "on_2": day.year})
    measure.refresh_from_db()
    assert measure.retired_on == day
    listed = client.get("/mi/measures/").content.decode()
    in_use, retired = listed.split(">Retired</caption>")
    assert "Overpayments recovered in year" in retired
    assert "Overpayments recovered in year</th>" not in in_use.split(">In use</caption>")[1]


def test_missing_figures_are_chased_before_the_due_date_and_the_alert_clears(world, hb):
    due = due_date(QUARTER)
    assert scan_deadlines(today=due - datetime.timedelta(days=20), codes=["mi-figures-missing"]).raised == 0
    warned = scan_deadlines(today=due - datetime.timedelta(days=10), codes=["mi-figures-missing"])
    assert warned.raised > 0
    alert = Alert.objects.open().get(check_code="mi-figures-missing", local_authority=world.la1)
    assert "2 of 2 missing" in alert.title and f"due by {due:%-d %B %Y}" in alert.title
    assert {d.user for d in alert.deliveries.all()} == {world.users["la-manager"], world.users["la-fraud"]}
    for measure in Measure.objects.filter(side="la"):
        services.figure_record(
            actor=world.users["la-manager"], measure=measure, quarter=QUARTER, local_authority=world.la1, value="20"
        )
    scan_deadlines(today=due - datetime.timedelta(days=9), codes=["mi-figures-missing"])
    assert not Alert.objects.open().filter(check_code="mi-figures-missing", local_authority=world.la1).exists()


def test_the_missing_figures_check_is_set_based(world):
    from mi.checks import figures_missing

    due = due_date(QUARTER)
    with CaptureQueriesContext(connection) as few:
        before = figures_missing(due)
    for n in range(5):
        authority = LocalAuthorityFactory(gss_code=f"E0800030{n}", name=f"More {n}", districts=[world.d1])
        user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=authority, username=f"more-{n}")
    with CaptureQueriesContext(connection) as many:
        after = figures_missing(due)
    assert len(after) == len(before) + 5
    assert len(many) == len(few)
