"""The demo issues cover every level, state and direction, give every demo user a queue, and load only once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from escalation.models import Direction, Issue, IssueStep, Level, Status
from escalation.selectors import my_queue, raised_by
from liaison.alerts import scan_deadlines
from liaison.models import Alert

pytestmark = pytest.mark.django_db

DEMO_USERS = ["erm", "district-manager", "la-manager", "monitor", "regional-erm", "odn", "gpt", "admin"]


def test_demo_issues_cover_the_route_and_load_once():
    call_command("load_demo", "--no-scan", verbosity=0)
    counts = (Issue.objects.count(), IssueStep.objects.count())
    call_command("load_demo", "--no-scan", verbosity=0)
    assert (Issue.objects.count(), IssueStep.objects.count()) == counts

    assert set(Issue.objects.values_list("level", flat=True)) == set(Level.values)
    assert set(Issue.objects.values_list("status", flat=True)) >= {
        Status.REFERRED,
        Status.NEW,
        Status.ESCALATED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.CLOSED,
        Status.REOPENED,
    }
    assert set(Issue.objects.values_list("direction", flat=True)) == set(Direction.values)

    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
    for username in DEMO_USERS:
        user = users[username]
        assert my_queue(user=user).exists() or raised_by(user=user).exists(), username
    for username in ("erm", "district-manager", "la-manager", "regional-erm", "odn", "gpt"):
        assert my_queue(user=users[username]).exists(), username

    scan_deadlines()
    stalled = Alert.objects.open().filter(check_code="issue-stalled")
    assert stalled.count() >= 3
    assert Alert.objects.open().filter(check_code="issue-outcome-not-communicated").count() == 1


def test_loading_the_demo_again_keeps_what_users_changed():
    call_command("load_demo", "--no-scan", verbosity=0)
    renamed = Issue.objects.get(title="Change of circumstances not reaching Manchester")
    renamed.title = "CoC notifications missing (renamed by the ERM)"
    renamed.save()
    count = Issue.objects.count()

    call_command("load_demo", "--no-scan", verbosity=0)

    assert Issue.objects.count() == count
    assert Issue.objects.get(pk=renamed.pk).title == "CoC notifications missing (renamed by the ERM)"
    assert not Issue.objects.filter(title="Change of circumstances not reaching Manchester").exists()
