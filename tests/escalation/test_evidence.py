"""The escalation route's evidence for the Joint Boards' management information, recounted from the issues made."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.evidence import evidence_sources
from escalation import evidence
from escalation.models import Issue, Level, Status
from liaison import calendar
from liaison.models import IssueCategory
from tests.boards.factories import board_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=60), TODAY - datetime.timedelta(days=10)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))


def _set(issue: Issue, **fields) -> Issue:
    Issue.objects.filter(pk=issue.pk).update(**fields)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def boards(world):
    return board_for(world, title="Board One"), board_for(world, district=world.d2, authority=world.la2, title="Two")


def _resolved(route, *, created, level_since, resolved, days, level=Level.DISTRICT_ERM, **kwargs):
    issue = route.issue(**kwargs)
    return _set(
        issue, created_at=_at(created), level=level, level_since=_at(level_since), resolved_at=_at(resolved),
        status=Status.CLOSED, closed_at=_at(resolved), outcome="Sorted", working_days_to_resolution=days,
    )  # fmt: skip


def test_figures_recount_issues_of_the_boards_district_and_la_pairs(route, world, boards):
    one, two = boards
    # Board One: raised in the period and still open, long stalled at the District ERM.
    stalled = _set(
        route.issue(), created_at=_at(START + datetime.timedelta(days=3)), level=Level.DISTRICT_ERM,
        level_since=_at(TODAY - datetime.timedelta(days=40)), status=Status.ESCALATED,
    )  # fmt: skip
    # Raised before the period, resolved in it within the District ERM's 10 working days.
    on_time = _resolved(
        route, created=START - datetime.timedelta(days=20), level_since=START + datetime.timedelta(days=1),
        resolved=START + datetime.timedelta(days=4), days=7,
    )  # fmt: skip
    # Raised and resolved in the period, 30 days after reaching the level: late.
    late = _resolved(
        route, created=START + datetime.timedelta(days=2), level_since=START + datetime.timedelta(days=2),
        resolved=START + datetime.timedelta(days=32), days=21,
    )  # fmt: skip
    # Resolved after the period: open at its end.
    _resolved(
        route, created=START + datetime.timedelta(days=5), level_since=START + datetime.timedelta(days=5),
        resolved=END + datetime.timedelta(days=2), days=30,
    )  # fmt: skip
    # District One with the straddling LA: a pair no board covers (Board One has Authority One only).
    _set(
        route.issue(local_authority=world.la12, originator=route.jcp_originator),
        created_at=_at(START + datetime.timedelta(days=1)),
    )
    # Board Two's own.
    _set(
        route.issue(actor="regional-erm", district=world.d2, local_authority=world.la2, originator=route.dpm["d2"]),
        created_at=_at(START + datetime.timedelta(days=1)),
    )

    figures = evidence.figures([one.pk, two.pk], START, END)
    assert figures[one.pk]["issues-raised"] == 3  # the stalled one, the late one, the one resolved after the period
    assert figures[one.pk]["issues-resolved"] == 2
    assert figures[one.pk]["issues-open"] == 2  # the stalled one and the one resolved after the period
    assert figures[one.pk]["issues-within-target"] == 50.0
    assert figures[one.pk]["issues-median-days"] == (7 + 21) / 2
    due = calendar.add_working_days(timezone.localdate(stalled.level_since), 10, "ENG")
    assert due < TODAY
    assert figures[one.pk]["issues-stalled"] == 1
    assert figures[two.pk]["issues-raised"] == 1 and figures[two.pk]["issues-resolved"] == 0
    assert on_time.resolved_at.date() <= END and late.resolved_at.date() <= END

    section = evidence.section(one, START, END)
    categories = section.tables[0]
    assert categories.rows == [[IssueCategory.objects.get(code="new-claims-delay").name, 3, 2, 2]]
    levels = {row[0]: row for row in section.tables[1].rows}
    assert levels["District ERM"][1:] == [2, 2, "50.0%", "14.0"]
    assert dict(section.headlines)["Issues stalled now"] == "1"


def test_figures_take_a_fixed_number_of_queries_for_any_number_of_boards(route, world, boards):
    one, two = boards
    route.issue()
    evidence.figures([one.pk], START, TODAY)  # what is kept between requests (the level targets) read once
    with CaptureQueriesContext(connection) as few:
        evidence.figures([one.pk], START, TODAY)
    more = [board_for(world, title=f"Extra {n}") for n in range(4)]
    with CaptureQueriesContext(connection) as many:
        evidence.figures([one.pk, two.pk, *[b.pk for b in more]], START, TODAY)
    assert len(many) == len(few)


def test_the_issues_source_is_registered_with_boards():
    assert "issues" in {source.key for source in evidence_sources()}
