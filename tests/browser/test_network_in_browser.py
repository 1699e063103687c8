"""Real users in a real headless Chromium: the ERM keeps the network current; scope holds for an LA manager."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.alerts import scan_deadlines
from liaison.models import Contact, District

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The network's own checks: feature apps' demo data raises alerts of their own for the same ERM.
NETWORK_CHECKS = ["contacts-unconfirmed", "required-role-missing"]


def test_erm_confirms_the_district_contacts(demo, live_server, page, sign_in, assert_accessible):
    scan_deadlines(codes=NETWORK_CHECKS)
    sign_in(page, "erm")
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    alert_link = page.get_by_role("link", name="not confirmed since")
    expect(alert_link).to_contain_text("Greater Manchester Central")
    assert_accessible(page)

    page.get_by_role("link", name="Greater Manchester Central", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Greater Manchester Central")
    expect(page.get_by_role("heading", name="Jobcentre Plus network")).to_be_visible()
    expect(page.get_by_role("heading", name="Manchester contacts")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Confirm these contacts are current").click()
    network = Contact.objects.active().in_district_network(District.objects.get(code="greater-manchester-central"))
    count = network.count()
    # Nothing is ticked to begin with: each tick is a check made. Confirming none is refused, and the error
    # summary's link puts focus on the first checkbox.
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm these contacts are current").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select at least one contact you have checked")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_contacts_1"
    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(count)
    for n in range(count):
        boxes.nth(n).check()
    page.get_by_role("button", name="Confirm these contacts are current").click()

    expect(page.get_by_role("alert")).to_contain_text(f"{count} contacts confirmed as current today")
    assert_accessible(page)
    assert set(network.values_list("last_confirmed", flat=True)) == {timezone.localdate()}

    # Confirming re-evaluated the district's checks in the same transaction: the alert is already cleared, the
    # next scan has nothing left to clear, and the dashboard no longer lists it (other apps' alerts may remain).
    assert scan_deadlines(codes=NETWORK_CHECKS).cleared == 0
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    expect(page.get_by_role("link", name="not confirmed since")).to_have_count(0)


def test_erm_is_told_what_is_wrong_and_keeps_what_they_typed(demo, live_server, page, sign_in, assert_accessible):
    sign_in(page, "erm")
    page.goto(f"{live_server.url}/contacts/new/?district=greater-manchester-central")
    page.get_by_label("Full name").fill("Rosa Mendes")
    page.get_by_label("Role", exact=True).select_option(label="Nominated Officer (NINOs)")
    page.get_by_label("Email", exact=True).fill("not an email")
    page.get_by_role("button", name="Save contact").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(page.get_by_label("Full name")).to_have_value("Rosa Mendes")
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.get_by_label("Email", exact=True).fill("rosa.mendes@jcp.example.gov.uk")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Mendes")
    expect(page.get_by_role("alert")).to_contain_text("Rosa Mendes has been added")
    assert_accessible(page)
    assert Contact.objects.get(name="Rosa Mendes").district.code == "greater-manchester-central"


def test_la_manager_cannot_open_another_las_contacts(demo, live_server, page, sign_in, assert_accessible):
    salford_contact = Contact.objects.filter(local_authority__gss_code="E08000006").first()
    manchester_contact = Contact.objects.filter(local_authority__gss_code="E08000003").first()
    sign_in(page, "la-manager")

    page.goto(f"{live_server.url}/authorities/E08000003/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manchester")
    expect(page.get_by_role("link", name=manchester_contact.name)).to_be_visible()
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/authorities/E08000006/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)

    response = page.goto(f"{live_server.url}{salford_contact.get_absolute_url()}")
    assert response.status == 404

    page.goto(f"{live_server.url}/contacts/?q={salford_contact.name.split()[-1]}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts directory")
    expect(page.get_by_role("link", name=salford_contact.name)).to_have_count(0)
    assert_accessible(page)

    # The district page shows the JCP network and the manager's own LA, never the other LAs' people.
    page.goto(f"{live_server.url}/districts/greater-manchester-central/")
    expect(page.get_by_role("heading", name="Manchester contacts")).to_be_visible()
    expect(page.get_by_role("heading", name="Salford contacts")).to_have_count(0)
    expect(page.get_by_role("link", name="Confirm these contacts are current")).to_have_count(0)
    assert_accessible(page)


def test_every_page_works_without_javascript_errors(demo, live_server, page, sign_in, assert_accessible):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, "gpt")
    for path in ["/", "/districts/", "/contacts/", "/districts/south-east-wales/", "/authorities/S12000036/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("body")).to_have_class("govuk-template__body govuk-frontend-supported")
    page.goto(f"{live_server.url}/activity/?area=issues&period=year")
    expect(page.get_by_role("heading", name="Activity")).to_be_visible()
    assert_accessible(page)
    assert errors == []
