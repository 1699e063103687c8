"""`ResolutionTally`: the national statistics' spread of working days to resolution, kept by the services that
resolve and reopen an issue, always equal to a recount over the issues, and refused actions leave it alone."""

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from escalation import services
from escalation.models import Issue, ResolutionTally
from escalation.route import Refused
from escalation.selectors import national_statistics

pytestmark = pytest.mark.django_db


def _recount() -> dict[int, int]:
    return dict(
        Issue.objects.filter(working_days_to_resolution__isnull=False)
        .order_by()
        .values_list("working_days_to_resolution")
        .annotate(n=Count("*"))
    )


def _tally() -> dict[int, int]:
    return dict(ResolutionTally.objects.filter(issues__gt=0).values_list("working_days", "issues"))


def _resolve(route, issue, *, days_ago: int = 0):
    at = timezone.now()
    Issue.objects.filter(pk=issue.pk).update(created_at=at - datetime.timedelta(days=days_ago))
    issue.refresh_from_db()
    return services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed")


def test_resolving_and_reopening_keep_the_tally_equal_to_a_recount(route):
    first = _resolve(route, route.issue(attempts_made=True, attempts_detail="Calls"), days_ago=14)
    second = _resolve(route, route.issue(attempts_made=True, attempts_detail="Calls"), days_ago=14)
    third = _resolve(route, route.issue(attempts_made=True, attempts_detail="Calls"))
    assert _tally() == _recount() == {first.working_days_to_resolution: 2, 0: 1}
    assert first.working_days_to_resolution > 0
    assert national_statistics()["median_working_days"] == first.working_days_to_resolution
    assert national_statistics()["resolved_total"] == 3

    closed = services.issue_communicate_outcome(actor=route.users["erm"], issue=third, version=third.version)
    services.issue_reopen(actor=route.users["la-manager"], issue=closed, version=closed.version, reason="Back again")
    assert _tally() == _recount() == {first.working_days_to_resolution: 2}
    assert national_statistics()["resolved_total"] == 2
    assert second.working_days_to_resolution == first.working_days_to_resolution


def test_a_refused_resolution_leaves_the_tally_alone(route):
    issue = _resolve(route, route.issue(attempts_made=True, attempts_detail="Calls"))
    before = _tally()
    with pytest.raises(Refused):
        services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Again")
    assert _tally() == before == _recount()


def test_a_recount_mends_the_tally_after_a_bulk_write(route):
    issue = _resolve(route, route.issue(attempts_made=True, attempts_detail="Calls"))
    Issue.objects.filter(pk=issue.pk).update(working_days_to_resolution=7)
    assert _tally() != _recount()
    assert services.resolution_tally_rebuild() == 1
    assert _tally() == _recount() == {7: 1}
    assert national_statistics()["median_working_days"] == 7
