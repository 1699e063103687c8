"""The scan raises "stalled at level" and "outcome not communicated" once, emails once, and clears when acted on."""

import datetime

import pytest
from django.utils import timezone

from escalation import services
from escalation.models import LevelTarget
from liaison.alerts import scan_deadlines
from liaison.models import Alert
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db

CODES = ["issue-stalled", "issue-outcome-not-communicated"]


def weeks_ago(n):
    return timezone.now() - datetime.timedelta(weeks=n)


def test_a_stalled_issue_alerts_its_holder_and_the_next_level_once_and_clears_when_escalated(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls", at=weeks_ago(4))
    first = scan_deadlines(codes=CODES)
    assert first.raised == 1 and first.emails == 2
    alert = Alert.objects.open().get(check_code="issue-stalled")
    assert {d.user for d in alert.deliveries.all()} == {route.users["erm"], route.users["regional-erm"]}
    assert issue.reference in alert.title and "District ERM" in alert.title
    assert sorted(m.to[0] for m in sent_mail()) == sorted([route.users["erm"].email, route.users["regional-erm"].email])

    again = scan_deadlines(codes=CODES)
    assert (again.raised, again.emails, again.still_open) == (0, 0, 1)
    assert Alert.objects.filter(check_code="issue-stalled").count() == 1
    assert len(sent_mail()) == 2

    issue.refresh_from_db()
    services.issue_escalate(actor=route.users["erm"], issue=issue, version=issue.version, reason="Needs the region")
    # The alert clears with the escalation itself, not at the next scan.
    assert not Alert.objects.open().exists()
    assert Alert.objects.get(check_code="issue-stalled").cleared_at is not None
    cleared = scan_deadlines(codes=CODES)
    assert cleared.cleared == 0 and cleared.raised == 0


def test_the_level_target_is_configurable(route):
    route.issue(attempts_made=True, attempts_detail="Calls", at=timezone.now() - datetime.timedelta(days=6))
    LevelTarget.objects.update_or_create(stage="district-erm", defaults={"working_days": 10})
    assert scan_deadlines(codes=CODES).raised == 0
    LevelTarget.objects.update_or_create(stage="district-erm", defaults={"working_days": 1})
    assert scan_deadlines(codes=CODES).raised == 1


def test_an_uncommunicated_outcome_alerts_until_it_is_communicated(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls", at=weeks_ago(3))
    issue = services.issue_resolve(
        actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed", at=weeks_ago(2)
    )
    # Resolved two weeks ago, its outcome is already late: the resolution raises the alert, the scan does not again.
    result = scan_deadlines(codes=CODES)
    assert result.by_check["issue-outcome-not-communicated"] == {"raised": 0, "cleared": 0, "open": 1, "emails": 0}
    assert result.by_check["issue-stalled"]["raised"] == 0
    alert = Alert.objects.open().get()
    assert alert.check_code == "issue-outcome-not-communicated"
    assert [d.user for d in alert.deliveries.all()] == [route.users["erm"]]
    assert scan_deadlines(codes=CODES).raised == 0

    services.issue_communicate_outcome(actor=route.users["erm"], issue=issue, version=issue.version)
    assert not Alert.objects.open().exists()
    assert scan_deadlines(codes=CODES).cleared == 0


def test_a_reopened_issue_that_stalls_again_is_a_new_alert(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls", at=weeks_ago(12))
    issue = services.issue_resolve(
        actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed", at=weeks_ago(11)
    )
    issue = services.issue_communicate_outcome(
        actor=route.users["erm"], issue=issue, version=issue.version, at=weeks_ago(11)
    )
    services.issue_reopen(
        actor=route.users["la-manager"], issue=issue, version=issue.version, reason="Back again", at=weeks_ago(6)
    )
    # Reopened six weeks ago it is already past its target: the reopening itself raises the alert, once.
    assert Alert.objects.open().get().check_code == "issue-stalled"
    assert scan_deadlines(codes=CODES).raised == 0
