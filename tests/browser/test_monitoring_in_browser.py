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
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Monitoring").click()
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


def _fill_date(page, name, day):
    page.locator(f"input[name={name}_0]").fill(str(day.day))
    page.locator(f"input[name={name}_1]").fill(str(day.month))
    page.locator(f"input[name={name}_2]").fill(str(day.year))


def test_local_standard_and_closing_an_open_case_then_the_national_view(
    demo, live_server, page, browser, sign_in, assert_accessible
):
    sign_in(page, "monitor")
    page.goto(f"{live_server.url}/monitoring/")
    page.get_by_role("link", name="Greater Manchester Joint Board").click()

    # A local standard: refused without a threshold, then added with one.
    page.get_by_role("link", name="Add a local standard").click()
    assert_accessible(page)
    page.get_by_label("Code").fill("GM-9")
    page.get_by_label("What the standard measures").fill("Claims packs checked within the agreed time")
    page.get_by_label("Timeliness (working days)").check()
    page.get_by_role("button", name="Add the standard").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least one threshold")
    assert_accessible(page)
    page.locator("input[name=percent_1]").fill("95")
    page.locator("input[name=days_1]").fill("4")
    page.get_by_role("button", name="Add the standard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("GM-9"))
    expect(page.get_by_text("95% within 4 working days").first).to_be_visible()
    assert_accessible(page)

    # A case still open is added by the form, then its end date recorded (a date before its start is refused).
    page.goto(f"{live_server.url}/monitoring/")
    page.get_by_role("link", name="Greater Manchester Joint Board").click()
    page.get_by_role("link", name=re.compile("cases from")).first.click()
    start = timezone.localdate() - datetime.timedelta(days=14)
    page.get_by_label("Case reference").fill("WEB-OPEN-1")
    _fill_date(page, "started_on", start)
    page.get_by_role("button", name="Add the case").click()
    expect(page.get_by_text("Case WEB-OPEN-1 added")).to_be_visible()
    page.get_by_role("link", name="Record the end date of case WEB-OPEN-1").click()
    assert_accessible(page)
    _fill_date(page, "ended_on", start - datetime.timedelta(days=1))
    page.get_by_role("button", name="Record the end date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("on or after the start date")
    assert_accessible(page)
    assert Sample.objects.get(case_reference="WEB-OPEN-1").ended_on is None
    _fill_date(page, "ended_on", start + datetime.timedelta(days=1))
    page.get_by_role("button", name="Record the end date").click()
    expect(page.get_by_text(re.compile("Case WEB-OPEN-1 ended after"))).to_be_visible()
    assert Sample.objects.get(case_reference="WEB-OPEN-1").working_days is not None

    # GPT's national view, by region and board.
    gpt = browser.new_context(base_url=live_server.url).new_page()
    sign_in(gpt, "gpt")
    gpt.goto(f"{live_server.url}/monitoring/national/")
    expect(gpt.get_by_role("heading", level=1)).to_have_text("Compliance by region and board")
    expect(gpt.get_by_text("All regions").first).to_be_visible()
    assert_accessible(gpt)
    gpt.context.close()


def test_a_board_of_a_region_managed_district_names_the_regional_erm_or_a_monitoring_officer_of_the_region(
    demo, live_server, page, sign_in, assert_accessible
):
    from liaison.models import District, LocalAuthority
    from monitoring.models import Area
    from tests.boards.factories import BoardFactory
    from tests.factories import user_with_role

    north = District.objects.get(code="north-and-mid-wales")
    assert north.managed_by_region
    board = BoardFactory(
        district=north, authority=LocalAuthority.objects.get(gss_code="W06000003"), title="North Wales Joint Board"
    )
    officer = user_with_role(
        "monitoring-officer",
        district=District.objects.get(code="south-east-wales"),
        username="cardiff-monitor",
        first_name="Owen",
        last_name="Morgan",
    )

    sign_in(page, "regional-erm-wales")
    page.goto(f"{live_server.url}/boards/{board.pk}/monitoring/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/boards/{board.pk}/monitoring/areas/new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Choose an area")
    monitor = page.get_by_label("Who monitors it")
    # Not an empty list: the guidance says who may monitor, and the region's people are offered.
    expect(page.locator("#id_monitor_hint")).to_contain_text("the Regional ERM and the region's monitoring officers")
    offered = monitor.locator("option").all_inner_texts()
    assert any("Siân Pritchard" in text for text in offered) and any("Owen Morgan" in text for text in offered)
    assert_accessible(page)

    page.get_by_label("Standard", exact=False).first.select_option(index=1)
    page.get_by_label("Local risk it is aligned with").fill("Claims from the rural offices arrive late")
    monitor.select_option(label=next(text for text in offered if "Owen Morgan" in text))
    page.get_by_role("button", name="Add area").click()
    expect(page.get_by_role("alert")).to_contain_text("is now an area for this period")
    assert_accessible(page)
    assert Area.objects.get(plan__board=board).monitor == officer
