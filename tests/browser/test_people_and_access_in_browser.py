"""People and access in a real headless Chromium, every email read back from the loopback SMTP server: GPT invites an
ERM; the ERM joins and invites an LA Benefits Manager of their district, who joins, must set up an authenticator app
before anything else (codes computed from the secret on the page with allauth's own TOTP functions) and signs a
Statement of Intent with password and code; a forgotten password is reset by email; a leaver's access ends and
their open work is listed for hand-over. (Fifty wrong passwords locking an account: tests/liaison/test_sign_in.py.)"""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from agreements.models import DocumentKind, SigningDocument
from liaison.models import Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ERM_EMAIL = "rosa.martin@dwp.example.gov.uk"
LA_EMAIL = "omar.khan@manchester.example.gov.uk"


def _link(smtp_server, address: str, pattern: str) -> str:
    messages = smtp_server.to(address)
    assert messages, f"no email to {address}"
    return re.search(pattern, smtp_server.body(messages[-1])).group(1)


def _code(secret: str, used: set[int]) -> str:
    """A code the app would accept now, as allauth computes it, from a time step not used before (each code works
    once, and allauth accepts the steps either side of the current one). The newest step first: the oldest one
    falls out of the window at the next step's turn, which a slow browser round trip can reach."""
    counter = next(c for c in sorted(yield_hotp_counters_from_time(), reverse=True) if c not in used)
    used.add(counter)
    return format_hotp_value(hotp_value(secret, counter))


def _invite(page, live_server, assert_accessible, *, name, email, role, where):
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People with access")
    assert_accessible(page)
    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone to Liaison")
    assert_accessible(page)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role", exact=True).select_option(label=role)
    page.get_by_label("Where").select_option(label=where)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("main")).to_contain_text(email)
    assert_accessible(page)


def _join(page, smtp_server, assert_accessible, email, password):
    page.context.clear_cookies()
    page.goto(_link(smtp_server, email, r"(https?://\S+/invitations/\S+/)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Liaison")
    assert_accessible(page)
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Confirm the password").fill(password)
    page.get_by_role("button", name="Accept and create your account").click()


def test_invitations_mfa_signing_reset_and_a_leaver(
    demo, live_server, page, sign_in, smtp_server, assert_accessible, settings
):
    settings.SITE_URL = live_server.url
    # The test settings spare most tests the second factor; this journey is the real thing.
    settings.LIAISON_REQUIRE_MFA = True
    users = get_user_model().objects

    # GPT invites an ERM for Greater Manchester Central.
    sign_in(page, "gpt")
    _invite(
        page,
        live_server,
        assert_accessible,
        name="Rosa Martin",
        email=ERM_EMAIL,
        role="District External Relations Manager",
        where="Greater Manchester Central",
    )

    # The ERM follows the emailed link, chooses a password and lands on their home page (no second factor needed).
    _join(page, smtp_server, assert_accessible, ERM_EMAIL, "rosa's own pass 2026")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("District External Relations Manager")
    assert_accessible(page)
    rosa = users.get(email=ERM_EMAIL)
    assert RoleAssignment.objects.filter(user=rosa, role=Role.ERM, district__code="greater-manchester-central").exists()

    # The ERM invites an LA Benefits Manager for Manchester, an authority of their district.
    _invite(
        page,
        live_server,
        assert_accessible,
        name="Omar Khan",
        email=LA_EMAIL,
        role="LA Benefits Manager",
        where="Manchester",
    )

    # The LA Benefits Manager joins; as a signer they must set up an authenticator app before anything else.
    _join(page, smtp_server, assert_accessible, LA_EMAIL, "omar's own pass 2026")
    page.wait_for_url(re.compile(r"/accounts/(2fa/totp/activate|reauthenticate)/"))
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        page.locator('input[name="password"]').fill("omar's own pass 2026")
        page.locator('main button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.get_by_role("img")).to_have_count(1)  # the QR code, drawn on the server
    assert_accessible(page)
    page.goto(f"{live_server.url}/agreements/")
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret, used = page.locator("#authenticator_secret").input_value(), set()
    page.locator('input[name="code"]').fill(_code(secret, used))
    page.locator('main button[type="submit"]').click()
    page.wait_for_url(lambda url: "/2fa/totp/activate/" not in url)
    omar = users.get(email=LA_EMAIL)
    assert Authenticator.objects.filter(user=omar, type=Authenticator.Type.TOTP).exists()

    # They sign Manchester's Statement of Intent that the District Manager has already signed: password and code.
    document = SigningDocument.objects.get(
        kind=DocumentKind.STATEMENT_OF_INTENT, signing_authority__gss_code="E08000003", period_start__year=2009
    )
    signed_before = document.signatures.count()
    page.goto(f"{live_server.url}/agreements/{document.pk}/")
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill("omar's own pass 2026")
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_label("Printed name").fill("OMAR KHAN")
    page.get_by_label("I have read the text above").check()
    page.get_by_role("button", name="Sign this document").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert document.signatures.count() == signed_before
    page.get_by_label("Your password").fill("omar's own pass 2026")
    page.get_by_label("Code from your authenticator app").fill(_code(secret, used))
    page.get_by_label("I have read the text above").check()
    page.get_by_role("button", name="Sign this document").click()
    expect(page.locator("#signature-la")).to_contain_text("OMAR KHAN")
    expect(page.locator("#document-status")).to_have_text("Signed by both and sealed")
    assert_accessible(page)

    # Next time, signing in asks for a current code from the app.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username or email address").fill(LA_EMAIL)
    page.get_by_label("Password").fill("omar's own pass 2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page)
    page.locator('input[name="code"]').fill(_code(secret, used))
    page.get_by_role("button", name="Sign in", exact=False).first.click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liaison: your work")

    # The ERM has forgotten their password and resets it by email.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="I have forgotten my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.locator('input[name="email"]').fill(ERM_EMAIL)
    page.get_by_role("button", name="Send the link").click()
    assert_accessible(page)
    page.goto(_link(smtp_server, ERM_EMAIL, r"(https?://\S+/accounts/password/reset/key/\S+/)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.locator('input[name="password1"]').fill("a brand new pass 77")
    page.locator('input[name="password2"]').fill("a brand new pass 77")
    page.get_by_role("button", name="Save the new password").click()
    assert_accessible(page)
    sign_in(page, ERM_EMAIL, "a brand new pass 77")

    # The District Manager leaves: the ERM ends their access, and what they still held is listed for hand-over.
    leaver = users.get(username="district-manager")
    page.goto(f"{live_server.url}/people/{leaver.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("David Okafor")
    assert_accessible(page)
    page.get_by_role("button", name="End David Okafor's access").click()
    expect(page.locator("main")).to_contain_text("can no longer sign in")
    handover = page.locator("main")
    expect(page.get_by_role("heading", name="Open work to hand over")).to_be_visible()
    expect(handover.locator(".govuk-list--bullet li").first).to_be_visible()
    assert_accessible(page)
    leaver.refresh_from_db()
    assert not leaver.is_active and not leaver.role_assignments.exists()

    # They can no longer sign in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or email address").fill("district-manager")
    page.get_by_label("Password").fill("liaison")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Liaison: your work")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
