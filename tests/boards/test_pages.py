"""The board pages, forms and exports through the test client: a board's year, bad input, CSV/XLSX/PDF."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from boards import services
from boards.models import Board, IndexReturn, Meeting, MinutesStatus
from boards.selectors import return_prefill
from tests.boards.factories import MeetingFactory, board_for
from tests.factories import ContactFactory, LAContactFactory, role
from tests.helpers import body

TODAY = timezone.localdate()


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.mark.django_db
def test_erm_runs_a_boards_year_through_the_pages(world, client):
    erm = world.users["erm"]
    client.force_login(erm)
    dm = ContactFactory(district=world.d1, role=role("district-manager"), name="Dina Manager")
    la_chair = LAContactFactory(local_authority=world.la1, name="Lara Chair")
    erm_contact = ContactFactory(district=world.d1, role=role("district-erm"), name="Erin Erm", phone="0161 496 0001")
    response = client.post(
        reverse("boards:board-create"),
        {
            "title": "District One Joint Board",
            "districts": [world.d1.pk],
            "local_authorities": [world.la1.pk],
            "scope": "joint",
            "jcp_chair": dm.pk,
            "la_chair": la_chair.pk,
            "erm": erm_contact.pk,
            "meetings_per_year": 3,
            **date_fields("established_on", TODAY - datetime.timedelta(days=300)),
        },
    )
    board = Board.objects.get(title="District One Joint Board")
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()
    client.post(reverse("boards:board-status", args=[board.pk]), {"status": "active"})
    board.refresh_from_db()
    assert board.status == "active"

    for days_ago in (120, 5):
        client.post(
            reverse("boards:meeting-schedule", args=[board.pk]),
            {**date_fields("date", TODAY - datetime.timedelta(days=days_ago)), "location": "Manchester"},
        )
    first, second = board.meetings.order_by("date")
    for meeting in (first, second):
        response = client.post(
            reverse("boards:meeting-hold", args=[board.pk, meeting.pk]),
            {"attended": [dm.pk, erm_contact.pk], "apologies": [la_chair.pk]},
        )
        assert response.status_code == 302
    client.post(reverse("boards:minutes-edit", args=[board.pk, first.pk]), {"minutes": "Agreed the plan."})
    client.post(
        reverse("boards:action-add", args=[board.pk, first.pk]),
        {"description": "Send the MI pack", "owner": la_chair.pk, **date_fields("due_date", TODAY)},
    )
    page = client.get(reverse("boards:meeting-detail", args=[board.pk, second.pk])).content.decode()
    assert "Send the MI pack" in page  # carried forward
    assert "circulate them to members" in page and "Approve the minutes of" not in page
    client.post(reverse("boards:minutes-circulate", args=[board.pk, first.pk]))
    page = client.get(reverse("boards:meeting-detail", args=[board.pk, second.pk])).content.decode()
    assert "Approve the minutes of" in page
    client.post(reverse("boards:minutes-approve", args=[board.pk, second.pk]))
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.APPROVED
    minutes = pdf_text(client.get(reverse("boards:minutes-pdf", args=[board.pk, first.pk])))
    assert "Agreed the plan." in minutes and "Send the MI pack" in minutes
    agenda = pdf_text(client.get(reverse("boards:agenda-pdf", args=[board.pk, second.pk])))
    assert "Performance management information" in agenda and "Send the MI pack" in agenda

    form = client.get(reverse("boards:return", args=[board.pk])).content.decode()
    assert "Erin Erm" in form and "0161 496 0001" in form
    response = client.post(
        reverse("boards:return", args=[board.pk]),
        {
            "board_title": board.title,
            "district_office": "District One office",
            "la_members": "Authority One",
            "jcp_chair": "Dina Manager",
            "la_chair": "Lara Chair",
            "erm_name": "Erin Erm",
            "erm_phone": "0161 496 0001",
            "erm_email": "erin@jcp.example.gov.uk",
            **date_fields("first_meeting_date", first.date),
            "scope": "joint",
            "jcp_secretariat_name": "Jo Sec",
            "jcp_secretariat_email": "jo@jcp.example.gov.uk",
            "la_secretariat_name": "Lee Sec",
            "la_secretariat_email": "lee@la.example.gov.uk",
            "comments": "Meets quarterly",
        },
    )
    assert response.status_code == 302
    submitted = IndexReturn.objects.get(board=board)
    text = pdf_text(client.get(reverse("boards:return-pdf", args=[board.pk])))
    for expected in ("INDEX OF JOBCENTRE PLUS", "District One Joint Board", "Erin Erm", "Lee Sec", "Meets quarterly"):
        assert expected in text
    assert submitted.first_meeting_date == first.date
    assert len(PdfReader(io.BytesIO(client.get(reverse("boards:return-pdf", args=[board.pk])).content)).pages) == 1


@pytest.mark.django_db
def test_bad_board_input_is_explained_and_kept(world, client):
    client.force_login(world.users["erm"])
    response = client.post(
        reverse("boards:board-create"),
        {
            "title": "Kept title",
            "districts": [world.d1.pk],
            "local_authorities": [world.la1.pk],
            "scope": "joint",
            "meetings_per_year": 1,
            **date_fields("established_on", TODAY),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "at least twice" in page
    assert 'value="Kept title"' in page
    assert not Board.objects.exists()


@pytest.mark.django_db
def test_return_form_refuses_missing_answers_and_saves_nothing(world, client):
    board = board_for(world)
    client.force_login(world.users["erm"])
    response = client.post(reverse("boards:return", args=[board.pk]), {"board_title": "Typed title", "scope": "joint"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the district erm name" in page.lower() or "enter the district erm name" in page.lower()
    assert 'value="Typed title"' in page
    assert not IndexReturn.objects.exists()


@pytest.mark.django_db
def test_index_exports_the_filtered_boards(world, client):
    fraud = board_for(world, title="Fraud board", scope="fraud")
    board_for(world, title="Admin board", scope="admin")
    MeetingFactory(board=fraud, date=TODAY - datetime.timedelta(days=40))
    MeetingFactory(board=fraud, date=TODAY - datetime.timedelta(days=200))
    services.return_submit(actor=world.users["erm"], board=fraud, data=return_prefill(fraud))
    client.force_login(world.users["gpt"])

    page = client.get(reverse("boards:index"), {"scope": "fraud"}).content.decode()
    assert "Fraud board" in page and "Admin board" not in page

    export = body(client.get(reverse("boards:index-csv"), {"scope": "fraud"})).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(export)))
    assert [r["Board"] for r in rows] == ["Fraud board"]
    assert rows[0]["Meetings in last 12 months"] == "2"
    assert rows[0]["Return this year"] == "Submitted"
    assert rows[0]["Region"] == "North"

    workbook = load_workbook(io.BytesIO(client.get(reverse("boards:index-xlsx")).content))
    sheet = workbook.active
    assert sheet["A1"].value == "Board"
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["Admin board", "Fraud board"]

    text = pdf_text(client.get(reverse("boards:index-pdf"), {"below_minimum": "yes"}))
    assert "Admin board" in text and "Fraud board" not in text

    chairs = list(csv.DictReader(io.StringIO(body(client.get(reverse("boards:chairs-csv"))).decode("utf-8-sig"))))
    assert {r["Name"] for r in chairs} >= {"Chair of Fraud board", "LA chair of Fraud board"}
    assert all(r["Email"] for r in chairs)


@pytest.mark.django_db
def test_the_index_pdf_is_reused_while_nothing_in_it_changes_and_made_afresh_when_something_does(world, client):
    from django.core.cache import cache

    cache.clear()
    board = board_for(world, title="Fraud board", scope="fraud")
    client.force_login(world.users["gpt"])
    first = client.get(reverse("boards:index-pdf"))
    assert "Fraud board" in pdf_text(first)
    assert client.get(reverse("boards:index-pdf")).content == first.content
    assert len([key for key in cache._cache if "pdf:" in key]) == 1

    board.title = "Counter-fraud board"
    board.save()
    again = pdf_text(client.get(reverse("boards:index-pdf")))
    assert "Counter-fraud board" in again and "\nFraud board" not in again
    assert len([key for key in cache._cache if "pdf:" in key]) == 2


@pytest.mark.django_db
def test_progress_figures_count_what_is_there(world, client):
    from boards.selectors import index_progress

    submitted = board_for(world, title="Returned")
    board_for(world, district=world.d3, authority=world.la3, title="Not returned")
    board_for(world, title="Proposed", status="proposed")
    services.return_submit(actor=world.users["admin"], board=submitted, data=return_prefill(submitted))
    progress = index_progress(user=world.users["gpt"], today=TODAY)
    assert progress.districts == 3
    assert progress.districts_with_active_board == 2
    assert progress.active_boards == 2
    assert progress.returns_submitted == 1
    assert progress.returns_due + progress.returns_overdue == 1


@pytest.mark.django_db
def test_good_practice_is_searchable_by_everyone(world, client):
    board = board_for(world, district=world.d3, authority=world.la3)
    services.good_practice_add(
        actor=world.users["admin"], board=board, title="Shared inbox for CoC", description="One inbox."
    )
    client.force_login(world.users["la-manager"])
    page = client.get(reverse("boards:good-practice"), {"q": "inbox"}).content.decode()
    assert "Shared inbox for CoC" in page
    assert "Shared inbox" not in client.get(reverse("boards:good-practice"), {"q": "nothing"}).content.decode()


@pytest.mark.django_db
def test_api_and_schema(world, client):
    board_for(world, title="Visible")
    board_for(world, district=world.d3, authority=world.la3, title="Hidden")
    assert client.get("/api/boards/").status_code == 403
    client.force_login(world.users["erm"])
    data = client.get("/api/boards/").json()
    assert [b["title"] for b in data["results"]] == ["Visible"]
    assert data["results"][0]["districts"][0]["region"] == "North"
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/boards/" in schema.content


@pytest.mark.django_db
def test_meeting_not_found_under_another_board(world, client):
    board = board_for(world)
    other = board_for(world, title="Other")
    meeting = MeetingFactory(board=other)
    client.force_login(world.users["erm"])
    assert client.get(reverse("boards:meeting-detail", args=[board.pk, meeting.pk])).status_code == 404
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_an_action_owner_reports_on_their_own_action_but_not_on_others(client, world):
    board = board_for(world)
    erm = world.users["erm"]
    owner_user = world.users["la-manager"]
    member = LAContactFactory(local_authority=world.la1, role=role("fraud-manager"), user=owner_user)
    board.members.add(member)
    meeting = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=30))
    mine = services.action_add(
        actor=erm, meeting=meeting, description="Share the MI pack", owner=member, due_date=TODAY
    )
    theirs = services.action_add(
        actor=erm, meeting=meeting, description="Book the room", owner=board.erm, due_date=TODAY
    )
    client.force_login(owner_user)
    page = client.get(board.get_absolute_url()).content.decode()
    assert f'href="{mine.get_absolute_url()}"' in page
    assert f'href="{theirs.get_absolute_url()}"' not in page

    response = client.post(mine.get_absolute_url(), {"status": "done", "update": "Pack shared on 3 May"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.update) == ("done", "Pack shared on 3 May")
    assert client.post(theirs.get_absolute_url(), {"status": "done", "update": "Not mine"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "open"


@pytest.mark.django_db
def test_home_lists_the_users_boards_and_the_actions_they_own_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    erm = world.users["erm"]

    def grow(n):
        for _ in range(n):
            board = board_for(world)
            board.erm.user = erm
            board.erm.save()
            meeting = MeetingFactory(board=board, date=TODAY - datetime.timedelta(days=40))
            services.action_add(
                actor=erm, meeting=meeting, description="Late one", owner=board.erm, due_date=meeting.date
            )
            services.action_add(actor=erm, meeting=meeting, description="Due soon", owner=board.erm, due_date=TODAY)

    client.force_login(erm)
    grow(1)
    page = client.get("/").content.decode()
    assert "Actions you own" in page
    assert "2 open actions, <strong>1 overdue</strong>" in page
    # Panels count only once they are full (fewer rows than they show are counted as they are listed).
    grow(4)
    with CaptureQueriesContext(connection) as full:
        page = client.get("/").content.decode()
    assert "10 open actions, <strong>5 overdue</strong>" in page
    grow(2)
    with django_assert_max_num_queries(len(full)):
        page = client.get("/").content.decode()
    assert "14 open actions, <strong>7 overdue</strong>" in page
    assert "All 7 boards" in page

    client.force_login(world.users["la-manager"])
    page = client.get("/").content.decode()
    assert "Joint Boards" in page
    assert "Actions you own" not in page


@pytest.mark.django_db
def test_national_figures_are_kept_until_what_they_count_changes(world, django_assert_num_queries):
    from boards.selectors import index_progress

    today = timezone.localdate()
    board = board_for(world, title="Returned")
    gpt, erm = world.users["gpt"], world.users["erm"]
    first = index_progress(user=gpt, today=today, national=True)
    assert (first.boards, first.active_boards, first.returns_submitted) == (1, 1, 0)
    # The same figures for everyone, from the cache.
    with django_assert_num_queries(0):
        assert index_progress(user=erm, today=today, national=True) == first
    # A return, a new board, a board wound up and a district linked each show at once.
    services.return_submit(actor=world.users["admin"], board=board, data=return_prefill(board))
    assert index_progress(user=gpt, today=today, national=True).returns_submitted == 1
    other = board_for(world, district=world.d3, authority=world.la3, title="Another")
    assert index_progress(user=gpt, today=today, national=True).boards == 2
    assert index_progress(user=gpt, today=today, national=True).districts_with_active_board == 2
    other.districts.add(world.d2)
    assert index_progress(user=gpt, today=today, national=True).districts_with_active_board == 3
    other.status, other.wound_up_on = "wound-up", today
    other.save()
    assert index_progress(user=gpt, today=today, national=True).active_boards == 1
