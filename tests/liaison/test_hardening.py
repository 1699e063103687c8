"""Odd input, failing mail servers and changing responsibilities: clear answers, nothing lost, nothing leaked."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from liaison import services
from liaison.alerts import scan_deadlines
from liaison.models import (
    Alert,
    AlertRecipient,
    Contact,
    ContactRole,
    IssueCategory,
    Notification,
    Role,
    RoleAssignment,
)
from tests.factories import ContactFactory, LAContactFactory
from tests.helpers import sent_mail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/authorities/%00/", None),
        ("get", "/contacts/?q=%00", None),
        ("get", "/contacts/new/?district=%00", None),
        ("get", "/contacts/export.csv?district=a%00b", None),
        ("post", "/contacts/new/", {"name": "Nul\x00Name"}),
    ],
)
def test_nul_characters_are_refused_with_a_400(world, client, method, url, data):
    client.force_login(world.users["erm"])
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 400
    assert b"character we cannot read" in response.content
    assert not Contact.objects.filter(name__startswith="Nul").exists()


@pytest.mark.django_db
def test_an_overlong_search_is_refused_with_a_message(world, client):
    ContactFactory(name="Ada Lovelace", district=world.d1)
    client.force_login(world.users["erm"])
    response = client.get(reverse("contact-list"), {"q": "word " * 3000})
    assert response.status_code == 200
    assert "Search must be 100 characters or fewer" in response.content.decode()
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_many_search_words_only_use_the_first_eight(world, client):
    ContactFactory(name="Ada Lovelace", district=world.d1)
    client.force_login(world.users["erm"])
    response = client.get(reverse("contact-list"), {"q": "ada " * 8 + "zz " * 10})
    assert "Ada Lovelace" in response.content.decode()


@pytest.mark.django_db
def test_an_export_with_bad_filters_goes_back_to_the_list_with_errors(world, client):
    ContactFactory(name="Ada Lovelace", district=world.d1)
    client.force_login(world.users["erm"])
    response = client.get(reverse("contact-export"), {"status": "bogus"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('contact-list')}?status=bogus"
    page = client.get(response["Location"]).content.decode()
    assert "Select a valid choice" in page


@pytest.mark.django_db
def test_an_absurd_date_gets_a_message_not_a_crash(world, client):
    contact = ContactFactory(district=world.d1)
    client.force_login(world.users["erm"])
    response = client.post(
        reverse("contact-end", args=[contact.pk]),
        {"last_day_0": "1", "last_day_1": "99999999999999999999", "last_day_2": "2026"},
    )
    assert response.status_code == 200
    assert "Enter a real date, for example 31 3 2027" in response.content.decode()
    contact.refresh_from_db()
    assert contact.active_to is None


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_stop_the_scan_and_the_email_is_retried(
    world, settings, django_capture_on_commit_callbacks
):
    ContactFactory(district=world.d1, last_confirmed=None)
    ContactFactory(district=world.d2, last_confirmed=None)
    # A real SMTP client against a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        result = scan_deadlines()
    assert {"district:d1", "district:d2"} <= set(Alert.objects.open().values_list("key", flat=True))
    # Every email is in the outbox, each attempt failed with its reason, none lost.
    written = AlertRecipient.objects.filter(user__email__gt="").count()
    assert result.emails == written == Notification.objects.failed().count() > 0
    assert all("Connection refused" in n.failure_reason for n in Notification.objects.all())

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert scan_deadlines().emails == 0  # the scan does not write them again
    assert len(sent_mail()) == written
    assert Notification.objects.waiting().count() == 0
    assert len(sent_mail()) == written  # and the sweep does not send them again


@pytest.mark.django_db
def test_someone_who_moved_on_stops_seeing_the_alert_but_keeps_the_record(world, client):
    ContactFactory(district=world.d1, last_confirmed=None)
    scan_deadlines()
    erm = world.users["erm"]
    moved = RoleAssignment.objects.get(user=erm)
    moved.district = world.d3
    moved.save()
    erm._liaison_scope = None
    scan_deadlines()
    client.force_login(erm)
    assert "in District One not confirmed" not in client.get("/").content.decode()
    delivery = AlertRecipient.objects.get(user=erm, alert__key="district:d1")
    assert delivery.current is False and delivery.notified_at is not None
    # The Regional ERM of District One's region now holds it.
    assert (
        Alert.objects.open().get(key="district:d1").deliveries.filter(current=True).get().user
        == world.users["regional-erm"]
    )


@pytest.mark.django_db
def test_removing_the_admin_role_in_the_admin_site_removes_admin_access(world, client):
    superuser = world.users["admin"]
    superuser.is_superuser = True
    superuser.save()
    target = world.users["gpt"]
    services.role_assign(user=target, role=Role.ADMIN)
    target.refresh_from_db()
    assert target.is_staff
    assignment = RoleAssignment.objects.get(user=target, role=Role.ADMIN)

    client.force_login(superuser)
    response = client.post(reverse("admin:liaison_roleassignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_staff
    assert not target.groups.filter(name=Role.ADMIN.label).exists()
    assert target.groups.filter(name=Role.GPT.label).exists()
    client.force_login(target)
    assert client.get("/admin/auth/user/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["erm", "la-manager", "gpt", "district-manager"])
def test_services_refuse_changes_outside_the_actors_network(world, role):
    actor = world.users[role]
    other_jcp = ContactFactory(district=world.d3, phone="0161 496 0001")
    other_la = LAContactFactory(local_authority=world.la3, phone="0161 496 0002")
    for contact in (other_jcp, other_la):
        with pytest.raises(PermissionDenied):
            services.contact_update(actor=actor, contact=contact, data={"phone": "0161 496 9999"})
        with pytest.raises(PermissionDenied):
            services.contact_end(actor=actor, contact=contact, last_day=timezone.localdate())
        with pytest.raises(PermissionDenied):
            services.contacts_confirm(actor=actor, contacts=[contact])
    with pytest.raises(PermissionDenied):
        services.contact_create(
            actor=actor,
            data={
                "name": "Sneaky Add",
                "role": ContactRole.objects.get(code="nominated-officer"),
                "district": world.d3,
                "active_from": datetime.date(2026, 1, 1),
            },
        )
    for contact in (other_jcp, other_la):
        contact.refresh_from_db()
        assert contact.active_to is None
        assert contact.last_confirmed < timezone.localdate()
    assert other_jcp.phone == "0161 496 0001" and other_la.phone == "0161 496 0002"
    assert not Contact.objects.filter(name="Sneaky Add").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("la-manager", ["Authority One"], ["Authority Straddle", "Authority Two", "District Two"]),
        ("erm", ["Authority One", "Authority Straddle", "District Two"], ["Authority Two"]),
    ],
)
def test_district_page_names_only_what_the_role_may_see(world, client, role, shown, hidden):
    client.force_login(world.users[role])
    page = client.get(reverse("district-detail", args=["d1"])).content.decode()
    for name in shown:
        assert name in page
    for name in hidden:
        assert name not in page


@pytest.mark.django_db
def test_district_list_counts_only_visible_authorities(world, client):
    client.force_login(world.users["la-manager"])
    page = client.get(reverse("district-list")).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in page
    client.force_login(world.users["erm"])
    page = client.get(reverse("district-list")).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page


@pytest.mark.django_db
def test_loading_the_demo_again_keeps_what_users_changed(settings):
    call_command("load_demo", "--no-scan", verbosity=0)
    erm = RoleAssignment.objects.get(user__username="erm").user
    erm.set_password("a-new-password-of-her-own")
    erm.save()
    renamed = Contact.objects.filter(district__code="west-yorkshire", role__code="nominated-officer").get()
    renamed.name = "Renamed Person"
    renamed.save()
    category = IssueCategory.objects.get(code="nino-applied-for")
    category.name = "NINO applications (local wording)"
    category.save()
    contacts = Contact.objects.count()

    call_command("load_demo", "--no-scan", verbosity=0)

    erm.refresh_from_db()
    assert erm.check_password("a-new-password-of-her-own")
    assert Contact.objects.count() == contacts
    assert Contact.objects.get(pk=renamed.pk).name == "Renamed Person"
    assert IssueCategory.objects.get(code="nino-applied-for").name == "NINO applications (local wording)"
    assert Group.objects.filter(name=Role.ERM.label).exists()


def test_no_page_template_uses_inline_styles_the_csp_would_block():
    """style-src is 'self' only: a style="" attribute is silently dropped by the browser (PDF templates excepted)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for folder in ("templates", "liaison", "boards", "escalation", "monitoring", "agreements")
        for path in (root / folder).rglob("*.html")
        if "/pdf/" not in str(path) and " style=" in path.read_text()
    ]
    assert offenders == []
