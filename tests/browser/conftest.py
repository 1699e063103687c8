import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

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
