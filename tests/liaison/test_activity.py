"""The activity page: the append-only events each role's scope covers, filtered, paged and exported."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.events import event_record
from liaison.models import Event, Role
from tests.boards.factories import MeetingFactory, board_for
from tests.factories import user_with_role
from tests.helpers import body

pytestmark = pytest.mark.django_db


def events(world):
    """One event per place, each named after where it happened."""
    erm = world.users["erm"]
    event_record(kind="contact.created", summary="JCP contact added in One", actor=erm, district=world.d1)
    event_record(kind="contact.created", summary="JCP contact added in Three", district=world.d3)
    event_record(kind="contact.created", summary="Contact added at Authority One", local_authority=world.la1)
    event_record(kind="contact.created", summary="Contact added at Authority Straddle", local_authority=world.la12)
    event_record(
        kind="issue.logged", summary="Issue between One and Authority One", district=world.d1, local_authority=world.la1
    )
    event_record(
        kind="issue.logged",
        summary="Issue between One and Authority Straddle",
        district=world.d1,
        local_authority=world.la12,
    )
    event_record(kind="board.created", summary="Board set up in Two", district=world.d2)
    event_record(kind="agreement.signed", summary="Statement signed at Authority Three", local_authority=world.la3)
    # A straddling LA's event named with the other district belongs to that district, not to every district of the LA.
    event_record(
        kind="alert.raised",
        summary="Alert for Two and Authority Straddle",
        district=world.d2,
        local_authority=world.la12,
    )
    # An event about a thing is seen by those who see the thing: this board is District Two's and the Straddle LA's.
    board = board_for(world, district=world.d2, authority=world.la12, title="Straddle board")
    event_record(kind="board.created", summary="Straddle board set up", subject=board, district=world.d2)
    meeting = MeetingFactory(board=board)
    event_record(kind="meeting.held", summary="Straddle board met", subject=meeting, district=world.d2)


EVERYTHING = {
    "JCP contact added in One",
    "JCP contact added in Three",
    "Contact added at Authority One",
    "Contact added at Authority Straddle",
    "Issue between One and Authority One",
    "Issue between One and Authority Straddle",
    "Board set up in Two",
    "Statement signed at Authority Three",
    "Alert for Two and Authority Straddle",
    "Straddle board set up",
    "Straddle board met",
}

# What each role's scope covers (world: erm etc. in d1, la-manager at la1, regional-erm over North = d1 and d2).
SEES = {
    "erm": {
        "JCP contact added in One",
        "Contact added at Authority One",
        "Contact added at Authority Straddle",
        "Issue between One and Authority One",
        "Issue between One and Authority Straddle",
    },
    "la-manager": {
        "JCP contact added in One",
        "Contact added at Authority One",
        "Issue between One and Authority One",
    },
    "regional-erm": EVERYTHING - {"JCP contact added in Three", "Statement signed at Authority Three"},
    "la12-manager": {
        # Events naming only a district of theirs (here without a subject) are the JCP side's, which LA roles see.
        "JCP contact added in One",
        "Board set up in Two",
        "Contact added at Authority Straddle",
        "Issue between One and Authority Straddle",
        "Alert for Two and Authority Straddle",
        "Straddle board set up",
        "Straddle board met",
    },
    "gpt": EVERYTHING,
    "admin": EVERYTHING,
}


def shown(client, **params) -> set[str]:
    page = client.get(reverse("activity"), params).content.decode()
    return {summary for summary in EVERYTHING if summary in page}


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_only_its_scope_on_the_page_and_in_the_export(client, world, role):
    events(world)
    users = {**world.users, "la12-manager": user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la12)}
    client.force_login(users[role])
    assert shown(client) == SEES[role]
    exported = csv.DictReader(io.StringIO(body(client.get(reverse("activity-export"))).decode("utf-8-sig")))
    assert {row["What happened"] for row in exported} == SEES[role]


def test_filters_narrow_by_area_district_period_and_words(client, world):
    events(world)
    Event.objects.create(
        kind="meeting.held",
        summary="Meeting held in Two last year",
        district=world.d2,
        occurred_at=timezone.now() - datetime.timedelta(days=400),
    )
    client.force_login(world.users["gpt"])
    assert shown(client, area="issues") == {
        "Issue between One and Authority One",
        "Issue between One and Authority Straddle",
    }
    page = client.get(reverse("activity"), {"area": "boards"}).content.decode()
    assert "Board set up in Two" in page and "Meeting held in Two last year" in page
    page = client.get(reverse("activity"), {"area": "boards", "period": "year"}).content.decode()
    assert "Board set up in Two" in page and "Meeting held in Two last year" not in page
    # An event naming only an LA belongs to each district the LA sits in; one naming a district, to that district.
    assert shown(client, district="d2") == {
        "Contact added at Authority Straddle",
        "Board set up in Two",
        "Alert for Two and Authority Straddle",
        "Straddle board set up",
        "Straddle board met",
    }
    assert shown(client, q="straddle issue") == {"Issue between One and Authority Straddle"}


def test_bad_filters_are_explained_and_the_export_is_not_widened(client, world):
    events(world)
    client.force_login(world.users["erm"])
    response = client.get(reverse("activity"), {"q": "x" * 101, "district": "d3"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Search must be 100 characters or fewer" in page
    assert "0 events." in page and "JCP contact added in One" not in page
    page = client.get(reverse("activity"), {"period": "bogus"}).content.decode()
    assert "There is a problem" in page and "0 events." in page
    export = client.get(reverse("activity-export"), {"district": "d3"})
    assert export.status_code == 302 and export["Location"].startswith(reverse("activity"))


def test_queries_do_not_grow_with_events(client, world, django_assert_max_num_queries):
    client.force_login(world.users["erm"])

    def grow(n):
        for i in range(n):
            event_record(
                kind="issue.logged",
                summary=f"Issue {i}",
                actor=world.users["erm"],
                district=world.d1,
                local_authority=world.la12,
            )

    grow(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activity"))
        body(client.get(reverse("activity-export")))
    grow(80)
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("activity")).content.decode()
        exported = body(client.get(reverse("activity-export"))).decode("utf-8-sig")
    assert 'aria-label="Page 1" aria-current="page"' in page and 'aria-label="Page 2"' in page
    assert exported.count("Issue ") == 83


def test_a_trail_longer_than_the_count_cap_says_more_than_and_still_exports_every_row(client, world, monkeypatch):
    from liaison import pagination
    from liaison.events import event_build, events_record

    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 60)
    events_record([event_build(kind="issue.logged", summary=f"Issue {i}", district_id=world.d1.pk) for i in range(75)])
    client.force_login(world.users["erm"])
    page = client.get(reverse("activity")).content.decode()
    assert "More than 60 events: the first 60 are listed here." in page
    assert 'aria-label="Page 2"' in page and 'aria-label="Page 3"' not in page
    exported = body(client.get(reverse("activity-export"))).decode("utf-8-sig")
    assert exported.count("Issue ") == 75


def test_the_district_page_links_to_its_activity(client, world):
    events(world)
    client.force_login(world.users["erm"])
    page = client.get(reverse("district-detail", args=["d1"])).content.decode()
    assert f'href="{reverse("activity")}?district=d1"' in page
