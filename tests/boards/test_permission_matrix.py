"""Every role against every boards page, export and API: each sees exactly its scope, changes only its own."""

import csv
import io

import pytest
from django.urls import reverse

from boards import services
from boards.models import Action, Board, GoodPractice, IndexReturn, Meeting
from boards.selectors import return_prefill
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
        services.return_submit(actor=world.users["admin"], board=board, data=return_prefill(board))
    return made


def expected(role, key, *, editable=False, returns=False):
    if key not in VISIBLE[role]:
        return 404
    if returns:
        return 200 if key in EDITABLE.get(role, set()) or role in RETURN_READERS else 403
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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_board_pages_match_the_matrix(role, world, boards, client):
    client.force_login(world.users[role])
    for key, board in boards.items():
        meeting = board.meetings.get()
        action_url = reverse("boards:action-add", args=[board.pk, meeting.pk])
        checks = {
            reverse("boards:board-detail", args=[board.pk]): expected(role, key),
            reverse("boards:meeting-detail", args=[board.pk, meeting.pk]): expected(role, key),
            reverse("boards:agenda-pdf", args=[board.pk, meeting.pk]): expected(role, key),
            reverse("boards:board-update", args=[board.pk]): expected(role, key, editable=True),
            reverse("boards:meeting-schedule", args=[board.pk]): expected(role, key, editable=True),
            reverse("boards:good-practice-add", args=[board.pk]): expected(role, key, editable=True),
            reverse("boards:meeting-hold", args=[board.pk, meeting.pk]): expected(role, key, editable=True),
            action_url: expected(role, key, editable=True),
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
    for url in (reverse("boards:board-list"), reverse("boards:index")):
        page = client.get(url).content.decode()
        assert all(t in page for t in titles) and not any(t in page for t in hidden), url
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
        list(Meeting.objects.order_by("pk").values_list("status", "minutes")),
        Meeting.objects.count(),
        Action.objects.count(),
        GoodPractice.objects.count(),
        IndexReturn.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_posts_to_boards_follow_the_matrix_and_refusals_change_nothing(role, world, boards, client):
    client.force_login(world.users[role])
    for key, board in boards.items():
        if key in EDITABLE.get(role, set()):
            continue
        meeting = board.meetings.get()
        posts = {
            reverse("boards:board-update", args=[board.pk]): {"title": "Taken over", "meetings_per_year": 9},
            reverse("boards:board-status", args=[board.pk]): {"status": "wound-up"},
            reverse("boards:meeting-schedule", args=[board.pk]): {"date_0": "1", "date_1": "1", "date_2": "2030"},
            reverse("boards:good-practice-add", args=[board.pk]): {"title": "Mine", "description": "Mine"},
            reverse("boards:minutes-edit", args=[board.pk, meeting.pk]): {"minutes": "Rewritten"},
            reverse("boards:action-add", args=[board.pk, meeting.pk]): {"description": "Mine"},
            reverse("boards:return", args=[board.pk]): {"board_title": "Mine"},
        }
        for url, data in posts.items():
            before = _state()
            status = client.post(url, data).status_code
            assert status == (403 if key in VISIBLE[role] else 404), (role, url)
            assert _state() == before, (role, url)
