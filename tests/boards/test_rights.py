"""`board_rights` answers, for one board, exactly what the querysets answer for every board: who edits it, who
does its secretariat work and who takes part in it, for every role, on boards of every shape."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.models import Board
from boards.rights import board_rights
from liaison.scoping import scope_for
from tests.boards.factories import board_for
from tests.factories import ContactFactory, LAContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(world):
    own = board_for(world)
    other_district = board_for(world, district=world.d2, authority=world.la2)
    south = board_for(world, district=world.d3, authority=world.la3)
    straddling = board_for(world, district=world.d1, authority=world.la12)
    straddling.districts.add(world.d2)
    straddling.local_authorities.add(world.la2)
    # A chair and a secretariat held by people who use Liaison, on boards their roles do not reach.
    other_district.la_chair = LAContactFactory(local_authority=world.la2, user=world.users["la-fraud"])
    other_district.save()
    south.jcp_secretariat = ContactFactory(district=world.d3, user=world.users["district-manager"])
    south.save()
    # One who has left: their user no longer does the board's work.
    left = timezone.localdate() - datetime.timedelta(days=1)
    straddling.la_secretariat = LAContactFactory(local_authority=world.la2, user=world.users["monitor"], active_to=left)
    straddling.save()
    return [own, other_district, south, straddling]


def _users(world):
    return [*world.users.values(), UserFactory(username="nobody"), AnonymousUser()]


def test_every_user_on_every_board_as_the_querysets_answer(world, boards):
    for user in _users(world):
        expected = {
            board.pk: (
                Board.objects.editable_by(user).filter(pk=board.pk).exists(),
                Board.objects.secretariat_of(user).filter(pk=board.pk).exists(),
                Board.objects.member_of(user).filter(pk=board.pk).exists(),
            )
            for board in boards
        }
        for board in Board.objects.filter(pk__in=expected):
            rights = board_rights(user, board)
            assert (rights.edit, rights.secretariat, rights.member) == expected[board.pk], (user, board.title)


def test_the_rules_reach_as_the_roles_do(world, boards):
    own, other_district, south, straddling = boards
    assert board_rights(world.users["erm"], own).edit
    assert not board_rights(world.users["erm"], south).member
    assert board_rights(world.users["regional-erm"], straddling).edit
    assert board_rights(world.users["la-fraud"], other_district).secretariat
    assert board_rights(world.users["district-manager"], south).secretariat
    assert not board_rights(world.users["monitor"], straddling).secretariat
    assert board_rights(world.users["monitor"], straddling).member
    assert not board_rights(world.users["gpt"], own).member


def test_a_prefetched_board_answers_in_one_query_at_most_and_once_a_request(world, boards):
    board = Board.objects.prefetch_related("districts", "local_authorities").get(pk=boards[2].pk)
    scope_for(world.users["district-manager"])  # read once a request, before the page asks anything
    with CaptureQueriesContext(connection) as queries:
        first = board_rights(world.users["district-manager"], board)
        again = board_rights(world.users["district-manager"], board)
    assert first is again and first.secretariat
    assert len(queries) == 1
