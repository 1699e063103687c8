"""A second factor (TOTP authenticator app) for GPT, administrators and signers: asked at the next sign-in and
required before anything else; codes are computed from the enrolled secret, never patched."""

import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator

from liaison.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def require_mfa(settings):
    settings.LIAISON_REQUIRE_MFA = True


def _sign_in(client, username, password="liaison"):
    return client.post(LOGIN, {"login": username, "password": password})


def enrol(client, password="liaison") -> str:
    """Set up the authenticator app through the pages, as a person would; returns the secret."""
    response = client.get(ACTIVATE)
    if response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before a change to how the account signs in.
        response = client.post(response["Location"], {"password": password}, follow=True)
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, drawn on the server
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)
    response = client.post(ACTIVATE, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content.decode()
    return secret


def next_code(secret: str) -> str:
    """The next window's code: the current one may have been used already (each code works once)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.mark.parametrize("who", ["district-manager", "la-manager", "gpt", "admin"])
def test_those_who_must_use_mfa_are_sent_to_set_it_up_and_can_do_nothing_else(client, world, require_mfa, who):
    assert _sign_in(client, world.users[who].username).status_code == 302
    for address in ("/", "/contacts/", "/issues/", "/agreements/"):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, address
    enrol(client)
    assert client.get("/").status_code == 200
    assert Authenticator.objects.filter(user=world.users[who], type=Authenticator.Type.TOTP).exists()
    # Recovery codes come with it, to download.
    assert client.get("/accounts/2fa/recovery-codes/download/").status_code == 200


@pytest.mark.parametrize("who", ["erm", "monitor", "la-fraud", "regional-erm", "odn"])
def test_other_roles_are_not_forced(client, world, require_mfa, who):
    _sign_in(client, world.users[who].username)
    assert client.get("/").status_code == 200


def test_after_setting_it_up_sign_in_asks_for_a_current_code(client, world, require_mfa):
    _sign_in(client, "w-dm")
    secret = enrol(client)
    client.post("/accounts/logout/")
    response = _sign_in(client, "w-dm")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.post("/accounts/2fa/authenticate/", {"code": "000000"}).content.decode()
    assert "<title>Error:" in page and "govuk-error-summary" in page
    response = client.post("/accounts/2fa/authenticate/", {"code": next_code(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_account_page_shows_mfa_and_the_people_page_too(client, world, require_mfa):
    _sign_in(client, "w-dm")
    enrol(client)
    assert "Authenticator app" in client.get("/accounts/").content.decode()
    client.force_login(world.users["erm"])
    page = client.get(f"/people/{world.users['district-manager'].pk}/").content.decode()
    assert ">On<" in page


def test_demo_users_are_not_forced_unless_demo_mfa(client, db, require_mfa, settings, reference_data):
    from liaison.models import District, Region

    region = Region.objects.create(code="r", name="R", nation="ENG")
    district = District.objects.create(code="d", name="D", region=region)
    user_with_role(
        Role.DISTRICT_MANAGER,
        district=district,
        username="district-manager",
        email="district-manager@liaison.example.gov.uk",
    )
    _sign_in(client, "district-manager")
    assert client.get("/").status_code == 200
    settings.DEMO_MFA = True
    assert client.get("/")["Location"] == ACTIVATE
