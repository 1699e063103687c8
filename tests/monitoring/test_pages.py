"""Pages, the permission matrix (outside scope 404, visible but not editable 403, nothing changes) and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import AgendaItem, MeetingStatus
from liaison.models import Role
from monitoring import services
from monitoring.models import Area, Exercise, Sample
from tests.boards.factories import MeetingFactory
from tests.boards.test_pages import pdf_text
from tests.factories import user_with_role
from tests.monitoring.test_uploads import csv_file

# role -> (sees the board's monitoring, may change it)
MATRIX = {
    "erm": (True, True),
    "monitor": (True, True),
    "regional-erm": (True, True),
    "admin": (True, True),
    "district-manager": (True, False),
    "la-manager": (True, False),
    "la-fraud": (True, False),
    "odn": (True, False),
    "gpt": (True, False),
    "outsider": (False, False),
    "outside-monitor": (False, False),
}


def user_for(setup, role):
    if role == "outsider":
        return user_with_role(Role.ERM, district=setup.world.d3, username="outsider")
    if role == "outside-monitor":
        return user_with_role(Role.MONITORING_OFFICER, district=setup.world.d3, username="outside-monitor")
    return setup.users[role]


@pytest.mark.parametrize("role", MATRIX)
def test_who_sees_the_board_monitoring(setup, client, role):
    exercise = setup.exercise("ADM-1")
    client.force_login(user_for(setup, role))
    sees, edits = MATRIX[role]
    for url in (reverse("monitoring:board", args=[setup.board.pk]), exercise.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == (200 if sees else 404), url
    if sees:
        content = client.get(reverse("monitoring:board", args=[setup.board.pk])).content.decode()
        assert ("Choose an area for this period" in content) is edits


@pytest.mark.parametrize("role", MATRIX)
def test_who_may_change_it_by_post(setup, client, role):
    exercise = setup.exercise("ADM-1")
    area = exercise.area
    client.force_login(user_for(setup, role))
    sees, edits = MATRIX[role]
    refused = 403 if sees else 404
    today = datetime.date.today()
    first, last = setup.window(area)
    posts = [
        (exercise.get_absolute_url(), {"case_reference": "P-1", "started_on_0": "8", "started_on_1": "1",
                                       "started_on_2": "2024"}),
        (reverse("monitoring:exercise-upload", args=[exercise.pk]),
         {"file": csv_file(["case_reference,start_date,end_date", "U-1,2024-01-08,"])}),
        (reverse("monitoring:area-add", args=[setup.board.pk]),
         {"standard": setup.standard("ADM-2").pk, "local_risk": "Backlog", "monitor": setup.monitor.pk}),
        (reverse("monitoring:exercise-add", args=[area.pk]),
         {"local_authority": setup.world.la1.pk, "sampled_from_0": first.day, "sampled_from_1": first.month,
          "sampled_from_2": first.year, "sampled_to_0": last.day, "sampled_to_1": last.month,
          "sampled_to_2": last.year, "throughput": "10"}),
        (reverse("monitoring:exercise-complete", args=[exercise.pk]), {}),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == (302 if edits else refused), url
    if edits:
        assert Sample.objects.count() == 2 and Area.objects.count() == 2 and Exercise.objects.count() == 2
        assert Exercise.objects.get(pk=exercise.pk).completed_at is not None
    else:
        assert not Sample.objects.exists() and Area.objects.count() == 1 and Exercise.objects.count() == 1
        assert Exercise.objects.get(pk=exercise.pk).completed_at is None
    assert today


def test_a_bad_upload_lists_every_error_and_saves_nothing(setup, client):
    exercise = setup.exercise("ADM-1")
    client.force_login(setup.monitor)
    file = csv_file(["case_reference,start_date,end_date", "AB123456C,,", "OK-1,2024-01-09,2024-01-08"])
    response = client.post(reverse("monitoring:exercise-upload", args=[exercise.pk]), {"file": file})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Problems in the file: nothing was saved" in content
    assert content.count('<tr class="govuk-table__row"><th scope="row"') >= 3
    assert "National Insurance" in content and "end_date" in content
    assert not Sample.objects.exists()


def test_a_nino_in_the_form_is_refused(setup, client):
    exercise = setup.exercise("ADM-1")
    client.force_login(setup.monitor)
    data = {"case_reference": "AB 12 34 56 C", "started_on_0": "8", "started_on_1": "1", "started_on_2": "2024"}
    response = client.post(exercise.get_absolute_url(), data)
    assert response.status_code == 200
    assert "never a NINO" in response.content.decode()
    assert not Sample.objects.exists()


def test_board_page_shows_the_monitoring_panel_and_results(setup, client):
    exercise = setup.exercise("ADM-2")
    services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference="S-1",
        started_on=datetime.date(2024, 1, 8), ended_on=datetime.date(2024, 1, 16),
    )  # fmt: skip
    client.force_login(setup.users["la-manager"])
    board_page = client.get(setup.board.get_absolute_url()).content.decode()
    assert 'id="board-monitoring"' in board_page and "See the monitoring results" in board_page
    page = client.get(reverse("monitoring:board", args=[setup.board.pk])).content.decode()
    assert "Not met" in page and "<svg" in page and "0.0% not met" in page
    assert "<caption" in page and 'scope="col"' in page


def test_results_go_to_the_next_meeting(setup, client):
    exercise = setup.exercise("ADM-1")
    meeting = MeetingFactory(
        board=setup.board, status=MeetingStatus.SCHEDULED, date=datetime.date.today() + datetime.timedelta(days=20)
    )
    client.force_login(setup.monitor)
    response = client.post(reverse("monitoring:plan-send", args=[exercise.area.plan.pk]))
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, source="monitoring")
    assert "ADM-1" in item.body


def test_pdf_report(setup, client):
    exercise = setup.exercise("ADM-1")
    client.force_login(setup.users["district-manager"])
    response = client.get(reverse("monitoring:plan-pdf", args=[setup.board.pk, exercise.area.plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(("role", "status"), [("gpt", 200), ("odn", 200), ("erm", 403), ("monitor", 403)])
def test_national_view_is_for_national_roles(setup, client, role, status):
    setup.exercise("ADM-1")
    client.force_login(setup.users[role])
    response = client.get(reverse("monitoring:national"))
    assert response.status_code == status
    if status == 200:
        assert "ADM-1: 100% within 2 working days" in response.content.decode()


def test_home_and_standards_pages(setup, client):
    client.force_login(setup.users["la-manager"])
    home = client.get(reverse("monitoring:home")).content.decode()
    assert setup.board.title in home and "Fewer than 3" in home
    standards = client.get(reverse("monitoring:standard-list")).content.decode()
    assert "90% within 2 working days and 100% within 5 working days" in standards


def _grow(setup, exercise, n):
    start = Sample.objects.filter(exercise=exercise).count()
    for i in range(start, start + n):
        services.sample_add(
            actor=setup.monitor, exercise=exercise, case_reference=f"G-{i}",
            started_on=datetime.date(2024, 1, 8), ended_on=datetime.date(2024, 1, 8) + datetime.timedelta(days=i % 9),
        )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_samples(setup, client, django_assert_max_num_queries):
    adm2 = setup.exercise("ADM-2")
    compliance = setup.exercise("ADM-8")
    services.attestation_record(
        actor=setup.monitor, area=setup.area("ARR-1"), statement="Contacts in place", part="admin"
    )
    _grow(setup, adm2, 2)
    client.force_login(setup.users["gpt"])
    urls = [
        reverse("monitoring:board", args=[setup.board.pk]),
        adm2.get_absolute_url(),
        compliance.get_absolute_url(),
        reverse("monitoring:national"),
        reverse("monitoring:home"),
        setup.board.get_absolute_url(),
    ]
    before = {url: _count(client, url) for url in urls}
    _grow(setup, adm2, 30)
    setup.exercise("ADM-3", area=None)
    for url in urls:
        with django_assert_max_num_queries(before[url], info=url):
            assert client.get(url).status_code == 200


def test_fewer_than_three_areas_cannot_be_confirmed_on_the_page(setup, client):
    setup.area("ADM-1")
    plan = setup.area("ADM-2").plan
    client.force_login(setup.monitor)
    response = client.post(reverse("monitoring:plan-confirm", args=[plan.pk]), follow=True)
    assert "Choose at least 3 areas before confirming: this period has 2." in response.content.decode()
    plan.refresh_from_db()
    assert plan.confirmed_at is None
    setup.area("ADM-8")
    client.post(reverse("monitoring:plan-confirm", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.confirmed_at is not None


def test_an_area_without_a_local_risk_is_refused_on_the_page(setup, client):
    client.force_login(setup.monitor)
    data = {"standard": setup.standard("ADM-1").pk, "local_risk": "  ", "monitor": setup.monitor.pk}
    response = client.post(reverse("monitoring:area-add", args=[setup.board.pk]), data)
    assert response.status_code == 200
    assert "Name the local risk this area is aligned with" in response.content.decode()
    assert not Area.objects.exists()


def test_attestations_are_in_the_pdf_and_the_meeting_item(setup, client):
    exercise = setup.exercise("ADM-1")
    services.attestation_record(actor=setup.monitor, area=setup.area("ARR-2"), statement="LHA rates shared")
    meeting = MeetingFactory(
        board=setup.board, status=MeetingStatus.SCHEDULED, date=datetime.date.today() + datetime.timedelta(days=20)
    )
    services.results_send_to_meeting(actor=setup.monitor, plan=exercise.area.plan)
    body = AgendaItem.objects.get(meeting=meeting, source="monitoring").body
    assert "ARR-2 attested by" in body and "LHA rates shared" in body and "ADM-1" in body
    client.force_login(setup.users["la-manager"])
    text = pdf_text(client.get(reverse("monitoring:plan-pdf", args=[setup.board.pk, exercise.area.plan.pk])))
    assert "Attestations" in text and "LHA rates shared" in text and "ADM-1" in text


def test_query_counts_of_the_standards_and_close_pages(setup, client, django_assert_max_num_queries):
    exercise = setup.exercise("ADM-3")
    sample = services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference="OPEN-0", started_on=datetime.date(2024, 1, 8)
    )
    services.standard_create(
        actor=setup.monitor, board=setup.board, code="LOC-0", title="Local", kind="timeliness", thresholds=[(90, 2)]
    )
    adm2 = setup.standard("ADM-2")
    client.force_login(setup.users["admin"])
    urls = [
        reverse("monitoring:standard-list"),
        reverse("monitoring:standard-detail", args=[adm2.pk]),
        reverse("monitoring:sample-close", args=[sample.pk]),
        reverse("monitoring:board", args=[setup.board.pk]),
        exercise.get_absolute_url(),
    ]
    before = {url: _count(client, url) for url in urls}
    for n in range(1, 6):
        services.standard_create(
            actor=setup.monitor, board=setup.board, code=f"LOC-{n}", title="Local", kind="timeliness",
            thresholds=[(90, 2), (100, 3 + n)],
        )  # fmt: skip
        services.threshold_change(
            actor=setup.users["gpt"], threshold=adm2.thresholds.get(days=5), percent=100 - n, days=5
        )
        services.sample_add(
            actor=setup.monitor, exercise=exercise, case_reference=f"OPEN-{n}", started_on=datetime.date(2024, 1, 8)
        )
    for url in urls:
        with django_assert_max_num_queries(before[url], info=url):
            assert client.get(url).status_code == 200


def test_the_exercise_lists_every_case_a_page_at_a_time_and_exports_them_formula_safe(setup, client):
    import csv as csv_module
    import io as io_module

    from openpyxl import load_workbook

    exercise = setup.exercise("ADM-6", throughput=40_000)
    lines = ["case_reference,start_date,end_date", *[f"P-{n:03d},2024-01-08,2024-01-10" for n in range(150)]]
    from tests.monitoring.test_uploads import csv_file, upload

    assert upload(setup, exercise, csv_file(lines)) == 150
    client.force_login(setup.users["la-manager"])
    first = client.get(exercise.get_absolute_url()).content.decode()
    assert "P-000" in first and "P-099" in first and "P-100" not in first
    assert "150 cases, 1 to 100 shown" in first and "not counting the start day and counting the end day" in first
    second = client.get(exercise.get_absolute_url() + "?page=2").content.decode()
    assert "P-149" in second and "P-000" not in second

    response = client.get(reverse("monitoring:exercise-cases-export", args=[exercise.pk, "csv"]))
    assert response["Cache-Control"] == "private, no-store" or "no-store" in response["Cache-Control"]
    rows = list(csv_module.reader(io_module.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Case reference", "Start date", "End date", "Working days", "Complied"]
    assert len(rows) == 151 and rows[1] == ["P-000", "2024-01-08", "2024-01-10", "2", ""]
    book = client.get(reverse("monitoring:exercise-cases-export", args=[exercise.pk, "xlsx"]))
    sheet = load_workbook(io_module.BytesIO(book.content)).active
    assert sheet.max_row == 151 and sheet["A2"].value == "P-000"
    assert client.get(f"/monitoring/exercises/{exercise.pk}/cases.pdf").status_code == 404

    client.force_login(user_for(setup, "outsider"))
    assert client.get(reverse("monitoring:exercise-cases-export", args=[exercise.pk, "csv"])).status_code == 404


def test_the_monitor_sets_the_boards_shape_of_case_reference_on_a_page(setup, client):
    client.force_login(setup.monitor)
    url = reverse("monitoring:case-shape", args=[setup.board.pk])
    response = client.post(url, {"shape": "HB/######", "example": "HB/12"})
    assert response.status_code == 200 and "The example does not have the shape above" in response.content.decode()
    assert client.post(url, {"shape": "HB/######", "example": "HB/123456"}).status_code == 302
    exercise = setup.exercise("ADM-6")
    assert "This board's references have the shape" in client.get(exercise.get_absolute_url()).content.decode()
    client.force_login(setup.users["la-fraud"])
    assert client.post(url, {"shape": "", "example": ""}).status_code in (403, 404)
    assert services.board_shape(setup.board).shape == "HB/######"
