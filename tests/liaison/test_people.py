"""The people pages: who has access in my area, change or end a role, end a leaver's access, hand-over lists."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services
from liaison.models import Event, Role, RoleAssignment
from tests.boards.factories import ActionFactory, board_for
from tests.factories import ContactFactory, LAContactFactory, role, user_with_role
from tests.helpers import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def d2_monitor(world):
    return user_with_role(Role.MONITORING_OFFICER, district=world.d2, username="d2-monitor")


def test_an_erm_sees_the_people_of_their_district_and_its_las_only(client, world, d2_monitor):
    client.force_login(world.users["erm"])
    response = client.get("/people/")
    page = response.content.decode()
    assert response.status_code == 200
    for who in ("district-manager", "monitor", "la-manager", "la-fraud"):
        assert world.users[who].email in page
    assert d2_monitor.email not in page
    assert world.users["gpt"].email not in page
    assert client.get(f"/people/{d2_monitor.pk}/").status_code == 404


def test_an_la_benefits_manager_sees_only_their_las_people(client, world):
    client.force_login(world.users["la-manager"])
    page = client.get("/people/").content.decode()
    assert world.users["la-fraud"].email in page
    assert world.users["monitor"].email not in page


def test_gpt_sees_everyone(client, world, d2_monitor):
    client.force_login(world.users["gpt"])
    page = client.get("/people/").content.decode()
    assert d2_monitor.email in page and world.users["admin"].email in page


@pytest.mark.parametrize("who", ["district-manager", "monitor", "la-fraud", "odn"])
def test_roles_that_give_no_access_cannot_see_the_people_pages(client, world, who):
    client.force_login(world.users[who])
    assert client.get("/people/").status_code == 403
    assert client.get(f"/people/{world.users['erm'].pk}/").status_code == 403


def test_the_list_shows_last_sign_in_and_mfa(client, world):
    from allauth.mfa.models import Authenticator

    dm = world.users["district-manager"]
    Authenticator.objects.create(user=dm, type=Authenticator.Type.TOTP, data={"secret": "x"})
    dm.last_login = timezone.now()
    dm.save()
    client.force_login(world.users["erm"])
    page = client.get(f"/people/{dm.pk}/").content.decode()
    assert "Authenticator app" in page and ">On<" in page
    page = client.get("/people/").content.decode()
    assert "Never" in page and "On" in page


def test_the_list_makes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.users["gpt"])
    client.get("/people/")
    for n in range(10):
        user_with_role(Role.MONITORING_OFFICER, district=world.d1, username=f"many-{n}")
    with django_assert_max_num_queries(12):
        assert client.get("/people/").status_code == 200


def test_an_erm_changes_a_role_within_their_district(client, world):
    monitor = world.users["monitor"]
    assignment = monitor.role_assignments.get()
    client.force_login(world.users["erm"])
    response = client.post(
        f"/people/{monitor.pk}/roles/{assignment.pk}/change/",
        {"role": Role.DISTRICT_MANAGER, "area": f"district:{world.d1.pk}"},
    )
    assert response.status_code == 302
    assert list(monitor.role_assignments.values_list("role", flat=True)) == [Role.DISTRICT_MANAGER]
    assert monitor.groups.filter(name=Role.DISTRICT_MANAGER.label).exists()
    assert Event.objects.filter(kind="access.changed", district=world.d1).exists()


def test_changing_a_role_to_outside_the_area_is_refused(client, world):
    monitor = world.users["monitor"]
    assignment = monitor.role_assignments.get()
    client.force_login(world.users["erm"])
    response = client.post(
        f"/people/{monitor.pk}/roles/{assignment.pk}/change/",
        {"role": Role.MONITORING_OFFICER, "area": f"district:{world.d2.pk}"},
    )
    assert response.status_code == 200 and "<title>Error:" in response.content.decode()
    assert monitor.role_assignments.get().district == world.d1


def test_ending_a_role(client, world):
    fraud = world.users["la-fraud"]
    assignment = fraud.role_assignments.get()
    client.force_login(world.users["la-manager"])
    assert client.post(f"/people/{fraud.pk}/roles/{assignment.pk}/end/").status_code == 302
    assert not fraud.role_assignments.exists()
    assert Event.objects.filter(kind="access.ended", local_authority=world.la1).exists()


def test_a_role_outside_the_area_cannot_be_ended(world):
    rerm = world.users["regional-erm"]
    with pytest.raises(PermissionDenied):
        services.role_end(actor=world.users["erm"], assignment=rerm.role_assignments.get())


def test_deactivating_a_leaver_ends_every_role_lists_open_work_and_stops_sign_in(client, world):
    dm = world.users["district-manager"]
    contact = ContactFactory(district=world.d1, role=role("district-manager"), user=dm, email=dm.email)
    board = board_for(world, jcp_chair=contact)
    action = ActionFactory(meeting__board=board, owner=contact, description="Chase the BDC backlog")
    client.force_login(world.users["erm"])
    assert client.post(f"/people/{dm.pk}/deactivate/").status_code == 302
    dm.refresh_from_db()
    assert not dm.is_active and not dm.role_assignments.exists()
    page = client.get(f"/people/{dm.pk}/").content.decode()
    assert "Open work to hand over" in page and board.title in page and action.description in page
    assert Event.objects.filter(kind="access.deactivated", subject_id=dm.pk).exists()
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": dm.username, "password": "liaison"}, follow=True)
    assert "inactive" in response.redirect_chain[-1][0] and "govuk-template" in response.content.decode()
    assert client.get("/").status_code == 302


def test_nobody_ends_their_own_access(world):
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=world.users["gpt"], user=world.users["gpt"])


def test_an_erm_cannot_deactivate_someone_who_also_holds_a_role_elsewhere(world):
    dm = world.users["district-manager"]
    services.role_assign(user=dm, role=Role.DISTRICT_MANAGER, district=world.d2)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=world.users["erm"], user=dm)
    dm.refresh_from_db()
    assert dm.is_active and dm.role_assignments.count() == 2


def test_a_role_change_after_a_deactivation_is_refused(world):
    monitor = world.users["monitor"]
    assignment = monitor.role_assignments.get()
    services.user_deactivate(actor=world.users["gpt"], user=monitor)
    with pytest.raises(ValidationError):
        services.role_change(
            actor=world.users["erm"], assignment=assignment, role=Role.DISTRICT_MANAGER, district=world.d1
        )


def test_ending_a_contact_ends_the_linked_users_roles_in_that_network_and_lists_their_work(client, world):
    la = world.users["la-manager"]
    services.role_assign(user=la, role=Role.LA_BENEFITS_MANAGER, local_authority=world.la2)
    contact = LAContactFactory(local_authority=world.la1, user=la, email=la.email)
    board = board_for(world, la_chair=contact)
    client.force_login(world.users["erm"])
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        f"/contacts/{contact.pk}/end/",
        {"last_day_0": last_day.day, "last_day_1": last_day.month, "last_day_2": last_day.year},
    )
    assert response.status_code == 302
    # The role at Authority One ends; the one at Authority Two (another network) stays.
    assert list(la.role_assignments.values_list("local_authority", flat=True)) == [world.la2.pk]
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Open work to hand over" in page and board.title in page
    assert Event.objects.filter(kind="access.ended", local_authority=world.la1).exists()


@pytest.mark.django_db(transaction=True)
def test_a_role_change_racing_a_deactivation_one_wins(postgres_only, world):
    monitor = world.users["monitor"]
    assignment = monitor.role_assignments.get()
    results = race(
        lambda: services.user_deactivate(actor=world.users["gpt"], user=monitor),
        lambda: services.role_change(
            actor=world.users["erm"], assignment=assignment, role=Role.DISTRICT_MANAGER, district=world.d1
        ),
    )
    monitor.refresh_from_db()
    if isinstance(results[1], Exception):
        # The deactivation won: no role, no access.
        assert isinstance(results[1], ValidationError) and not monitor.is_active
        assert not RoleAssignment.objects.filter(user=monitor).exists()
    else:
        # The change won, then the deactivation ended the changed role too.
        assert not monitor.is_active and not RoleAssignment.objects.filter(user=monitor).exists()
    assert isinstance(results[0], list)
