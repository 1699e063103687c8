"""Single sign-on is on only with every OIDC_* setting; then the sign-in page offers it as a form that posts to the
provider's login address, and the pages' form-action lets that form's redirect go to the provider."""

import copy

import pytest
from csp.constants import SELF

from liaison.settings.base import sso_settings

pytestmark = pytest.mark.django_db

BUTTON = "Sign in with your organisation account"


def _apply(settings, sso):
    settings.OIDC_ENABLED = sso["OIDC_ENABLED"]
    settings.SOCIALACCOUNT_PROVIDERS = sso["SOCIALACCOUNT_PROVIDERS"]
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = sso["FORM_ACTION"]
    settings.CONTENT_SECURITY_POLICY = policy


@pytest.mark.parametrize(
    "missing",
    [("", "id", "secret"), ("https://login.example.gov.uk/tenant/v2.0", "", "secret"), ("https://x", "id", "")],
)
def test_without_every_setting_there_is_no_sso(client, settings, missing):
    sso = sso_settings(*missing, "your organisation account")
    assert not sso["OIDC_ENABLED"] and sso["FORM_ACTION"] == [SELF]
    assert sso["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"] == []
    _apply(settings, sso)
    page = client.get("/accounts/login/").content.decode()
    assert BUTTON not in page and "/accounts/oidc/" not in page


def test_with_the_settings_the_sign_in_page_offers_sso(client, settings):
    sso = sso_settings("https://login.example.gov.uk/tenant/v2.0", "liaison", "s3cret", "your organisation account")
    assert sso["OIDC_ENABLED"]
    assert sso["FORM_ACTION"] == [SELF, "https://login.example.gov.uk"]
    (app,) = sso["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    assert app["settings"] == {"server_url": "https://login.example.gov.uk/tenant/v2.0"}
    _apply(settings, sso)
    response = client.get("/accounts/login/")
    page = response.content.decode()
    assert BUTTON in page
    assert 'action="/accounts/oidc/organisation/login/?process=login"' in page
    assert "form-action 'self' https://login.example.gov.uk" in response["Content-Security-Policy"]


def test_an_sso_refusal_is_a_govuk_page(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "govuk-template" in page and "You do not have access to Liaison" in page
