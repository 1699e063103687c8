"""Queries kept compiled (liaison.querysets.kept_query): the same rows as the queryset, one statement, built once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import querysets
from liaison.models import Contact, District
from liaison.querysets import kept_count, kept_query
from tests.factories import ContactFactory, LAContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_kept():
    querysets._kept_queries.clear()
    yield
    querysets._kept_queries.clear()


@pytest.fixture
def contacts(world):
    return [ContactFactory(district=world.d1) for _ in range(3)] + [LAContactFactory(local_authority=world.la1)]


def by_name():
    return Contact.objects.select_related("role", "district", "local_authority", "office").order_by("name", "pk")


def shown(contact) -> tuple:
    return (contact.pk, contact.role.name, getattr(contact.district, "name", None), contact.organisation)


def test_rows_are_the_querysets_own_with_what_it_selects_related_in_one_statement(contacts):
    kept = kept_query(("contacts",), by_name)
    with CaptureQueriesContext(connection) as ran:
        rows = kept.rows()
        seen = [shown(contact) for contact in rows]
    assert len(ran) == 1
    assert seen == [shown(contact) for contact in by_name()]
    # Rows added later are read: the SQL is kept, not the rows.
    ContactFactory(district=contacts[0].district)
    assert len(kept_query(("contacts",), by_name).rows()) == len(contacts) + 1


def test_values_and_flat_values_and_counts(contacts, world):
    names = kept_query(("names",), lambda: Contact.objects.order_by("name").values_list("name", flat=True)).rows()
    assert names == list(Contact.objects.order_by("name").values_list("name", flat=True))
    rows = kept_query(("rows",), lambda: Contact.objects.order_by("pk").values("pk", "district__code")).rows()
    assert rows == list(Contact.objects.order_by("pk").values("pk", "district__code"))
    in_d1 = kept_count(("in-d1",), lambda: Contact.objects.filter(district=world.d1))
    assert in_d1 == Contact.objects.filter(district=world.d1).count() == 3
    assert kept_count(("in-d3",), lambda: Contact.objects.filter(district=world.d3)) == 0


def test_built_once_for_a_key(contacts):
    built = []

    def build():
        built.append(1)
        return by_name()

    for _ in range(3):
        kept_query(("once",), build).rows()
    assert len(built) == 1


def test_a_query_that_can_match_nothing_runs_nothing(contacts):
    kept = kept_query(("nothing",), lambda: Contact.objects.filter(pk__in=[]))
    with CaptureQueriesContext(connection) as ran:
        assert kept.rows() == []
    assert len(ran) == 0


def test_building_may_not_read_the_database(contacts):
    def reads():
        return Contact.objects.filter(district__in=list(District.objects.all()))

    with pytest.raises(RuntimeError):
        kept_query(("reads",), reads)


def test_prefetching_is_refused(contacts):
    with pytest.raises(ValueError):
        kept_query(("prefetch",), lambda: District.objects.prefetch_related("local_authorities"))


def test_a_kept_paginator_pages_as_a_paginator_does(world):
    from django.core.paginator import Paginator

    from liaison.pagination import KeptPaginator

    for _ in range(7):
        ContactFactory(district=world.d1)
    kept = KeptPaginator(("pages",), by_name, 3)
    plain = Paginator(by_name(), 3)
    assert (kept.count, kept.num_pages, kept.more) == (plain.count, plain.num_pages, False) == (7, 3, False)
    # Past the end, not a number, or below one: as Paginator.get_page answers them.
    for asked in (1, 2, 3, 4, "x", 0):
        page, expected = kept.get_page(asked), plain.get_page(asked)
        assert page.number == expected.number
        assert [c.pk for c in page.object_list] == [c.pk for c in expected.object_list]


def test_a_capped_kept_paginator_counts_no_further_than_its_cap(world):
    from liaison.pagination import KeptPaginator

    for _ in range(7):
        ContactFactory(district=world.d1)
    capped = KeptPaginator(("capped",), by_name, 2, cap=5)
    assert (capped.count, capped.num_pages, capped.more) == (5, 3, True)
    assert len(capped.get_page(3).object_list) == 1
    roomy = KeptPaginator(("roomy",), by_name, 2, cap=7)
    assert (roomy.count, roomy.more) == (7, False)


def test_rows_by_id_are_in_bulks_with_sql_kept_for_each_number_of_ids(contacts, world):
    from liaison.querysets import by_ids

    ids = [c.pk for c in contacts]
    found = by_ids(("by-id",), by_name(), [ids[2], ids[0], ids[2]])
    assert {pk: shown(c) for pk, c in found.items()} == {
        pk: shown(c) for pk, c in by_name().in_bulk([ids[0], ids[2]]).items()
    }
    # Other ids, as many: the same kept SQL, run with them.
    again = by_ids(("by-id",), by_name(), [ids[1], ids[3]])
    assert set(again) == {ids[1], ids[3]}
    assert by_ids(("by-id",), by_name(), []) == {}


def test_rows_by_id_keep_the_values_of_their_own_queryset(world):
    # A scoped read (an issue's page in the user's scope): the scope's values stay, the ids asked for are swapped in.
    from liaison.querysets import by_ids

    inside, outside = ContactFactory(district=world.d1), ContactFactory(district=world.d2)
    in_d1 = Contact.objects.filter(district=world.d1)
    assert set(by_ids(("by-id", "d1", world.d1.pk), in_d1, [outside.pk, inside.pk])) == {inside.pk}
    assert set(by_ids(("by-id", "d1", world.d1.pk), in_d1, [inside.pk, outside.pk])) == {inside.pk}
    assert by_ids(("by-id", "d1", world.d1.pk), in_d1, [outside.pk]) == {}


def test_a_kept_query_is_never_built_from_an_instances_related_manager(world):
    # Its rows would be handed the instance of the request that first built it, on every later request.
    from boards.models import Meeting
    from tests.boards.factories import board_for

    board = board_for(world, title="Kept")
    with pytest.raises(ValueError, match="own manager"):
        kept_query(("related", board.pk), lambda: board.meetings.all()).rows()
    assert kept_query(("own", board.pk), lambda: Meeting.objects.filter(board_id=board.pk)).rows() == []


def test_rows_handed_to_a_many_to_many_are_read_as_if_prefetched(world):
    from boards.models import Board
    from liaison.querysets import set_prefetched
    from tests.boards.factories import board_for

    board = Board.objects.get(pk=board_for(world, title="Prefetched").pk)
    districts = list(District.objects.filter(boards__pk=board.pk))
    set_prefetched(board, "districts", districts)
    with CaptureQueriesContext(connection) as read:
        assert list(board.districts.all()) == districts and districts
    assert len(read) == 0


def test_kept_counts_are_each_querysets_count_in_one_statement(contacts, world):
    from liaison.querysets import kept_counts

    def asked():
        return [
            Contact.objects.filter(district=world.d1),
            Contact.objects.filter(local_authority=world.la1),
            Contact.objects.filter(pk__in=[]),  # matches nothing: counted as 0 without asking
            District.objects.all(),
        ]

    with CaptureQueriesContext(connection) as ran:
        counts = kept_counts(("several",), asked)
    assert len(ran) == 1
    assert counts == [queryset.count() for queryset in asked()]
    assert counts[:3] == [3, 1, 0]
    ContactFactory(district=world.d1)
    assert kept_counts(("several",), asked)[0] == 4


def test_a_capped_count_annotates_rows_with_how_many_there_are_up_to_the_cap(contacts, world):
    from liaison.querysets import capped_count

    everyone = Contact.objects.all()
    rows = list(by_name().annotate(counted=capped_count(everyone, 2))[:1])
    assert rows[0].counted == 3  # four contacts, counted up to the cap and one more
    rows = list(by_name().annotate(counted=capped_count(everyone, 10))[:1])
    assert rows[0].counted == 4
    assert by_name().annotate(counted=capped_count(everyone.none(), 10))[0].counted == 0
