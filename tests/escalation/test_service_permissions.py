"""Each service that checks its actor refuses one out of scope directly, and changes nothing when it does.

The pages check too, so without these tests a service's own check could be removed unnoticed.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from escalation import services
from escalation.models import Direction, Issue, Status
from liaison.models import IssueCategory, Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def snapshot(issue):
    fresh = Issue.objects.get(pk=issue.pk)
    return (fresh.version, fresh.status, fresh.level, fresh.outcome, fresh.steps.count(), len(mail.outbox))


@pytest.fixture
def outsiders(route, world):
    """An ERM of another district (cannot see the issue) and a manager who sees it but holds no level."""
    return [user_with_role(Role.ERM, district=world.d3, username="erm-d3"), route.users["district-manager"]]


def test_logging_outside_scope_is_refused_and_saves_nothing(route, world):
    before = Issue.objects.count()
    with pytest.raises(PermissionDenied):
        services.issue_log(
            actor=user_with_role(Role.ERM, district=world.d3, username="erm-d3"),
            title="Not mine",
            description="Elsewhere",
            category=IssueCategory.objects.order_by("pk").first(),
            direction=Direction.TO_JCP,
            district=world.d1,
            local_authority=world.la1,
            originator=route.la1_originator,
            attempts_made=False,
        )
    assert Issue.objects.count() == before


def test_update_escalate_and_resolve_outside_scope_are_refused(route, outsiders):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    before = snapshot(issue)
    for actor in outsiders:
        with pytest.raises(PermissionDenied):
            services.issue_update_record(actor=actor, issue=issue, version=issue.version, text="Not mine")
        with pytest.raises(PermissionDenied):
            services.issue_escalate(actor=actor, issue=issue, version=issue.version, reason="Not mine")
        with pytest.raises(PermissionDenied):
            services.issue_resolve(actor=actor, issue=issue, version=issue.version, outcome="Not mine")
    assert snapshot(issue) == before


def test_communicating_outside_scope_is_refused_and_sends_nothing(route, outsiders):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    issue = services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed")
    before = snapshot(issue)
    for actor in outsiders:
        with pytest.raises(PermissionDenied):
            services.issue_communicate_outcome(actor=actor, issue=issue, version=issue.version)
    assert snapshot(issue) == before
    assert Issue.objects.get(pk=issue.pk).status == Status.RESOLVED


def test_reopening_outside_scope_is_refused(route, world):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    issue = services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed")
    issue = services.issue_communicate_outcome(actor=route.users["erm"], issue=issue, version=issue.version)
    before = snapshot(issue)
    for actor in (user_with_role(Role.ERM, district=world.d3, username="erm-d3"), route.users["monitor"]):
        with pytest.raises(PermissionDenied):
            services.issue_reopen(actor=actor, issue=issue, version=issue.version, reason="Not mine")
    assert snapshot(issue) == before
    assert Issue.objects.get(pk=issue.pk).status == Status.CLOSED
