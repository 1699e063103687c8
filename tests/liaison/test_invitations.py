"""Invitations: the only way in. Scope rules, the one-time link (through a real SMTP server), expiry and reuse."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services
from liaison.models import Event, Invitation, Role, RoleAssignment
from tests.factories import ContactFactory, LAContactFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _invite(world, inviter, **kwargs):
    defaults = {"email": "new.person@example.gov.uk", "name": "New Person"}
    return services.invitation_create(actor=world.users[inviter], **{**defaults, **kwargs})


def _link_path(inbox, address):
    (message,) = inbox.to(address)
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", inbox.body(message)).group(1)


# Who may invite whom, where ------------------------------------------------------------------------------------

ALLOWED = [
    ("erm", Role.DISTRICT_MANAGER, "d1"),
    ("erm", Role.MONITORING_OFFICER, "d1"),
    ("erm", Role.LA_BENEFITS_MANAGER, "la1"),
    ("erm", Role.LA_FRAUD_MANAGER, "la12"),
    ("la-manager", Role.LA_FRAUD_MANAGER, "la1"),
    ("la-manager", Role.LA_BENEFITS_MANAGER, "la1"),
    ("regional-erm", Role.ERM, "d2"),
    ("regional-erm", Role.LA_BENEFITS_MANAGER, "la2"),
    ("regional-erm", Role.REGIONAL_ERM, "north"),
    ("gpt", Role.ERM, "d3"),
    ("gpt", Role.ODN, None),
    ("admin", Role.ADMIN, None),
]
REFUSED = [
    ("erm", Role.DISTRICT_MANAGER, "d2"),
    ("erm", Role.LA_BENEFITS_MANAGER, "la2"),
    ("erm", Role.REGIONAL_ERM, "north"),
    ("erm", Role.GPT, None),
    ("la-manager", Role.LA_BENEFITS_MANAGER, "la12"),
    ("la-manager", Role.MONITORING_OFFICER, "d1"),
    ("regional-erm", Role.ERM, "d3"),
    ("regional-erm", Role.LA_BENEFITS_MANAGER, "la3"),
    ("gpt", Role.ADMIN, None),
    ("district-manager", Role.MONITORING_OFFICER, "d1"),
    ("monitor", Role.MONITORING_OFFICER, "d1"),
    ("la-fraud", Role.LA_FRAUD_MANAGER, "la1"),
    ("odn", Role.ERM, "d1"),
]


def _scope(world, role, where):
    thing = getattr(world, where) if where else None
    if role in (Role.ERM, Role.DISTRICT_MANAGER, Role.MONITORING_OFFICER):
        return {"district": thing}
    if role in (Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER):
        return {"local_authority": thing}
    if role == Role.REGIONAL_ERM:
        return {"region": thing}
    return {}


@pytest.mark.parametrize(("inviter", "role", "where"), ALLOWED)
def test_inviting_within_scope(world, smtp_server, inviter, role, where):
    invitation, token = _invite(world, inviter, role=role, **_scope(world, role, where))
    assert invitation.is_pending and token
    assert smtp_server.to("new.person@example.gov.uk")
    assert Event.objects.filter(kind="access.invited", subject_id=invitation.pk).exists()


@pytest.mark.parametrize(("inviter", "role", "where"), REFUSED)
def test_inviting_outside_scope_is_refused_and_nothing_saved(world, smtp_server, inviter, role, where):
    with pytest.raises(ValidationError):
        _invite(world, inviter, role=role, **_scope(world, role, where))
    assert not Invitation.objects.exists()
    assert not smtp_server.messages


def test_the_form_refuses_outside_scope_with_an_error_summary(client, world):
    client.force_login(world.users["erm"])
    page = client.get("/people/invite/").content.decode()
    assert "District Two" not in page and "Authority Two" not in page
    response = client.post(
        "/people/invite/",
        {"name": "X Y", "email": "x@example.gov.uk", "role": Role.DISTRICT_MANAGER, "area": f"district:{world.d2.pk}"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page and "govuk-error-summary" in page
    assert not Invitation.objects.exists()


def test_the_form_refuses_a_role_in_the_wrong_kind_of_place(client, world):
    client.force_login(world.users["erm"])
    response = client.post(
        "/people/invite/",
        {"name": "X Y", "email": "x@example.gov.uk", "role": Role.DISTRICT_MANAGER, "area": f"la:{world.la1.pk}"},
    )
    assert "works for a district" in response.content.decode()
    assert not Invitation.objects.exists()


def test_roles_without_grant_rights_cannot_open_the_invitation_pages(client, world):
    client.force_login(world.users["district-manager"])
    assert client.get("/people/invite/").status_code == 403
    assert client.get("/people/invitations/").status_code == 403


# Following the link --------------------------------------------------------------------------------------------


def test_a_new_person_accepts_sets_a_password_and_lands_on_home_with_the_role(client, world, smtp_server):
    contact = LAContactFactory(local_authority=world.la1, email="New.Person@example.gov.uk")
    client.force_login(world.users["erm"])
    response = client.post(
        "/people/invite/",
        {
            "name": "New Person",
            "email": "new.person@example.gov.uk",
            "role": Role.LA_BENEFITS_MANAGER,
            "area": f"la:{world.la1.pk}",
        },
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")
    path = _link_path(smtp_server, "new.person@example.gov.uk")
    page = client.get(path).content.decode()
    assert "LA Benefits Manager" in page and "Authority One" in page
    response = client.post(path, {"password1": "joining Liaison 2026", "password2": "joining Liaison 2026"})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="new.person@example.gov.uk")
    assert RoleAssignment.objects.filter(user=user, role=Role.LA_BENEFITS_MANAGER, local_authority=world.la1).exists()
    contact.refresh_from_db()
    assert contact.user == user
    assert Event.objects.filter(kind="access.granted", data__user_id=user.pk).exists()
    # The link is single use.
    client.post("/accounts/logout/")
    response = client.get(path)
    assert response.status_code == 410 and "This invitation link does not work" in response.content.decode()
    # The new person signs in with their email address and password.
    assert client.post("/accounts/login/", {"login": user.email, "password": "joining Liaison 2026"}).status_code == 302


def test_an_existing_user_accepts_an_extra_role_when_signed_in(client, world, smtp_server):
    monitor = world.users["monitor"]
    _, token = _invite(world, "erm", email=monitor.email, role=Role.DISTRICT_MANAGER, district=world.d1)
    page = client.get(f"/invitations/{token}/").content.decode()
    assert "Sign in" in page and "/accounts/login/?next=/invitations/" in page
    client.force_login(monitor)
    assert client.post(f"/invitations/{token}/").status_code == 302
    assert set(monitor.role_assignments.values_list("role", flat=True)) == {
        Role.MONITORING_OFFICER,
        Role.DISTRICT_MANAGER,
    }


def test_someone_else_signed_in_cannot_take_the_role(client, world, smtp_server):
    _, token = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    client.force_login(world.users["la-manager"])
    page = client.post(f"/invitations/{token}/").content.decode()
    assert "This invitation is for new.person@example.gov.uk" in page
    assert not RoleAssignment.objects.filter(role=Role.MONITORING_OFFICER, user=world.users["la-manager"]).exists()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, user=world.users["la-manager"])


@pytest.mark.parametrize("how", ["expired", "withdrawn", "tampered"])
def test_expired_withdrawn_or_tampered_links_change_nothing(client, world, smtp_server, how):
    invitation, token = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    if how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif how == "withdrawn":
        services.invitation_withdraw(actor=world.users["erm"], invitation=invitation)
    else:
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    users = User.objects.count()
    response = client.post(
        f"/invitations/{token}/", {"password1": "joining Liaison 2026", "password2": "joining Liaison 2026"}
    )
    assert response.status_code == 410 and "Nothing has been changed" in response.content.decode()
    assert User.objects.count() == users


def test_the_link_expires_after_seven_days(world, smtp_server):
    invitation, _ = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)


def test_resend_gives_a_new_link_and_the_old_one_stops_working(client, world, smtp_server):
    invitation, old = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    client.force_login(world.users["erm"])
    assert client.post(f"/people/invitations/{invitation.pk}/resend/").status_code == 302
    assert len(smtp_server.to("new.person@example.gov.uk")) == 2
    assert services.invitation_for_token(old) is None
    new_path = re.search(r"(/invitations/\S+/)", smtp_server.body(smtp_server.messages[-1])).group(1)
    assert client.get(new_path).status_code == 200
    assert Event.objects.filter(kind="access.invitation_resent").count() == 1


def test_withdraw_from_the_list_page(client, world, smtp_server):
    invitation, token = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    client.force_login(world.users["erm"])
    assert "Withdraw" in client.get("/people/invitations/").content.decode()
    client.post(f"/people/invitations/{invitation.pk}/withdraw/")
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None and services.invitation_for_token(token) is None


def test_outside_scope_cannot_resend_or_withdraw(client, world, smtp_server):
    invitation, _ = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    client.force_login(world.users["la-manager"])
    assert client.post(f"/people/invitations/{invitation.pk}/withdraw/").status_code == 404
    client.force_login(world.users["erm"])
    other, _ = _invite(world, "gpt", email="x@example.gov.uk", role=Role.ERM, district=world.d3)
    assert client.post(f"/people/invitations/{other.pk}/resend/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_a_duplicate_pending_invitation_is_refused(world, smtp_server):
    _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    with pytest.raises(ValidationError):
        _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)


def test_a_jcp_contact_in_the_district_is_linked(world, smtp_server):
    contact = ContactFactory(district=world.d1, email="new.person@example.gov.uk")
    invitation, _ = _invite(world, "erm", role=Role.MONITORING_OFFICER, district=world.d1)
    assert invitation.contact == contact
