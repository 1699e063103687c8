"""The ERM records an information request procedure in a real Chromium, adds a request, records it as agreed at a
held meeting; the LA Benefits Manager then finds how to ask on their LA's page."""

import pytest
from playwright.sync_api import expect

from agreements.models import LocalAgreement
from boards.models import Board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_erm_agrees_a_request_procedure_and_the_la_manager_finds_it(
    demo, live_server, page, sign_in, assert_accessible, browser
):
    board = Board.objects.get(title="Greater Manchester Joint Board")
    sign_in(page, "erm")
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Propose a local agreement").click()
    assert_accessible(page)
    page.get_by_label("Information request procedure").check()
    page.get_by_label("Title").fill("Requests from Salford")
    page.get_by_label("What is agreed").fill("Salford asks the BDC as below.")
    page.get_by_label("Salford").check()
    page.get_by_role("button", name="Propose the agreement").click()
    expect(page.locator("#status")).to_contain_text("Proposed")
    assert_accessible(page)

    page.get_by_role("link", name="Add a kind of request").click()
    page.get_by_role("radio", name="Customer statement").check()
    page.get_by_role("radio", name="Secure email").check()
    page.get_by_label("Secure email address, telephone number or form").fill("hb@salford.gcsx.gov.uk")
    page.get_by_label("Answered within (working days)").fill("2")
    page.get_by_role("button", name="Add the request").click()
    expect(page.locator("#procedures")).to_contain_text("hb@salford.gcsx.gov.uk")

    page.locator("#agree").locator("xpath=following-sibling::form[1]").get_by_role("radio").first.check()
    page.get_by_role("button", name="Record as agreed").click()
    expect(page.locator("#status")).to_contain_text("Agreed at the")
    assert_accessible(page)
    assert LocalAgreement.objects.get(title="Requests from Salford").status == "agreed"

    la_page = browser.new_context().new_page()
    sign_in(la_page, "la-manager-salford")
    la_page.goto(f"{live_server.url}/authorities/E08000006/")
    expect(la_page.locator("#request-procedures")).to_contain_text("hb@salford.gcsx.gov.uk")
    expect(la_page.locator("#request-procedures")).to_contain_text("2 working days")
    assert_accessible(la_page)
