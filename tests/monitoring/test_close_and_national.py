"""Closing a case still open from the exercise page, and the national view counted by the database."""

import datetime

import pytest
from django.urls import reverse

from liaison.models import Event, Role
from monitoring import services
from monitoring.models import Exercise, Sample
from monitoring.selectors import exercise_results, national_results
from tests.boards.factories import board_for
from tests.factories import user_with_role
from tests.monitoring.test_pages import MATRIX, user_for

D = datetime.date
FUTURE = datetime.date.today() + datetime.timedelta(days=30)  # far enough ahead for a run crossing midnight


def _open_case(setup, code="ADM-3"):
    exercise = setup.exercise(code)
    return services.sample_add(
        actor=setup.monitor, exercise=exercise, case_reference="OPEN-1", started_on=D(2024, 1, 5)
    )


def _date(day, month, year):
    return {"ended_on_0": str(day), "ended_on_1": str(month), "ended_on_2": str(year)}


def test_the_monitor_closes_an_open_case_from_the_exercise_page(setup, client):
    sample = _open_case(setup)
    client.force_login(setup.monitor)
    page = client.get(sample.exercise.get_absolute_url()).content.decode()
    close_url = reverse("monitoring:sample-close", args=[sample.pk])
    assert "Cases still open" in page and close_url in page
    form = client.get(close_url).content.decode()
    assert "Record the end date of case OPEN-1" in form and "started on 5 January 2024" in form
    response = client.post(close_url, _date(8, 1, 2024))  # Friday to Monday: 1 working day
    assert response.status_code == 302 and response.url == sample.exercise.get_absolute_url()
    sample.refresh_from_db()
    assert (sample.ended_on, sample.working_days) == (D(2024, 1, 8), 1)
    assert Event.objects.filter(kind="monitoring.sample-closed").count() == 1
    page = client.get(sample.exercise.get_absolute_url()).content.decode()
    assert "ended after 1 working days" in page and "Cases still open" not in page
    # A case already ended is not closed again from here.
    again = client.post(close_url, _date(9, 1, 2024), follow=True)
    assert "already ended on 8 January 2024" in again.content.decode()
    assert Sample.objects.get(pk=sample.pk).ended_on == D(2024, 1, 8)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the end date"),
        (_date(4, 1, 2024), "The end date must be on or after the start date, 5 January 2024"),
        (_date(FUTURE.day, FUTURE.month, FUTURE.year), "The end date cannot be in the future"),
        (_date(31, 2, 2024), "Enter a real date"),
        (_date(8, 1, 24), "The year must include 4 numbers"),
        ({"ended_on_0": "8", "ended_on_1": "", "ended_on_2": "2024"}, "end date"),
    ],
)
def test_a_bad_end_date_is_refused_and_changes_nothing(setup, client, data, message):
    sample = _open_case(setup)
    client.force_login(setup.monitor)
    response = client.post(reverse("monitoring:sample-close", args=[sample.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content and "<title>Error: " in content
    assert message in " ".join(response.context["form"].errors["ended_on"])
    if data.get("ended_on_0"):
        assert f'value="{data["ended_on_0"]}"' in content  # what was typed is shown again
    sample.refresh_from_db()
    assert (sample.ended_on, sample.working_days) == (None, None)
    assert not Event.objects.filter(kind="monitoring.sample-closed").exists()


@pytest.mark.parametrize("role", MATRIX)
def test_who_may_close_a_case(setup, client, role):
    sample = _open_case(setup)
    client.force_login(user_for(setup, role))
    sees, edits = MATRIX[role]
    expected = 200 if edits else (403 if sees else 404)
    url = reverse("monitoring:sample-close", args=[sample.pk])
    if sees:
        page = client.get(sample.exercise.get_absolute_url()).content.decode()
        assert "OPEN-1" in page and (url in page) is edits
    assert client.get(url).status_code == expected
    assert client.post(url, _date(8, 1, 2024)).status_code == (302 if edits else expected)
    assert (Sample.objects.get(pk=sample.pk).ended_on is not None) is edits


# --- The national view ------------------------------------------------------------------------------------------


def _samples(setup, exercise, days_each: list[int | None]):
    """Cases started Monday 8 January 2024 taking the given working days (None: still open)."""
    start = D(2024, 1, 8)
    for n, days in enumerate(days_each):
        services.sample_add(
            actor=setup.users["admin"], exercise=exercise, case_reference=f"N-{exercise.pk}-{n}", started_on=start,
            ended_on=None if days is None else start + datetime.timedelta(days=days + 2 * (days // 5)),
        )  # fmt: skip


def _exercise(setup, code, board, authority, area=None):
    admin = setup.users["admin"]
    # Each board's monitor comes from its own district's network.
    monitor = user_with_role(
        Role.MONITORING_OFFICER, district=board.districts.order_by("pk").first(), username=f"monitor-{board.pk}"
    )
    area = area or services.area_select(
        actor=admin, board=board, standard=setup.standard(code), local_risk="Risk", monitor=monitor
    )
    if code.startswith("ARR"):
        return area
    return services.exercise_create(
        actor=admin, area=area, local_authority=authority, sampled_from=setup.window(area)[0],
        sampled_to=setup.window(area)[1], throughput=100,
    )  # fmt: skip


def _national_world(setup):
    """A board in the North, one straddling districts Two (North) and Three (South), one in the South: ADM-2."""
    world = setup.world
    cross = board_for(world, district=world.d2, authority=world.la2, title="Cross Board")
    cross.districts.add(world.d3)
    south = board_for(world, district=world.d3, authority=world.la3, title="South Board")
    setup.board.local_authorities.add(world.la12)
    exercises = {}
    for board, authority in ((setup.board, world.la1), (cross, world.la2), (south, world.la3)):
        exercises[board.title] = _exercise(setup, "ADM-2", board, authority)
    _samples(setup, exercises[setup.board.title], [1, 2, 2, 4])  # 3 of 4 within 2, 4 of 4 within 5
    second = _exercise(setup, "ADM-2", setup.board, world.la12, area=exercises[setup.board.title].area)
    _samples(setup, second, [0, 3])  # 1 of 2 within 2, 2 of 2 within 5
    _samples(setup, exercises["Cross Board"], [1, 1, 6])  # 2 of 3 within 2, 2 of 3 within 5
    _samples(setup, exercises["South Board"], [2, None])  # open since 2024: past both targets
    return exercises


def test_national_view_by_region_and_board_matches_the_exercise_results(setup):
    _national_world(setup)
    start = Exercise.objects.first().area.plan.period_start
    tables = national_results(setup.users["gpt"], start)
    two, five = tables
    assert (two.standard.code, two.label, five.label) == (
        "ADM-2",
        "90% within 2 working days",
        "100% within 5 working days",
    )
    rows = {
        (r.region, r.board_title): (r.exercises, r.result.within, r.result.decided, r.result.open_past)
        for r in two.rows
    }
    assert list(rows) == [
        ("North", setup.board.title), ("North", "All boards in North"),
        ("South", "Cross Board"), ("South", "South Board"), ("South", "All boards in South"), ("", "All regions"),
    ]  # fmt: skip
    assert rows[("North", setup.board.title)] == (2, 4, 6, 0)
    assert rows[("North", "All boards in North")] == (2, 4, 6, 0)
    # District Three comes before District Two by name: the straddling board is counted once, in the South.
    assert rows[("South", "Cross Board")] == (1, 2, 3, 0)
    assert rows[("South", "South Board")] == (1, 1, 2, 1)
    assert rows[("South", "All boards in South")] == (2, 3, 5, 1)
    assert rows[("", "All regions")] == (4, 7, 11, 1)
    totals = {r.board_title: r.result for r in five.rows}
    assert (totals["All regions"].within, totals["All regions"].decided, totals["All regions"].met) == (9, 11, False)
    assert (totals["All boards in North"].within, totals["All boards in North"].decided) == (6, 6)
    assert totals["All boards in North"].met is True
    # The same counts as the per-exercise results, summed.
    results = exercise_results(Exercise.objects.all())
    assert sum(r.rows[0].within for r in results) == 7 and sum(r.rows[0].decided for r in results) == 11


def test_national_page_shows_compliance_and_attestations(setup, client):
    exercises = _national_world(setup)
    compliance = setup.exercise("ADM-8")
    services.sample_add(
        actor=setup.monitor, exercise=compliance, case_reference="C-1", started_on=D(2024, 1, 8), compliant=True
    )
    services.attestation_record(
        actor=setup.monitor, area=setup.area("ARR-1"), statement="Contacts current", part="admin"
    )
    client.force_login(setup.users["gpt"])
    page = client.get(reverse("monitoring:national")).content.decode()
    assert "ADM-2: 90% within 2 working days" in page and "ADM-8: Compliant (100% target)" in page
    assert "All boards in North" in page and "All regions" in page and "Not met" in page
    assert "Attestation standards" in page and "ARR-1" in page
    assert exercises["South Board"].area.plan.period_label in page


def test_national_view_queries_do_not_grow_with_boards_and_exercises(setup, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exercise = setup.exercise("ADM-3")
    _samples(setup, exercise, [1, 3])
    client.force_login(setup.users["gpt"])
    url = reverse("monitoring:national")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _national_world(setup)
    for code in ("ADM-5", "ADM-7", "ARR-1"):
        board = board_for(setup.world, district=setup.world.d3, authority=setup.world.la3, title=f"More {code}")
        made = _exercise(setup, code, board, setup.world.la3)
        if code == "ARR-1":
            services.attestation_record(actor=setup.users["admin"], area=made, statement="Done", part="fraud")
        else:
            _samples(setup, made, [1, 40, None])
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200 and "More ADM-5" in page.content.decode()
