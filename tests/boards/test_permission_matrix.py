"""Every role against every boards page, export and API: each sees exactly its scope, changes only its own."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from boards import services
from boards.models import (
    Action,
    AgendaItem,
    AgendaProposal,
    Board,
    GoodPractice,
    IndexReturn,
    Meeting,
    MinutesComment,
)
from boards.selectors import return_prefill
from liaison.models import Event
from tests.boards.factories import MeetingFactory, board_for
from tests.helpers import body

ALL = {"b1", "b2", "b3"}
VISIBLE = {
    "erm": {"b1"},
    "district-manager": {"b1"},
    "monitor": {"b1"},
    "la-manager": {"b1"},
    "la-fraud": {"b1"},
    "regional-erm": {"b1", "b2"},
    "odn": ALL,
    "gpt": ALL,
    "admin": ALL,
}
EDITABLE = {"erm": {"b1"}, "regional-erm": {"b1", "b2"}, "admin": ALL}
# The secretariat of a board: its editors, and the users linked to its co-chairs and secretariat contacts (here the
# District Manager chairs b1 for JCP and the LA Benefits Manager chairs it for the LA).
SECRETARIAT = {**EDITABLE, "district-manager": {"b1"}, "la-manager": {"b1"}}
# Members (JCP or LA side) share good practice and comment on circulated minutes; national roles read only.
MEMBERS = {**SECRETARIAT, "monitor": {"b1"}, "la-fraud": {"b1"}}
# Managers of a board's LAs propose agenda items.
PROPOSERS = {"la-manager": {"b1"}, "la-fraud": {"b1"}}
RETURN_READERS = {"gpt", "admin"}
ROLES = list(VISIBLE)


@pytest.fixture
def boards(world):
    made = {
        "b1": board_for(world, title="Board One"),
        "b2": board_for(world, district=world.d2, authority=world.la2, title="Board Two"),
        "b3": board_for(world, district=world.d3, authority=world.la3, title="Board Three"),
    }
    for board in made.values():
        MeetingFactory(board=board)
        MeetingFactory(board=board, status="scheduled", date=board.meetings.get().date + datetime.timedelta(days=60))
        services.return_submit(actor=world.users["admin"], board=board, data=return_prefill(board))
    made["b1"].jcp_chair.user = world.users["district-manager"]
    made["b1"].jcp_chair.save()
    made["b1"].la_chair.user = world.users["la-manager"]
    made["b1"].la_chair.save()
    return made


def expected(role, key, *, editable=False, returns=False, allowed=None):
    if key not in VISIBLE[role]:
        return 404
    if returns:
        return 200 if key in EDITABLE.get(role, set()) or role in RETURN_READERS else 403
    if allowed is not None:
        return 200 if key in allowed.get(role, set()) else 403
    if editable:
        return 200 if key in EDITABLE.get(role, set()) else 403
    return 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_querysets_match_the_matrix(role, world, boards):
    user = world.users[role]
    names = {v.pk: k for k, v in boards.items()}
    assert {names[b.pk] for b in Board.objects.visible_to(user)} == VISIBLE[role]
    assert {names[b.pk] for b in Board.objects.editable_by(user)} == EDITABLE.get(role, set())
    assert {names[b.pk] for b in Board.objects.secretariat_of(user)} == SECRETARIAT.get(role, set())
    assert {names[b.pk] for b in Board.objects.member_of(user)} == MEMBERS.get(role, set())
    assert {names[b.pk] for b in Board.objects.proposable_by(user)} == PROPOSERS.get(role, set())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_board_pages_match_the_matrix(role, world, boards, client):
    client.force_login(world.users[role])
    for key, board in boards.items():
        meeting = board.meetings.get(status="held")
        coming = board.meetings.get(status="scheduled")
        action_url = reverse("boards:action-add", args=[board.pk, meeting.pk])
        checks = {
            reverse("boards:board-detail", args=[board.pk]): expected(role, key),
            reverse("boards:meeting-detail", args=[board.pk, meeting.pk]): expected(role, key),
            reverse("boards:agenda-pdf", args=[board.pk, meeting.pk]): expected(role, key),
            reverse("boards:board-update", args=[board.pk]): expected(role, key, editable=True),
            reverse("boards:meeting-schedule", args=[board.pk]): expected(role, key, allowed=SECRETARIAT),
            reverse("boards:good-practice-add", args=[board.pk]): expected(role, key, allowed=MEMBERS),
            reverse("boards:meeting-hold", args=[board.pk, coming.pk]): expected(role, key, allowed=SECRETARIAT),
            reverse("boards:agenda-item-add", args=[board.pk, coming.pk]): expected(role, key, allowed=SECRETARIAT),
            reverse("boards:minutes-edit", args=[board.pk, meeting.pk]): expected(role, key, allowed=SECRETARIAT),
            reverse("boards:minutes-comment", args=[board.pk, meeting.pk]): expected(role, key, allowed=MEMBERS),
            reverse("boards:agenda-propose", args=[board.pk, coming.pk]): expected(role, key, allowed=PROPOSERS),
            action_url: expected(role, key, allowed=SECRETARIAT),
            reverse("boards:return", args=[board.pk]): expected(role, key, returns=True),
            reverse("boards:return-pdf", args=[board.pk]): expected(role, key, returns=True),
            f"/api/boards/{board.pk}/": 200 if key in VISIBLE[role] else 404,
        }
        for url, status in checks.items():
            assert client.get(url).status_code == status, (role, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_lists_exports_and_api_show_only_the_scope(role, world, boards, client):
    client.force_login(world.users[role])
    titles = {boards[k].title for k in VISIBLE[role]}
    hidden = {b.title for b in boards.values()} - titles
    page = client.get(reverse("boards:board-list")).content.decode()
    assert all(t in page for t in titles) and not any(t in page for t in hidden)
    # The national index page lists every board for every signed-in user, linking only those in scope, and shows
    # no phone number or email address.
    page = client.get(reverse("boards:index")).content.decode()
    assert all(b.title in page for b in boards.values())
    for key, board in boards.items():
        assert (f'href="{board.get_absolute_url()}"' in page) == (key in VISIBLE[role]), (role, key)
        assert board.jcp_chair.email not in page and board.jcp_chair.phone not in page
    rows = csv.DictReader(io.StringIO(body(client.get(reverse("boards:index-csv"))).decode("utf-8-sig")))
    assert {r["Board"] for r in rows} == titles
    assert {b["title"] for b in client.get("/api/boards/").json()["results"]} == titles
    chairs = client.get(reverse("boards:chairs-csv"))
    assert chairs.status_code == (200 if role in RETURN_READERS else 403)
    assert client.get(reverse("boards:good-practice")).status_code == 200
    assert client.get(reverse("boards:board-create")).status_code == (200 if role in EDITABLE else 403)


@pytest.mark.django_db
def test_posting_to_another_districts_board_changes_nothing(world, boards, client):
    client.force_login(world.users["erm"])
    board = boards["b2"]
    response = client.post(reverse("boards:board-status", args=[board.pk]), {"status": "wound-up"})
    assert response.status_code == 404
    client.force_login(world.users["district-manager"])
    response = client.post(reverse("boards:board-status", args=[boards["b1"].pk]), {"status": "wound-up"})
    assert response.status_code == 403
    assert b"can change it" in response.content
    assert set(Board.objects.values_list("status", flat=True)) == {"active"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/boards/", "/boards/index/", "/boards/index/export.csv", "/good-practice/"])
def test_anonymous_users_are_sent_to_sign_in(url, client):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _state():
    return (
        list(Board.objects.order_by("pk").values_list("title", "status", "meetings_per_year")),
        list(Meeting.objects.order_by("pk").values_list("status", "minutes", "minutes_status")),
        Meeting.objects.count(),
        Action.objects.count(),
        GoodPractice.objects.count(),
        IndexReturn.objects.count(),
        AgendaItem.objects.count(),
        list(AgendaItem.objects.order_by("pk").values_list("order", flat=True)),
        list(AgendaProposal.objects.order_by("pk").values_list("status", flat=True)),
        MinutesComment.objects.count(),
    )


def _posts(board, proposal):
    meeting = board.meetings.get(status="held")
    coming = board.meetings.get(status="scheduled")
    item = coming.agenda_items.order_by("order").first()
    return {
        "edit": {
            reverse("boards:board-update", args=[board.pk]): {"title": "Taken over", "meetings_per_year": 9},
            reverse("boards:board-status", args=[board.pk]): {"status": "wound-up"},
            reverse("boards:return", args=[board.pk]): {"board_title": "Mine"},
        },
        "secretariat": {
            reverse("boards:meeting-schedule", args=[board.pk]): {"date_0": "1", "date_1": "1", "date_2": "2030"},
            reverse("boards:minutes-edit", args=[board.pk, meeting.pk]): {"minutes": "Rewritten"},
            reverse("boards:minutes-circulate", args=[board.pk, meeting.pk]): {},
            reverse("boards:action-add", args=[board.pk, meeting.pk]): {"description": "Mine"},
            reverse("boards:agenda-item-add", args=[board.pk, coming.pk]): {"title": "Mine"},
            reverse("boards:agenda-item-move", args=[board.pk, coming.pk, item.pk]): {"direction": "down"},
            reverse("boards:meeting-hold", args=[board.pk, coming.pk]): {},
            reverse("boards:agenda-proposal-decide", args=[board.pk, coming.pk, proposal.pk]): {
                "decision": "decline",
                "reason": "Not mine to decide",
            },
        },
        "member": {
            reverse("boards:good-practice-add", args=[board.pk]): {"title": "Mine", "description": "Mine"},
            reverse("boards:minutes-comment", args=[board.pk, meeting.pk]): {"text": "Mine"},
        },
        "proposer": {
            reverse("boards:agenda-propose", args=[board.pk, coming.pk]): {"title": "Mine"},
        },
    }


WHO_MAY = {"edit": EDITABLE, "secretariat": SECRETARIAT, "member": MEMBERS, "proposer": PROPOSERS}


@pytest.fixture
def proposals(world, boards):
    """A proposal waiting on each board's next meeting, and its held meeting's minutes out for comment."""
    made = {}
    for key, board in boards.items():
        coming = board.meetings.get(status="scheduled")
        for title in ("First item", "Second item"):
            services.agenda_item_add(meeting=coming, title=title, source="boards")
        made[key] = AgendaProposal.objects.create(meeting=coming, title="Proposed", proposed_by=world.users["admin"])
        held = board.meetings.get(status="held")
        services.minutes_save(actor=world.users["admin"], meeting=held, text="Draft")
        services.minutes_circulate(actor=world.users["admin"], meeting=held)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_posts_to_boards_follow_the_matrix_and_refusals_change_nothing(role, world, boards, proposals, client):
    client.force_login(world.users[role])
    for key, board in boards.items():
        for kind, posts in _posts(board, proposals[key]).items():
            if key in WHO_MAY[kind].get(role, set()):
                continue
            for url, data in posts.items():
                before = _state()
                status = client.post(url, data).status_code
                assert status == (403 if key in VISIBLE[role] else 404), (role, url)
                assert _state() == before, (role, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_allowed_writes_succeed_and_are_on_the_activity_trail(role, world, boards, proposals, client):
    """Each role's allowed secretariat, member and proposer writes go through (an LA chair of b1 never b2)."""
    client.force_login(world.users[role])
    for key, board in boards.items():
        coming = board.meetings.get(status="scheduled")
        held = board.meetings.get(status="held")
        expected_ok = {
            "secretariat": key in SECRETARIAT.get(role, set()),
            "member": key in MEMBERS.get(role, set()),
            "proposer": key in PROPOSERS.get(role, set()),
        }
        events = Event.objects.count()
        if expected_ok["secretariat"]:
            response = client.post(reverse("boards:agenda-item-add", args=[board.pk, coming.pk]), {"title": role})
            assert response.status_code == 302, (role, key)
            assert coming.agenda_items.filter(title=role).exists()
            response = client.post(
                reverse("boards:agenda-proposal-decide", args=[board.pk, coming.pk, proposals[key].pk]),
                {"decision": "accept"},
            )
            assert response.status_code == 302 and coming.agenda_items.filter(title="Proposed").exists()
        if expected_ok["member"]:
            response = client.post(reverse("boards:minutes-comment", args=[board.pk, held.pk]), {"text": role})
            assert response.status_code == 302 and MinutesComment.objects.filter(text=role, meeting=held).exists()
        if expected_ok["proposer"]:
            response = client.post(reverse("boards:agenda-propose", args=[board.pk, coming.pk]), {"title": "Mine"})
            assert response.status_code == 302
            assert AgendaProposal.objects.filter(meeting=coming, proposed_by=world.users[role]).exists()
        assert Event.objects.count() == events + sum(
            {"secretariat": 3, "member": 1, "proposer": 1}[k] for k, ok in expected_ok.items() if ok
        ), (role, key)
