"""The audit's classes of defect, checked in a real Chromium so they cannot come back unnoticed: no page scrolls
sideways at 320 pixels (WCAG 1.4.10), and every error-summary link of a form with radios, checkboxes and a date
puts focus on the field's first input."""

import pytest
from playwright.sync_api import expect

from boards.models import Board
from escalation.models import Issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_widest_pages_never_scroll_sideways_at_320_pixels(demo, live_server, browser, assert_accessible):
    board = Board.objects.get(title="Greater Manchester Joint Board")
    issue = Issue.objects.order_by("pk").first()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for username, paths in {
        "gpt": ["/issues/", "/boards/index/", "/issues/national/", "/monitoring/national/", "/contacts/"],
        "erm": [board.get_absolute_url(), f"/boards/{board.pk}/monitoring/", issue.get_absolute_url(), "/"],
    }.items():
        context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("liaison")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} is {width} pixels wide at 320"
            # A table too wide for the screen scrolls in a region a keyboard can reach.
            for region in page.locator(".liaison-table-scroll").all():
                if region.evaluate("r => r.scrollWidth > r.clientWidth"):
                    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
        assert_accessible(page)
    context.close()


def _follow_every_link(page):
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    landed = []
    for n in range(links.count()):
        target = links.nth(n).get_attribute("href").lstrip("#")
        links.nth(n).click()
        focused = page.evaluate("document.activeElement.id")
        assert focused == target, f"the link to #{target} left focus on #{focused}"
        landed.append((target, page.evaluate("document.activeElement.type")))
    return landed


def test_each_error_summary_link_puts_focus_on_its_field(demo, live_server, page, sign_in, assert_accessible):
    sign_in(page, "erm")
    page.goto(f"{live_server.url}/boards/new/")
    page.get_by_label("Day").first.fill("31")  # a date with its month and year missing
    page.get_by_role("button", name="Save board").click()
    assert_accessible(page)
    landed = _follow_every_link(page)
    assert ("id_districts_1", "checkbox") in landed and ("id_established_on_0", "text") in landed

    page.goto(f"{live_server.url}/issues/new/")
    page.get_by_role("button", name="Log the issue").click()
    assert_accessible(page)
    landed = _follow_every_link(page)
    assert {kind for _, kind in landed} >= {"radio", "text"}
