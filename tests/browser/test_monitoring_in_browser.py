"""The monitoring officer uploads samples in a real Chromium: a bad file is refused whole, a good one shows results."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from monitoring.models import Sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_monitor_uploads_samples_and_sees_results(demo, live_server, page, sign_in, assert_accessible):
    sign_in(page, "monitor")
    page.get_by_role("link", name="Monitoring").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring the Partnership Agreement")
    assert_accessible(page)
    page.get_by_role("link", name="Greater Manchester Joint Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("cases from")).first.click()
    assert_accessible(page)
    exercise_heading = page.get_by_role("heading", level=1).inner_text()
    before = Sample.objects.count()
    day = timezone.localdate() - datetime.timedelta(days=20)
    bad = f"case_reference,start_date,end_date\nAB123456C,{day},\nWEB-2,{day},{day - datetime.timedelta(days=3)}\n"
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Upload the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file was not saved")
    expect(page.locator("#upload-errors")).to_contain_text("National Insurance")
    expect(page.locator("#upload-errors")).to_contain_text("end_date")
    assert_accessible(page)
    assert Sample.objects.count() == before

    good = f"case_reference,start_date,end_date\nWEB-1,{day},{day + datetime.timedelta(days=1)}\nWEB-2,{day},\n"
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Upload the file").click()
    expect(page.get_by_text("2 cases imported")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(exercise_heading)
    expect(page.get_by_role("row", name=re.compile("WEB-1"))).to_be_visible()
    expect(page.get_by_role("table", name="Results by target")).to_contain_text("within")
    assert Sample.objects.count() == before + 2
