"""Signing in, out and the lock-out after repeated failures (django-allauth, GOV.UK pages)."""

import pytest
from django.urls import reverse

from tests.factories import Role, user_with_role

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def erm(world):
    return world.users["erm"]


def test_the_sign_in_page_is_a_govuk_page_without_a_sign_up_link(client):
    page = client.get(LOGIN).content.decode()
    assert "govuk-template" in page and "Sign in to Liaison" in page
    assert 'name="login"' in page and 'name="password"' in page
    assert "autofocus" not in page
    assert "/accounts/signup/" not in page
    assert "I have forgotten my password" in page


def test_a_user_signs_in_with_username_and_lands_on_home(client, erm):
    response = client.post(LOGIN, {"login": "w-erm", "password": "liaison"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_user_signs_in_with_email_address(client, erm):
    response = client.post(LOGIN, {"login": erm.email.upper(), "password": "liaison"})
    assert response.status_code == 302


def test_a_wrong_password_shows_an_error_summary_and_error_title(client, erm):
    response = client.post(LOGIN, {"login": "w-erm", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page
    assert "govuk-error-summary" in page and "There is a problem" in page


def test_empty_fields_are_named_in_the_error_summary(client, db):
    page = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert "Enter your username or email address" in page and "Enter your password" in page


def test_signing_in_is_recorded_for_the_account_page(client, erm):
    client.post(LOGIN, {"login": "w-erm", "password": "liaison"})
    page = client.get(reverse("account")).content.decode()
    assert "Recent sign-ins" in page and "127.0.0.1" in page


def test_log_out_is_a_post_button_and_get_does_not_sign_out(client, erm):
    client.force_login(erm)
    home = client.get("/").content.decode()
    assert f'action="{reverse("account_logout")}"' in home and 'method="post"' in home
    client.get(reverse("account_logout"))
    assert client.get("/").status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(LOGIN)


def test_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")
    page = response.content.decode()
    assert "govuk-template" in page
    response = client.post(
        "/accounts/signup/",
        {"username": "intruder", "email": "i@example.com", "password1": "Xy7!long-pass", "password2": "Xy7!long-pass"},
    )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="intruder").exists()


def test_fifty_wrong_passwords_lock_the_account_for_the_period(client, erm):
    for _ in range(50):
        response = client.post(LOGIN, {"login": "w-erm", "password": "wrong"})
        assert response.status_code == 200
    # Now even the right password is refused, with a clear message, and nobody is signed in.
    response = client.post(LOGIN, {"login": "w-erm", "password": "liaison"})
    page = response.content.decode()
    assert response.status_code in (200, 429)
    assert "Too many" in page or "too many" in page
    assert client.get("/").status_code == 302
    # Another account is not locked.
    user_with_role(Role.ERM, district=erm.role_assignments.get().district, username="other-erm")
    assert client.post(LOGIN, {"login": "other-erm", "password": "liaison"}).status_code == 302


def test_the_default_limits_come_from_settings(settings):
    assert settings.LOGIN_FAILURES_PER_ACCOUNT == 50
    assert f"/{settings.LOGIN_LOCKOUT_MINUTES}m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_idle_for_longer_than_the_timeout_is_signed_out(client, erm, settings):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(erm)
    assert client.get("/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert SessionStore(session_key=key).load() == {}
    assert client.get("/")["Location"].startswith(LOGIN)


ALLAUTH_PAGES_SIGNED_IN = [
    "/accounts/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/3rdparty/",
    "/accounts/reauthenticate/",
]
ALLAUTH_PAGES_SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-bad/",
    "/accounts/signup/",
    "/accounts/3rdparty/login/cancelled/",
    "/accounts/3rdparty/login/error/",
]


@pytest.mark.parametrize("address", ALLAUTH_PAGES_SIGNED_IN)
def test_every_account_page_is_a_govuk_page(client, erm, address):
    client.force_login(erm)
    response = client.get(address, follow=True)
    page = response.content.decode()
    assert response.status_code == 200, address
    assert "govuk-template" in page and "govuk-heading-l" in page


@pytest.mark.parametrize("address", ALLAUTH_PAGES_SIGNED_OUT)
def test_every_signed_out_account_page_is_a_govuk_page(client, db, address):
    response = client.get(address, follow=True)
    page = response.content.decode()
    assert response.status_code in (200, 401), address
    assert "govuk-template" in page and "govuk-heading-l" in page
