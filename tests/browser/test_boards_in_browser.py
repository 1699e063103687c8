"""A board's year in a real Chromium: the ERM sets it up, holds a meeting with an action and submits the return;
GPT finds the board in the national index and downloads the return's PDF."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from boards.models import Board, IndexReturn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Manchester Fraud Joint Board"


def fill_date(page, day, scope=None):
    where = scope or page
    where.get_by_label("Day", exact=True).fill(str(day.day))
    where.get_by_label("Month", exact=True).fill(str(day.month))
    where.get_by_label("Year", exact=True).fill(str(day.year))


def test_erm_runs_a_board_and_gpt_finds_it_in_the_national_index(demo, live_server, page, sign_in, assert_accessible):
    today = timezone.localdate()
    sign_in(page, "erm")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Boards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint Boards")
    assert_accessible(page)

    page.get_by_role("link", name="Set up a Joint Board").click()
    assert_accessible(page)
    page.get_by_label("Board title").fill(TITLE)
    page.get_by_role("group", name="Districts").get_by_label("Greater Manchester Central").check()
    page.get_by_role("group", name="Local Authorities").get_by_label("Manchester", exact=True).check()
    page.get_by_label("Fraud", exact=True).check()
    # A wrong number of meetings is explained and everything typed is kept.
    page.get_by_label("Meetings a year agreed with LA partners").fill("1")
    fill_date(page, today)
    page.get_by_role("button", name="Save board").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least twice")
    expect(page.get_by_label("Board title")).to_have_value(TITLE)
    assert_accessible(page)

    page.get_by_label("Jobcentre Plus co-chair", exact=True).select_option(
        label="David Okafor, District Manager, Manchester district office"
    )
    page.get_by_label("Local Authority co-chair", exact=True).select_option(
        label="Helen Brooks, Housing Benefit Manager, Manchester"
    )
    page.get_by_label("District External Relations Manager", exact=True).select_option(
        label="Priya Shah, District External Relations Manager, Manchester district office"
    )
    for label, option in (
        ("JCP secretariat", "Benefit Processing Manager"),
        ("LA secretariat", "Nominated contact, Manchester"),
    ):
        select = page.get_by_label(label, exact=True)
        select.select_option(value=select.locator("option", has_text=option).first.get_attribute("value"))
    page.get_by_label("Meetings a year agreed with LA partners").fill("3")
    page.get_by_role("button", name="Save board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("alert")).to_contain_text("has been set up")
    assert_accessible(page)

    page.get_by_role("button", name="Make the board active").click()
    expect(page.get_by_role("alert")).to_contain_text("is now active")

    page.get_by_role("link", name="Schedule a meeting").click()
    fill_date(page, today)
    page.get_by_label("Where (optional)").fill("Manchester district office")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting of")
    expect(page.get_by_text("Performance management information", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record as held").click()
    attended = page.get_by_role("group", name="Who attended")
    attended.get_by_label("David Okafor", exact=False).check()
    attended.get_by_label("Priya Shah", exact=False).check()
    page.get_by_role("group", name="Who sent apologies").get_by_label("Helen Brooks", exact=False).check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.get_by_role("alert")).to_contain_text("recorded as held")
    assert_accessible(page)

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What is to be done").fill("Send the fraud referral figures to the LA")
    page.get_by_label("Owner", exact=True).select_option(label="Helen Brooks, Housing Benefit Manager, Manchester")
    fill_date(page, today.replace(day=28) if today.day < 28 else today)
    assert_accessible(page)
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("cell", name="Send the fraud referral figures to the LA")).to_be_visible()

    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Complete the index return").click()
    expect(page.get_by_label("Board title")).to_have_value(TITLE)
    expect(page.get_by_label("4. District ERM name")).to_have_value("Priya Shah")
    assert_accessible(page)
    page.get_by_label("8. Any other comments (optional)").fill("Separate admin board to follow.")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_role("alert")).to_contain_text("has been submitted")
    assert_accessible(page)
    board = Board.objects.get(title=TITLE)
    assert IndexReturn.objects.get(board=board).comments == "Separate admin board to follow."
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "gpt")
    page.goto(f"{live_server.url}/boards/index/")
    expect(page.get_by_role("heading", level=1)).to_have_text("National index of Joint Boards")
    assert_accessible(page)
    page.get_by_text("Filter the index").click()
    page.get_by_label("Scope").select_option(label="Fraud")
    page.get_by_label("Region").select_option(label="North West")
    page.get_by_role("button", name="Apply filters").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("David Okafor")
    expect(row).to_contain_text("Submitted")
    expect(page.get_by_role("link", name="West Yorkshire Fraud Joint Board")).to_have_count(0)
    assert_accessible(page)

    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="See the index returns").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").first.click()
    text = "\n".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    for expected in (TITLE, "Priya Shah", "Helen Brooks", "Separate admin board to follow.", "INDEX OF JOBCENTRE PLUS"):
        assert expected in text
