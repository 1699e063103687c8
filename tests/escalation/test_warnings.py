"""Pre-breach warnings go once, through the same scan; alerts clear with the act that clears them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation import services
from escalation.selectors import level_due, level_targets
from liaison import calendar
from liaison.alerts import scan_deadlines
from liaison.models import Alert
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


def test_an_issue_near_its_target_warns_its_holders_once_however_often_scanned(route, settings):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    due = level_due(issue, level_targets())
    nation = issue.local_authority.nation
    two_before = due
    for _ in range(settings.ESCALATION_WARNING_WORKING_DAYS):
        two_before -= datetime.timedelta(days=1)
        while not calendar.is_working_day(two_before, nation):
            two_before -= datetime.timedelta(days=1)
    earlier = two_before - datetime.timedelta(days=1)
    while not calendar.is_working_day(earlier, nation):
        earlier -= datetime.timedelta(days=1)

    assert scan_deadlines(today=earlier, codes=["issue-target-near"]).raised == 0
    first = scan_deadlines(today=two_before, codes=["issue-target-near"])
    second = scan_deadlines(today=two_before, codes=["issue-target-near"])
    assert (first.raised, first.emails, second.raised, second.emails) == (1, 1, 0, 0)
    [warning] = [m for m in sent_mail() if "is due at District ERM" in m.subject]
    assert warning.to == [route.users["erm"].email] and issue.get_absolute_url() in warning.body
    # Resolving it clears the warning there and then.
    services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Done")
    assert not Alert.objects.open().filter(check_code="issue-target-near").exists()


def test_confirming_contacts_clears_the_alert_at_once(world, client):
    from tests.factories import ContactFactory

    stale = ContactFactory(district=world.d1, last_confirmed=datetime.date(2020, 1, 1))
    scan_deadlines(codes=["contacts-unconfirmed"])
    assert Alert.objects.open().filter(check_code="contacts-unconfirmed", key="district:d1").exists()
    client.force_login(world.users["erm"])
    response = client.post(reverse("district-confirm", args=["d1"]), {"contacts": [stale.pk]})
    assert response.status_code == 302
    assert not Alert.objects.open().filter(check_code="contacts-unconfirmed").exists()
    home = client.get(reverse("home")).content.decode()
    assert "not confirmed since" not in home


def test_the_home_page_says_when_it_shows_fewer_issues_than_there_are(route, client):
    for n in range(6):
        route.issue(attempts_made=True, attempts_detail="Calls", title=f"Issue {n}", at=timezone.now())
    client.force_login(route.users["erm"])
    page = client.get(reverse("home")).content.decode()
    assert "6 issues at your level." in page
    assert "The 5 that have waited longest are shown here" in page
