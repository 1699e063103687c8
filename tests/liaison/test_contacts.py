"""The contact network pages: directory, filters, CSV, adding, changing, ending and confirming contacts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import Contact, ContactRole, Event
from tests.factories import ContactFactory, LAContactFactory, OfficeFactory


def role_id(code):
    return ContactRole.objects.get(code=code).pk


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def contact_form(world, **overrides):
    data = {
        "name": "Rosa Mendes",
        "job_title": "Benefit Processing Manager",
        "organisation": f"district:{world.d1.pk}",
        "role": role_id("benefit-processing-manager"),
        "office": "",
        "phone": "0161 496 0999",
        "email": "rosa.mendes@jcp.example.gov.uk",
        "secure_email": "on",
        "active_from_0": "1",
        "active_from_1": "4",
        "active_from_2": "2026",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_erm_adds_a_contact_and_it_is_recorded(world, client):
    client.force_login(world.users["erm"])
    response = client.post(reverse("contact-create"), contact_form(world))
    contact = Contact.objects.get(name="Rosa Mendes")
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    assert contact.district == world.d1 and contact.local_authority is None
    assert contact.secure_email
    assert contact.last_confirmed == timezone.localdate()
    assert contact.history.count() == 1
    assert Event.objects.get(kind="contact.created").actor == world.users["erm"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the contact&#x27;s full name"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"phone": "call me"}, "Enter a phone number"),
        (
            {"role": role_id.__name__ and "", "organisation": ""},
            "Choose the organisation the contact works in",
        ),
        ({"role": "__hb__"}, "works for a Local Authority"),
        ({"organisation": "district:999999"}, "Choose an organisation from the list"),
        ({"active_from_0": "31", "active_from_1": "2"}, "Enter a real date, for example 1 4 2008"),
        ({"active_from_2": "26"}, "The year must include 4 numbers"),
        ({"active_from_0": "", "active_from_1": "", "active_from_2": ""}, "Enter the first day in this role"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typed_values_kept(world, client, overrides, message):
    if overrides.get("role") == "__hb__":
        overrides["role"] = role_id("housing-benefit-manager")
    client.force_login(world.users["erm"])
    data = contact_form(world, **overrides)
    response = client.post(reverse("contact-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "govuk-error-summary" in page
    if data["name"]:
        assert f'value="{data["name"]}"' in page
    assert not Contact.objects.filter(name="Rosa Mendes").exists()


@pytest.mark.django_db
def test_an_office_must_be_in_the_contacts_district(world, client):
    elsewhere = OfficeFactory(district=world.d2)
    client.force_login(world.users["regional-erm"])
    response = client.post(reverse("contact-create"), contact_form(world, office=elsewhere.pk))
    assert "Choose an office in the contact&#x27;s district" in response.content.decode()
    assert not Contact.objects.filter(name="Rosa Mendes").exists()


@pytest.mark.django_db
def test_an_erm_cannot_add_to_another_districts_network(world, client):
    client.force_login(world.users["erm"])
    response = client.post(reverse("contact-create"), contact_form(world, organisation=f"district:{world.d2.pk}"))
    assert "Choose an organisation from the list" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_roles_without_a_network_to_edit_cannot_add(world, client):
    for role in ("gpt", "district-manager", "monitor"):
        client.force_login(world.users[role])
        assert client.get(reverse("contact-create")).status_code == 403


@pytest.mark.django_db
def test_la_manager_adds_a_contact_to_their_own_authority(world, client):
    client.force_login(world.users["la-manager"])
    response = client.post(
        reverse("contact-create"),
        contact_form(world, organisation=f"la:{world.la1.pk}", role=role_id("fraud-manager"), name="Lee Chan"),
    )
    assert response.status_code == 302
    assert Contact.objects.get(name="Lee Chan").local_authority == world.la1


@pytest.mark.django_db
def test_changing_a_contact_keeps_the_history(world, client):
    contact = ContactFactory(district=world.d1, phone="0161 496 0001")
    client.force_login(world.users["erm"])
    data = contact_form(world, name=contact.name, role=contact.role_id, phone="0161 496 0002")
    response = client.post(reverse("contact-edit", args=[contact.pk]), data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0161 496 0002"
    phones = [record.phone for record in contact.history.order_by("history_date")]
    assert phones == ["0161 496 0001", "0161 496 0002"]
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "0161 496 0001" in page and "0161 496 0002" in page


@pytest.mark.django_db
def test_ending_a_contact_keeps_the_entry(world, client):
    contact = ContactFactory(district=world.d1)
    client.force_login(world.users["erm"])
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(reverse("contact-end", args=[contact.pk]), date_fields("last_day", last_day), follow=True)
    assert "has been recorded as leaving the role" in response.content.decode()
    contact.refresh_from_db()
    assert contact.active_to == last_day
    assert not contact.is_active()
    # Gone from the network and the default directory, still findable among those who left.
    assert (
        f'href="{contact.get_absolute_url()}"'
        not in client.get(reverse("district-detail", args=["d1"])).content.decode()
    )
    assert contact.name not in client.get(reverse("contact-list")).content.decode()
    assert contact.name in client.get(reverse("contact-list") + "?status=ended").content.decode()


@pytest.mark.django_db
def test_ending_before_the_first_day_is_refused(world, client):
    contact = ContactFactory(district=world.d1, active_from=datetime.date(2020, 1, 1))
    client.force_login(world.users["erm"])
    response = client.post(
        reverse("contact-end", args=[contact.pk]), date_fields("last_day", datetime.date(2019, 12, 31))
    )
    assert "on or after 1 January 2020" in response.content.decode()
    contact.refresh_from_db()
    assert contact.active_to is None


@pytest.mark.django_db
def test_confirming_stamps_only_the_ticked_contacts(world, client):
    old = timezone.localdate() - datetime.timedelta(days=300)
    ticked = ContactFactory(district=world.d1, last_confirmed=old)
    la_contact = LAContactFactory(local_authority=world.la1, last_confirmed=old)
    unticked = ContactFactory(district=world.d1, last_confirmed=old)
    other_district = ContactFactory(district=world.d2, last_confirmed=old)
    client.force_login(world.users["erm"])

    page = client.get(reverse("district-confirm", args=["d1"])).content.decode()
    assert ticked.name in page and la_contact.name in page and other_district.name not in page

    response = client.post(reverse("district-confirm", args=["d1"]), {"contacts": [ticked.pk, la_contact.pk]})
    assert response.status_code == 302
    for contact in (ticked, la_contact, unticked, other_district):
        contact.refresh_from_db()
    assert ticked.last_confirmed == la_contact.last_confirmed == timezone.localdate()
    assert ticked.confirmed_by == world.users["erm"]
    assert unticked.last_confirmed == old
    assert other_district.last_confirmed == old
    assert ticked.history.first().history_change_reason == "Confirmed current"
    assert Event.objects.get(kind="contacts.confirmed").data["contact_ids"] == sorted([ticked.pk, la_contact.pk])


@pytest.mark.django_db
def test_confirming_another_districts_contact_by_tampering_is_refused(world, client):
    mine = ContactFactory(district=world.d1, last_confirmed=None)
    theirs = ContactFactory(district=world.d2, last_confirmed=None)
    client.force_login(world.users["erm"])
    response = client.post(reverse("district-confirm", args=["d1"]), {"contacts": [mine.pk, theirs.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.last_confirmed is None and theirs.last_confirmed is None


@pytest.mark.django_db
def test_confirming_nothing_is_refused_with_a_message(world, client):
    ContactFactory(district=world.d1)
    client.force_login(world.users["erm"])
    response = client.post(reverse("district-confirm", args=["d1"]), {})
    assert "Select at least one contact you have checked" in response.content.decode()


@pytest.mark.django_db
def test_directory_search_and_filters(world, client):
    ContactFactory(name="Ada Lovelace", district=world.d1, role=ContactRole.objects.get(code="nominated-officer"))
    ContactFactory(
        name="Bob Stale",
        district=world.d1,
        last_confirmed=timezone.localdate() - datetime.timedelta(days=400),
    )
    LAContactFactory(name="Carol Council", local_authority=world.la1)
    client.force_login(world.users["gpt"])

    def names(query):
        page = client.get(reverse("contact-list") + query).content.decode()
        return {n for n in ("Ada Lovelace", "Bob Stale", "Carol Council") if n in page}

    assert names("") == {"Ada Lovelace", "Bob Stale", "Carol Council"}
    assert names("?q=lovelace") == {"Ada Lovelace"}
    assert names("?q=authority+one") == {"Carol Council"}
    assert names("?side=la") == {"Carol Council"}
    assert names(f"?role={role_id('nominated-officer')}") == {"Ada Lovelace"}
    assert names("?confirmation=overdue") == {"Bob Stale"}
    assert names("?confirmation=current") == {"Ada Lovelace", "Carol Council"}
    assert names("?district=d1") == {"Ada Lovelace", "Bob Stale", "Carol Council"}
    assert names("?local_authority=E08000101") == {"Carol Council"}


@pytest.mark.django_db
def test_csv_export_follows_the_filters_and_defuses_formulas(world, client):
    ContactFactory(name="=HYPERLINK(1)", district=world.d1)
    LAContactFactory(name="Carol Council", local_authority=world.la1)
    client.force_login(world.users["erm"])
    response = client.get(reverse("contact-export") + "?side=jcp")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # so that Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["Name"] for row in rows] == ["'=HYPERLINK(1)"]
    assert rows[0]["District"] == "District One"
    assert rows[0]["Organisation type"] == "Jobcentre Plus"


@pytest.mark.django_db
def test_district_page_shows_the_network_by_role_and_missing_roles(world, client):
    ContactFactory(
        name="Dee Perf", district=world.d1, role=ContactRole.objects.get(code="district-performance-manager")
    )
    LAContactFactory(name="Carol Council", local_authority=world.la1)
    client.force_login(world.users["erm"])
    page = client.get(reverse("district-detail", args=["d1"])).content.decode()
    assert "Dee Perf" in page and "Carol Council" in page
    assert "Authority Straddle" in page
    assert "No contact in post for:" in page and "Nominated Officer (NINOs)" in page
    assert "Confirm these contacts are current" in page
