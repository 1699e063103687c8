import copy
import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from liaison.settings.base import sso_settings

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-scan", verbosity=0)


@pytest.fixture
def assert_accessible():
    """Fail on any WCAG 2.2 AA violation axe-core finds on the page as it is now."""

    def check(page):
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def sign_in(live_server, assert_accessible):
    def do(page, username, password="liaison"):
        page.goto(f"{live_server.url}/accounts/login/")
        assert_accessible(page)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    return do


class OpenIDProvider:
    """The loopback OpenID Connect provider's address and its sign-in page, as a person uses it."""

    def __init__(self, url: str):
        self.url = url

    @staticmethod
    def sign_in(page, email: str) -> None:
        # oidc-provider's development sign-in page: any password, the login name is the identity's email address.
        page.locator('input[name="login"]').fill(email)
        page.locator('input[name="password"]').fill("any password")
        page.locator('button[type="submit"]').click()


@pytest.fixture
def oidc_provider(live_server, settings):
    """A real OpenID Connect provider (the npm package oidc-provider) on a free loopback port, with a client for this
    live server; Liaison's single sign-on settings point at it for the test, as OIDC_* would in the environment."""
    node = shutil.which("node")
    script = Path(__file__).resolve().parent.parent / "support" / "oidc_provider.mjs"
    if node is None or not (Path(settings.BASE_DIR) / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("Single sign-on tests need Node.js and `npm ci` (make install does both)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client_id, client_secret = "liaison-tests", secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": client_id,
        "OIDC_TEST_CLIENT_SECRET": client_secret,
        "OIDC_TEST_REDIRECT_URI": f"{live_server.url}/accounts/oidc/organisation/login/callback/",
    }
    process = subprocess.Popen(
        [node, str(script)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        ready = process.stdout.readline()
        assert ready.startswith("ready "), f"the OpenID provider did not start: {ready!r}"
        url = ready.split()[1]
        sso = sso_settings(url, client_id, client_secret, "your organisation account")
        settings.OIDC_ENABLED = sso["OIDC_ENABLED"]
        settings.OIDC_NAME = sso["OIDC_NAME"]
        settings.SOCIALACCOUNT_PROVIDERS = sso["SOCIALACCOUNT_PROVIDERS"]
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = sso["FORM_ACTION"]
        settings.CONTENT_SECURITY_POLICY = policy
        yield OpenIDProvider(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
