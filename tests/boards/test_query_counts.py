"""The boards list, national index, its exports and the API keep a constant number of queries as boards grow."""

import datetime

import pytest
from django.utils import timezone

from boards import services
from boards.selectors import return_prefill
from tests.boards.factories import ActionFactory, MeetingFactory, board_for
from tests.helpers import body, count


def grow(world, n):
    for _ in range(n):
        board = board_for(world)
        board.local_authorities.add(world.la12)
        meeting = MeetingFactory(board=board, date=timezone.localdate() - datetime.timedelta(days=20))
        ActionFactory(meeting=meeting)
        services.return_submit(actor=world.users["admin"], board=board, data=return_prefill(board))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("erm", "/boards/"),
        ("gpt", "/boards/index/"),
        ("gpt", "/boards/index/?scope=joint&return_outstanding=no&below_minimum=yes"),
        ("gpt", "/boards/index/export.csv"),
        ("gpt", "/boards/index/export.xlsx"),
        ("gpt", "/boards/chairs.csv"),
        ("gpt", "/api/boards/"),
        ("regional-erm", "/api/boards/"),
    ],
)
def test_queries_do_not_grow_with_boards(world, client, django_assert_max_num_queries, role, url):
    client.force_login(world.users[role])
    grow(world, 2)
    few = count(client, url)
    grow(world, 15)
    with django_assert_max_num_queries(few):
        response = client.get(url)
        body(response)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_national_index_is_a_page_of_50_boards_at_a_time_and_its_downloads_hold_every_one(world, client):
    from boards.models import Board

    for n in range(55):
        board_for(world, title=f"Board {n:02d}")
    total = Board.objects.count()
    client.force_login(world.users["gpt"])
    first = client.get("/boards/index/").content.decode()
    assert f"{total} boards, 50 a page." in first
    assert first.count('<tr class="govuk-table__row">') - 1 == 50
    second = client.get("/boards/index/?page=2").content.decode()
    assert second.count('<tr class="govuk-table__row">') - 1 == total - 50
    assert 'aria-label="Page 1"' in second and "page=2" in first
    exported = body(client.get("/boards/index/export.csv")).decode("utf-8-sig")
    assert len(exported.strip().splitlines()) == total + 1
