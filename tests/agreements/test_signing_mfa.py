"""Signing asks a signer who uses an authenticator app for a current code as well as the password."""

import datetime
import time

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError

from agreements.models import Side, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def la_secret(signing):
    secret = generate_totp_secret()
    TOTP.activate(signing.users["la-manager"], secret)
    return secret


def test_a_signer_with_mfa_needs_a_current_code(signing, la_secret):
    document = signing.prepare()
    with pytest.raises(ValidationError) as refused:
        signing.sign(document, "la-manager", Side.LA)
    assert "code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        signing.sign(
            document, "la-manager", Side.LA, code="123456" if pyotp.TOTP(la_secret).now() != "123456" else "654321"
        )
    signature = signing.sign(document, "la-manager", Side.LA, code=pyotp.TOTP(la_secret).now())
    assert isinstance(signature, Signature)


def test_a_code_works_once(signing, la_secret):
    first = signing.prepare()
    second = signing.prepare(period_start=datetime.date(2009, 4, 1), period_end=datetime.date(2010, 3, 31))
    code = pyotp.TOTP(la_secret).now()
    signing.sign(first, "la-manager", Side.LA, code=code)
    with pytest.raises(ValidationError):
        signing.sign(second, "la-manager", Side.LA, code=code)
    signing.sign(second, "la-manager", Side.LA, code=pyotp.TOTP(la_secret).at(time.time() + 30))


def test_a_signer_without_mfa_signs_with_the_password_alone(signing):
    document = signing.prepare()
    assert isinstance(signing.sign(document, "district-manager", Side.JCP), Signature)


def test_the_sign_form_asks_for_the_code_and_shows_a_wrong_one_as_an_error(client, signing, la_secret):
    document = signing.prepare()
    client.force_login(signing.users["la-manager"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Code from your authenticator app" in page and 'autocomplete="one-time-code"' in page
    response = client.post(document.get_absolute_url(), signing.payload(document, code=""))
    page = response.content.decode()
    assert "<title>Error:" in page and "Enter the code from your authenticator app" in page
    assert not document.signatures.exists()
    response = client.post(document.get_absolute_url(), signing.payload(document, code=pyotp.TOTP(la_secret).now()))
    assert response.status_code == 302 and document.signatures.count() == 1
