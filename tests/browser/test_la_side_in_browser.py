"""The Local Authority side acts as a full partner in a real Chromium, with axe on every page: the LA co-chair drafts
minutes and adds an action, the LA monitoring officer records ADM-3 cases and sees the results, and an LA member's
proposed agenda item is accepted by the LA secretariat."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards.models import Action, AgendaItem, AgendaProposal, Board, Meeting, MeetingStatus
from monitoring.models import Exercise, Sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(demo):
    return Board.objects.get(title="Greater Manchester Joint Board")


def test_the_la_co_chair_drafts_the_minutes_and_adds_an_action(board, live_server, page, sign_in, assert_accessible):
    meeting = board.meetings.filter(status=MeetingStatus.HELD, minutes_status="draft").get()
    assert board.la_chair.user.username == "la-manager"
    sign_in(page, "la-manager")
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    assert_accessible(page)
    page.goto(f"{live_server.url}/boards/{board.pk}/meetings/{meeting.pk}/")
    assert_accessible(page)

    page.get_by_role("link", name="Revise the draft minutes").click()
    assert_accessible(page)
    page.get_by_label("Minutes").fill("Present: both co-chairs.\nAgreed: the LA sends changes to the BDC daily.")
    page.get_by_role("button", name="Save draft minutes").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    meeting.refresh_from_db()
    assert "the LA sends changes to the BDC daily" in meeting.minutes

    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("What is to be done").fill("Send the BDC the daily changes file")
    owner = page.get_by_label("Owner")
    owner.select_option(value=owner.locator("option", has_text="Helen Brooks").first.get_attribute("value"))
    due = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Day", exact=True).fill(str(due.day))
    page.get_by_label("Month", exact=True).fill(str(due.month))
    page.get_by_label("Year", exact=True).fill(str(due.year))
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    action = Action.objects.get(description="Send the BDC the daily changes file")
    assert (action.board, action.owner, action.due_date) == (board, board.la_chair, due)


def test_the_la_monitoring_officer_records_adm_3_cases_and_sees_the_results(
    board, live_server, page, sign_in, assert_accessible
):
    exercise = Exercise.objects.get(
        area__plan__board=board, area__standard__code="ADM-3", area__monitor__username="la-monitor", completed_at=None
    )
    before = exercise.samples.count()
    sign_in(page, "la-monitor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Monitoring").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}{exercise.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ADM-3")
    assert_accessible(page)
    day = exercise.sampled_from
    cases = f"case_reference,start_date,end_date\nLA-1,{day},{day + datetime.timedelta(days=1)}\nLA-2,{day},\n"
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "cases.csv", "mimeType": "text/csv", "buffer": cases.encode()}]
    )
    page.get_by_role("button", name="Upload the file").click()
    expect(page.get_by_text("2 cases imported")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("LA-1"))).to_be_visible()
    expect(page.get_by_role("table", name="Results by target")).to_contain_text("within")
    assert_accessible(page)
    assert Sample.objects.filter(exercise=exercise).count() == before + 2


def test_an_la_member_proposes_an_item_and_the_la_secretariat_accepts_it(
    board, live_server, page, browser, sign_in, assert_accessible
):
    meeting = board.meetings.get(status=MeetingStatus.SCHEDULED)
    assert board.la_secretariat.user.username == "la-monitor"
    sign_in(page, "la-manager-salford")
    page.goto(f"{live_server.url}/boards/{board.pk}/meetings/{meeting.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Propose an agenda item").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Salford's backlog of changes")
    page.get_by_label("Details", exact=False).fill("Changes reported at Salford wait a week for the BDC.")
    page.get_by_role("button", name="Propose the item").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    proposal = AgendaProposal.objects.get(title="Salford's backlog of changes")
    assert proposal.status == "proposed"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "la-monitor")
    page.goto(f"{live_server.url}/boards/{board.pk}/meetings/{meeting.pk}/")
    page.get_by_role("link", name=re.compile("Accept or decline")).click()
    assert_accessible(page)
    page.get_by_label("Accept: add it to the agenda").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decided_by.username == "la-monitor"
    assert AgendaItem.objects.filter(meeting=meeting, title="Salford's backlog of changes").exists()
    assert Meeting.objects.get(pk=meeting.pk).agenda_items.filter(title="Salford's backlog of changes").exists()
