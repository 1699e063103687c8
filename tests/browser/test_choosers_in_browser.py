"""Long Local Authority and district choosers are GOV.UK's accessible autocomplete with JavaScript, and plain selects
without it; either way the form submits the same value."""

import pytest
from playwright.sync_api import expect

from liaison.models import District, LocalAuthority
from tests.factories import LocalAuthorityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def many_authorities(demo):
    """A national user's chooser long enough to need typing into (the demo alone has a handful of LAs)."""
    district = District.objects.get(code="greater-manchester-central")
    for n in range(20):
        LocalAuthorityFactory(name=f"Testborough {n:02d}", districts=[district])
    return LocalAuthority.objects.get(name="Manchester")


def test_the_authority_chooser_is_typed_into_and_filters_the_issues(
    many_authorities, live_server, page, sign_in, assert_accessible
):
    sign_in(page, "gpt")
    page.goto(f"{live_server.url}/issues/")
    chooser = page.get_by_role("combobox", name="Local Authority")
    expect(chooser).to_be_visible()
    expect(page.locator('select[name="local_authority"]')).to_be_hidden()
    assert_accessible(page)

    chooser.fill("Manch")
    expect(page.get_by_role("option", name="Manchester", exact=True)).to_be_visible()
    assert_accessible(page)
    chooser.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(f"**local_authority={many_authorities.gss_code}**")
    expect(page.get_by_role("combobox", name="Local Authority")).to_have_value("Manchester")
    assert_accessible(page)

    # Clearing the text clears the filter.
    page.get_by_role("combobox", name="Local Authority").fill("")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(lambda url: "local_authority=" in url and many_authorities.gss_code not in url)
    expect(page.get_by_role("combobox", name="Local Authority")).to_have_value("")


def test_without_javascript_the_chooser_is_the_select_it_enhances(many_authorities, live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("gpt")
    page.get_by_label("Password").fill("liaison")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/issues/")
    select = page.locator('select[name="local_authority"]')
    expect(select).to_be_visible()
    select.select_option(label="Manchester")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(f"**local_authority={many_authorities.gss_code}**")
    expect(page.locator('select[name="local_authority"]')).to_have_value(many_authorities.gss_code)
    context.close()
