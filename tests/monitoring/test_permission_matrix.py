"""Who records on which monitoring area: the area's named monitor (JCP or LA side), the board's editors and its
districts' monitoring officers. An LA monitoring officer sees and writes only its board's areas named to it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.models import District, Event, Role
from monitoring import services
from monitoring.models import Area, Attestation, Exercise, Sample, StandardSide
from monitoring.querysets import eligible_monitors
from tests.boards.factories import board_for
from tests.factories import user_with_role
from tests.monitoring.test_uploads import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def la_setup(setup):
    """ADM-3 on the board of d1/la1 monitored by la1's LA monitoring officer; ADM-1 by the JCP monitor; and an
    ADM-3 area on another LA's board monitored by that LA's officer."""
    world = setup.world
    setup.la_monitor = user_with_role(Role.LA_MONITORING_OFFICER, local_authority=world.la1, username="la-monitor")
    other_monitor = user_with_role(Role.LA_MONITORING_OFFICER, local_authority=world.la3, username="la3-monitor")
    setup.mine = services.area_select(
        actor=setup.users["erm"], board=setup.board, standard=setup.standard("ADM-3"), local_risk="CoC backlog",
        monitor=setup.la_monitor,
    )  # fmt: skip
    setup.theirs = setup.area("ADM-1")
    setup.arr = services.area_select(
        actor=setup.users["erm"], board=setup.board, standard=setup.standard("ARR-1"), local_risk="Contacts",
        monitor=setup.la_monitor,
    )  # fmt: skip
    other = board_for(world, district=world.d3, authority=world.la3, title="Board Three")
    setup.elsewhere = services.area_select(
        actor=setup.users["admin"], board=other, standard=setup.standard("ADM-3"), local_risk="CoC",
        monitor=other_monitor,
    )  # fmt: skip
    return setup


def _people(setup):
    world = setup.world
    return {
        **{role: setup.users[role] for role in setup.users},
        "la-monitor": setup.la_monitor,
        "outsider": user_with_role(Role.ERM, district=world.d3, username="outsider"),
    }


# role -> the areas it may record on ("mine": its board's ADM-3 named to the LA monitor; "theirs": the board's
# ADM-1 named to the JCP monitor; "elsewhere": another board's area), and the areas it sees.
RECORDS = {
    "erm": {"mine", "theirs"},
    "monitor": {"mine", "theirs"},
    "regional-erm": {"mine", "theirs"},
    "admin": {"mine", "theirs", "elsewhere"},
    "la-monitor": {"mine"},
    "outsider": {"elsewhere"},  # the ERM of the other board's district
}
SEES = {
    "erm": {"mine", "theirs"},
    "monitor": {"mine", "theirs"},
    "regional-erm": {"mine", "theirs"},
    "admin": {"mine", "theirs", "elsewhere"},
    "la-monitor": {"mine", "theirs"},
    "la-manager": {"mine", "theirs"},
    "la-fraud": {"mine", "theirs"},
    "district-manager": {"mine", "theirs"},
    "odn": {"mine", "theirs", "elsewhere"},
    "gpt": {"mine", "theirs", "elsewhere"},
    "outsider": {"elsewhere"},
}


def _exercise_post(setup, area):
    first, last = setup.window(area)
    return {
        "local_authority": area.plan.board.local_authorities.first().pk,
        "sampled_from_0": first.day, "sampled_from_1": first.month, "sampled_from_2": first.year,
        "sampled_to_0": last.day, "sampled_to_1": last.month, "sampled_to_2": last.year, "throughput": "10",
    }  # fmt: skip


def _state():
    return (Exercise.objects.count(), Sample.objects.count(), Attestation.objects.count(), Area.objects.count())


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_records_only_on_the_areas_it_monitors(la_setup, client, role):
    setup = la_setup
    user = _people(setup)[role]
    areas = {"mine": setup.mine, "theirs": setup.theirs, "elsewhere": setup.elsewhere}
    assert {k for k, a in areas.items() if Area.objects.visible_to(user).filter(pk=a.pk).exists()} == SEES[role]
    assert {k for k, a in areas.items() if services.can_monitor_area(user, a)} == RECORDS.get(role, set())
    client.force_login(user)
    ref = 1000 + list(SEES).index(role)
    for key, area in areas.items():
        expected_refusal = 403 if key in SEES[role] else 404
        before = _state()
        response = client.post(reverse("monitoring:exercise-add", args=[area.pk]), _exercise_post(setup, area))
        if key not in RECORDS.get(role, set()):
            assert response.status_code == expected_refusal, (role, key)
            assert _state() == before
            with pytest.raises(PermissionDenied):
                services.exercise_create(
                    actor=user, area=area, local_authority=area.plan.board.local_authorities.first(),
                    sampled_from=setup.window(area)[0], sampled_to=setup.window(area)[1], throughput=10,
                )  # fmt: skip
            assert _state() == before
            continue
        assert response.status_code == 302, (role, key)
        exercise = Exercise.objects.filter(area=area).latest("pk")
        events = Event.objects.count()
        response = client.post(
            exercise.get_absolute_url(),
            {"case_reference": f"F-{ref}", "started_on_0": "8", "started_on_1": "1", "started_on_2": "2024"},
        )
        assert response.status_code == 302 and exercise.samples.filter(case_reference=f"F-{ref}").exists()
        upload = csv_file(["case_reference,start_date,end_date", f"U-{ref},2024-01-08,2024-01-10"])
        response = client.post(reverse("monitoring:exercise-upload", args=[exercise.pk]), {"file": upload})
        assert response.status_code == 302 and exercise.samples.filter(case_reference=f"U-{ref}").exists()
        assert Event.objects.count() > events
        # Its results are on the exercise page.
        page = client.get(exercise.get_absolute_url()).content.decode()
        assert f"U-{ref}" in page and "Add a case" in page


def test_an_la_monitor_chooses_no_areas_and_attests_arr1_in_parts(la_setup, client):
    setup = la_setup
    client.force_login(setup.la_monitor)
    page = client.get(reverse("monitoring:board", args=[setup.board.pk])).content.decode()
    assert "Choose an area for this period" not in page
    assert f'href="{reverse("monitoring:exercise-add", args=[setup.mine.pk])}"' in page
    assert f'href="{reverse("monitoring:exercise-add", args=[setup.theirs.pk])}"' not in page
    assert "Measures the work of: Local Authority" in page
    response = client.post(
        reverse("monitoring:area-add", args=[setup.board.pk]),
        {"standard": setup.standard("ADM-2").pk, "local_risk": "Mine", "monitor": setup.la_monitor.pk},
    )
    assert response.status_code == 403
    url = reverse("monitoring:attest", args=[setup.arr.pk])
    response = client.post(url, {"statement": "Nominated contacts in place"})
    assert response.status_code == 200 and "Say which part you attest" in response.content.decode()
    assert not Attestation.objects.exists()
    assert client.post(url, {"part": "admin", "statement": "Admin contacts in place"}).status_code == 302
    assert client.post(url, {"part": "fraud", "statement": "FIS contacts in place"}).status_code == 302
    page = client.get(reverse("monitoring:board", args=[setup.board.pk])).content.decode()
    assert "Administration:" in page and "Fraud:" in page


def test_monitors_come_from_the_boards_two_organisations(la_setup):
    setup = la_setup
    world = setup.world
    eligible = set(eligible_monitors(setup.board))
    assert {setup.la_monitor, setup.users["la-manager"], setup.users["la-fraud"], setup.users["monitor"]} <= eligible
    assert setup.users["erm"] in eligible
    outsider = user_with_role(Role.LA_MONITORING_OFFICER, local_authority=world.la3, username="la3-other")
    assert outsider not in eligible and setup.users["gpt"] not in eligible
    assert setup.users["regional-erm"] not in eligible
    with pytest.raises(ValidationError, match="Choose a monitor"):
        services.area_select(
            actor=setup.users["erm"], board=setup.board, standard=setup.standard("ADM-2"), local_risk="Risk",
            monitor=outsider,
        )  # fmt: skip


def test_a_board_managed_by_the_region_can_name_the_regional_erm_or_the_regions_monitor(la_setup):
    setup = la_setup
    world = setup.world
    board = board_for(world, district=world.d2, authority=world.la2, title="Region-run board")
    assert set(eligible_monitors(board)) == set()
    District.objects.filter(pk=world.d2.pk).update(managed_by_region=True)
    eligible = set(eligible_monitors(board))
    assert setup.users["regional-erm"] in eligible and setup.users["monitor"] in eligible  # d1 is in the region
    area = services.area_select(
        actor=setup.users["regional-erm"], board=board, standard=setup.standard("ADM-2"), local_risk="Risk",
        monitor=setup.users["regional-erm"],
    )  # fmt: skip
    assert area.monitor == setup.users["regional-erm"]


def test_standards_say_whose_work_they_measure_and_carry_the_pas_qualifiers(setup):
    assert setup.standard("ADM-3").side == StandardSide.LA
    assert setup.standard("ADM-1").side == StandardSide.JCP
    assert setup.standard("ARR-1").side == StandardSide.BOTH
    assert "aside from tenancy, landlord and rent matters" in setup.standard("ADM-3").title
    assert "or decision to waive/defer" in setup.standard("ADM-1").title
    assert setup.standard("ARR-1").attestation_parts == ["admin", "fraud"]
    assert datetime.date.today()
