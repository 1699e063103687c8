"""Single sign-on in a real headless Chromium through a real OpenID Connect provider on loopback (oidc-provider):
an invited person takes their role with their organisation account and later signs in with it; an identity
nobody invited is refused with a GOV.UK page, and nothing is created."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from liaison import services
from liaison.models import District, Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SSO_BUTTON = "Sign in with your organisation account"


def _invitation_link(smtp_server, address: str) -> str:
    (message,) = smtp_server.to(address)
    return re.search(r"(https?://\S+/invitations/\S+/)", smtp_server.body(message)).group(1)


def test_an_invited_person_joins_and_signs_in_with_their_organisation_account(
    demo, live_server, page, smtp_server, oidc_provider, assert_accessible, settings
):
    settings.SITE_URL = live_server.url
    gpt = get_user_model().objects.get(username="gpt")
    district = District.objects.get(code="greater-manchester-central")
    services.invitation_create(
        actor=gpt,
        email="ola.bello@dwp.example.gov.uk",
        name="Ola Bello",
        role=Role.MONITORING_OFFICER,
        district=district,
    )

    # The invitation offers the organisation account as well as a password.
    page.goto(_invitation_link(smtp_server, "ola.bello@dwp.example.gov.uk"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Liaison")
    expect(page.get_by_role("button", name=SSO_BUTTON)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(f"{oidc_provider.url}/**")
    oidc_provider.sign_in(page, "ola.bello@dwp.example.gov.uk")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liaison: your work")
    assert_accessible(page)
    user = get_user_model().objects.get(email__iexact="ola.bello@dwp.example.gov.uk")
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.MONITORING_OFFICER, district=district).exists()

    # Signed out, they come back through the sign-in page's button: the same account, no second one.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    expect(page.get_by_role("button", name=SSO_BUTTON)).to_be_visible()
    assert_accessible(page)
    # The organisation still knows them in this browser, so it sends them straight back.
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liaison: your work")
    assert get_user_model().objects.filter(email__iexact="ola.bello@dwp.example.gov.uk").count() == 1


def test_someone_with_an_account_signs_in_with_sso_by_their_verified_email(
    demo, live_server, page, oidc_provider, assert_accessible
):
    erm = get_user_model().objects.get(username="erm")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(f"{oidc_provider.url}/**")
    oidc_provider.sign_in(page, erm.email)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liaison: your work")
    assert_accessible(page)


def test_sso_never_creates_access_for_someone_not_invited(demo, live_server, page, oidc_provider, assert_accessible):
    users = get_user_model().objects.count()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(f"{oidc_provider.url}/**")
    oidc_provider.sign_in(page, "not.invited@dwp.example.gov.uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to Liaison")
    expect(page.locator("main")).to_contain_text("only get access to Liaison by invitation")
    expect(page).to_have_title(re.compile("You do not have access to Liaison"))
    assert_accessible(page)
    assert get_user_model().objects.count() == users
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
