"""Management information in a real Chromium: an ERM reads the board's pack from the board page and its next agenda,
downloads its PDF; GPT narrows the national page by region and downloads exactly what it shows. Every page is
axe-clean and none scrolls sideways at 320 pixels."""

import csv
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from boards.models import Board
from liaison.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} pixels wide at 320"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_erm_reads_the_boards_pack_and_its_pdf(demo, live_server, page, sign_in, assert_accessible):
    board = Board.objects.get(title="Greater Manchester Joint Board")
    sign_in(page, "erm")
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="See the board's performance pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance management information")
    # Each measure's chart is an image with alternative text, followed by its data table.
    chart = page.get_by_role("img", name="Chart: Housing Benefit new claims: average days to process")
    expect(chart.first).to_be_visible()
    table = page.locator("table", has=page.locator("caption", has_text="Housing Benefit new claims"))
    expect(table.first).to_contain_text("National median")
    expect(page.get_by_role("heading", name="Liaison's evidence")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)

    # The period chooser works without JavaScript: a plain GET form.
    page.get_by_label("Period", exact=True).select_option(index=2)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance management information")
    figures = page.locator("table", has=page.locator("caption", has_text="LA input documents")).first
    expected_cells = [c.strip() for c in figures.locator("td").all_inner_texts()]

    link = page.get_by_role("link", name="Download this pack (PDF)")
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())
    assert expected_cells and all(cell in text for cell in expected_cells)

    # The next meeting's agenda carries the pack under its standing item.
    meeting = board.meetings.filter(status="scheduled").order_by("date").first()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("link", name="See the pack with its charts and tables")).to_be_visible()
    assert_accessible(page)


def test_gpt_filters_the_national_picture_and_downloads_what_it_shows(
    demo, live_server, page, sign_in, assert_accessible
):
    sign_in(page, "gpt")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Performance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Management information")
    expect(page.get_by_role("heading", name="Boards that need attention")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)

    region = Region.objects.get(name="North West")
    page.get_by_label("Region", exact=True).select_option(label=region.name)
    page.get_by_role("button", name="Show").click()
    boards = page.locator("table", has=page.locator("caption", has_text="Each board's measures"))
    shown = sorted(t.strip() for t in boards.locator("tbody th").all_inner_texts())
    expected = sorted(
        Board.objects.filter(status="active", districts__region=region).distinct().values_list("title", flat=True)
    )
    assert shown == expected

    response = page.request.get(f"{live_server.url}{page.get_by_role('link', name='CSV').get_attribute('href')}")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    in_csv = sorted({r["row"] for r in rows if r["table"].startswith("Each board's measures")})
    assert in_csv == expected
    assert_accessible(page)


def test_la_manager_enters_corrects_and_uploads_figures(demo, live_server, page, sign_in, assert_accessible):
    from decimal import Decimal

    from django.utils import timezone

    from mi.models import Figure
    from mi.periods import Quarter

    current = Quarter.containing(timezone.localdate())
    sign_in(page, "la-manager")
    expect(page.get_by_role("heading", name="Performance figures")).to_be_visible()
    page.get_by_role("link", name="Enter or upload your figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your performance figures")
    assert_accessible(page)
    _no_sideways_scroll(page)

    # The current quarter has started and has nothing yet: enter one figure by the form, keyboard only.
    page.get_by_role("link", name=f"Enter the figures of Manchester for {current.label}").click()
    field = page.get_by_label("Housing Benefit new claims: average days to process")
    field.focus()
    page.keyboard.type("23.4")
    page.get_by_role("button", name="Save the figures").press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 figure saved")
    entered = Figure.objects.get(local_authority__gss_code="E08000003", quarter_start=current.start)
    assert entered.value == Decimal("23.4")

    # Changing it without a reason is refused, with the error linked to the field.
    page.get_by_role("link", name=f"Correct or complete the figures of Manchester for {current.label}").click()
    page.get_by_label("Housing Benefit new claims: average days to process").fill("21")
    page.get_by_role("button", name="Save the figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for correcting")
    assert_accessible(page)
    page.get_by_label("Reason for any correction").fill("Recounted after the backlog cleared")
    page.get_by_role("button", name="Save the figures").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 figure saved")

    # A file with a bad row is refused whole, every problem listed by row and column.
    page.goto(f"{live_server.url}/mi/figures/upload/")
    before = Figure.objects.count()
    bad = (
        "measure,quarter,organisation,value\n"
        f"hb-changes-days,{current.short},E08000003,9\n"
        f"hb-changes-days,{current.short},E08000006,9\n"
    )
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Upload the figures").click()
    expect(page.locator("#upload-errors")).to_contain_text("You do not enter the figures of Salford")
    assert_accessible(page)
    assert Figure.objects.count() == before
