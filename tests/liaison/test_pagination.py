"""OnePassPaginator counts in the query that reads the page; it must page exactly as CappedPaginator does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import pagination
from liaison.events import event_build, events_record
from liaison.models import Event
from liaison.pagination import CappedPaginator, OnePassPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(world):
    events_record([event_build(kind="issue.logged", summary=f"Event {i}", district_id=world.d1.pk) for i in range(23)])
    return Event.objects.visible_to(world.users["erm"]).order_by("-occurred_at", "-pk")


def _shape(page):
    return (
        [event.summary for event in page.object_list],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.paginator.more,
        page.has_next(),
        page.has_previous(),
    )


@pytest.mark.parametrize("number", [None, "", "x", "1", "2", "3", "4", "99", "-1"])
def test_every_page_is_the_capped_paginators_page(trail, number):
    assert _shape(OnePassPaginator(trail, 10).get_page(number)) == _shape(CappedPaginator(trail, 10).get_page(number))


@pytest.mark.parametrize("number", ["1", "2", "3"])
def test_beyond_the_cap_it_says_more_than_as_the_capped_paginator_does(trail, monkeypatch, number):
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 15)
    one_pass, capped = OnePassPaginator(trail, 10).get_page(number), CappedPaginator(trail, 10).get_page(number)
    assert _shape(one_pass) == _shape(capped)
    assert one_pass.paginator.more and one_pass.paginator.count == 15


def test_a_page_is_one_query(trail):
    paginator = OnePassPaginator(trail, 10)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(2)
        assert len(page.object_list) == 10 and paginator.count == 23
    assert len(queries) == 1


def test_an_empty_list_is_one_empty_page(world):
    nothing = Event.objects.visible_to(world.users["erm"]).filter(summary="none such").order_by("-occurred_at")
    page = OnePassPaginator(nothing, 10).get_page(1)
    assert list(page.object_list) == [] and page.paginator.count == 0 and page.number == 1
