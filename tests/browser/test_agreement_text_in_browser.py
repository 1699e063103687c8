"""The LA Benefits Manager reads the Partnership Agreement in force in a real Chromium: from the contents to PA
3.1.7, what changed from 2008, then records having read it; GPT sees the draft controls on a new version."""

import pytest
from playwright.sync_api import expect

from agreements.models import Acknowledgement, Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_la_manager_reads_the_agreement_in_force_and_records_it(demo, live_server, page, sign_in, assert_accessible):
    current = Agreement.objects.get(version="VERSION 2.0")
    sign_in(page, "la-manager")
    page.goto(f"{live_server.url}{current.get_absolute_url()}")
    page.get_by_role("link", name="Read the agreement's text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(current.title)
    assert_accessible(page)
    page.locator("#contents").get_by_role("link", name="3.1.7 Contingency Arrangements").click()
    expect(page).to_have_url(f"{live_server.url}/agreements/partnership/{current.pk}/text/#section-3-1-7")

    page.get_by_role("link", name="What changed from FINAL VERSION 1.0").click()
    expect(page.locator("#difference-count")).to_have_text("3 sections changed.")
    expect(page.locator("ins").first).to_contain_text("2026")
    assert_accessible(page)

    page.go_back()
    page.get_by_role("button", name="I have read this version").click()
    expect(page.locator("#acknowledgement")).to_contain_text("You recorded that you have read this version on")
    assert_accessible(page)
    assert Acknowledgement.objects.filter(agreement=current, user__username="la-manager").exists()
