"""`boards.selectors.board_detail`: one board as its page reads it, its people read beside it rather than joined."""

import pytest
from django.utils import timezone

from boards.models import Board
from boards.selectors import BOARD_PEOPLE, board_detail
from liaison.scoping import scope_for
from tests.boards.factories import board_for

pytestmark = pytest.mark.django_db


def test_the_board_comes_with_its_people_and_their_roles_in_hand(world, django_assert_num_queries):
    board = board_for(world)
    shown = board_detail(user=world.users["erm"], pk=board.pk, today=timezone.localdate())
    with django_assert_num_queries(0):
        people = {field: getattr(shown, field) for field in BOARD_PEOPLE}
        roles = {field: person.role.name for field, person in people.items()}
    assert {field: person.pk for field, person in people.items()} == {
        field: getattr(board, f"{field}_id") for field in BOARD_PEOPLE
    }
    assert roles["jcp_chair"] == board.jcp_chair.role.name
    assert roles["la_secretariat"] == board.la_secretariat.role.name
    # The index's figures come with it, as before.
    assert shown.open_actions == 0
    assert shown.meetings_last_12_months == 0


def test_a_board_without_people_named_yet_needs_no_second_query(world, django_assert_num_queries):
    board = board_for(world)
    Board.objects.filter(pk=board.pk).update(
        jcp_chair=None, la_chair=None, erm=None, jcp_secretariat=None, la_secretariat=None
    )
    scope_for(world.users["erm"])  # the user's scope, read once a request whatever the page
    # The board's row and its districts' and LAs' (prefetched): nothing for people it does not name.
    with django_assert_num_queries(3):
        shown = board_detail(user=world.users["erm"], pk=board.pk, today=timezone.localdate())
    with django_assert_num_queries(0):
        assert [getattr(shown, field) for field in BOARD_PEOPLE] == [None] * len(BOARD_PEOPLE)


def test_one_person_holding_two_places_is_read_once(world):
    board = board_for(world)
    Board.objects.filter(pk=board.pk).update(erm=board.jcp_chair, jcp_secretariat=board.jcp_chair)
    shown = board_detail(user=world.users["erm"], pk=board.pk, today=timezone.localdate())
    assert shown.erm.pk == shown.jcp_secretariat.pk == shown.jcp_chair.pk == board.jcp_chair_id


@pytest.mark.parametrize("role", ["la-manager", "regional-erm", "gpt"])
def test_a_board_out_of_sight_is_not_found(world, role):
    board = board_for(world, district=world.d3, authority=world.la3)
    user = world.users[role]
    if role == "gpt":
        # National roles see every board.
        assert board_detail(user=user, pk=board.pk, today=timezone.localdate()).pk == board.pk
        return
    with pytest.raises(Board.DoesNotExist):
        board_detail(user=user, pk=board.pk, today=timezone.localdate())
