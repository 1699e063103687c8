"""KeyedUnionPaginator chooses a page of a scoped activity trail from the scope's (pk, occurred_at) rows; it must
page exactly as CappedPaginator pages the same events read through `visible_to`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import pagination
from liaison.events import event_build, events_record
from liaison.models import Event
from liaison.pagination import CappedPaginator, KeyedUnionPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def erm(world):
    events_record([event_build(kind="issue.logged", summary=f"Event {i}", district_id=world.d1.pk) for i in range(23)])
    # Events the ERM may not see: another district's.
    events_record(
        [event_build(kind="issue.logged", summary=f"Elsewhere {i}", district_id=world.d2.pk) for i in range(5)]
    )
    return world.users["erm"]


def _keyed(user, narrowed=None, per_page=10):
    return KeyedUnionPaginator(
        Event.objects.visible_keys(user), per_page, key="occurred_at", rows=Event.objects.all(), narrowed=narrowed
    )


def _capped(user, per_page=10):
    return CappedPaginator(Event.objects.visible_to(user).order_by("-occurred_at", "-pk"), per_page)


def _shape(page):
    return (
        [event.pk for event in page.object_list],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.paginator.more,
        page.has_next(),
        page.has_previous(),
    )


@pytest.mark.parametrize("number", [None, "", "x", "1", "2", "3", "4", "99", "-1"])
def test_every_page_is_the_capped_paginators_page(erm, number):
    keyed = _shape(_keyed(erm).get_page(number))
    assert keyed == _shape(_capped(erm).get_page(number))
    assert keyed[0], "every page number lands on a page with events"


def test_it_lists_only_the_users_events_newest_first(erm):
    listed = [event for number in (1, 2, 3) for event in _keyed(erm).get_page(number).object_list]
    assert [event.pk for event in listed] == list(
        Event.objects.visible_to(erm).order_by("-occurred_at", "-pk").values_list("pk", flat=True)
    )
    assert not any(event.summary.startswith("Elsewhere") for event in listed)


@pytest.mark.parametrize("number", ["1", "2", "3"])
def test_beyond_the_cap_it_says_more_than_as_the_capped_paginator_does(erm, monkeypatch, number):
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 15)
    keyed, capped = _keyed(erm).get_page(number), _capped(erm).get_page(number)
    assert _shape(keyed) == _shape(capped)
    assert keyed.paginator.more and keyed.paginator.count == 15


def test_a_page_is_two_queries_the_keys_with_the_count_then_the_events(erm):
    paginator = _keyed(erm)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(2)
        assert len(page.object_list) == 10 and paginator.count == 23
    assert len(queries) == 2


def test_filters_narrow_the_scope_and_never_widen_it(erm):
    wanted = Event.objects.filter(summary__in=["Event 3", "Event 7", "Elsewhere 1"])
    page = _keyed(erm, narrowed=wanted).get_page(1)
    assert sorted(event.summary for event in page.object_list) == ["Event 3", "Event 7"]
    assert page.paginator.count == 2


def test_filters_that_match_nothing_give_one_empty_page(erm):
    for narrowed in (Event.objects.filter(summary="none such"), Event.objects.filter(pk__in=[])):
        page = _keyed(erm, narrowed=narrowed).get_page(1)
        assert list(page.object_list) == [] and page.paginator.count == 0 and page.number == 1
