"""A district flagged "managed by the Country/Region ERM" while issues wait at its District ERM (Appendix 2)."""

import datetime

import pytest
from django.utils import timezone

from escalation import route as escalation_route
from escalation.models import Level, Status, StepKind
from liaison.alerts import scan_deadlines
from liaison.models import Alert, District

pytestmark = pytest.mark.django_db


def stalled_issue(route):
    return route.issue(attempts_made=True, attempts_detail="Calls", at=timezone.now() - datetime.timedelta(weeks=4))


def test_the_stalled_check_survives_a_district_flipped_to_the_region_and_alerts_the_regional_erm(route):
    issue = stalled_issue(route)
    assert issue.level == Level.DISTRICT_ERM
    # Flipped without the admin page (a bulk change): the issue still stands at a level its route no longer has.
    District.objects.filter(pk=issue.district_id).update(managed_by_region=True)
    issue.refresh_from_db()

    assert escalation_route.next_level(issue) == Level.REGIONAL_ERM
    result = scan_deadlines(codes=["issue-stalled"])
    assert result.failed == []
    assert result.raised == 1
    alert = Alert.objects.open().get(check_code="issue-stalled")
    assert route_users(alert) >= {route.users["regional-erm"]}


def route_users(alert):
    return {delivery.user for delivery in alert.deliveries.all()}


def test_flagging_the_district_in_admin_hands_its_waiting_issues_on_to_the_regional_erm(route, client):
    issue = stalled_issue(route)
    admin = route.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    district = issue.district
    response = client.post(
        f"/admin/liaison/district/{district.pk}/change/",
        {"name": district.name, "code": district.code, "region": district.region_id, "managed_by_region": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    issue.refresh_from_db()
    assert (issue.level, issue.status) == (Level.REGIONAL_ERM, Status.ESCALATED)
    step = issue.steps.order_by("-at", "-id").first()
    assert (step.kind, step.from_level, step.to_level, step.actor) == (
        StepKind.ESCALATED,
        Level.DISTRICT_ERM,
        Level.REGIONAL_ERM,
        admin,
    )
    assert "managed by the Country/Region ERM" in step.text
    assert escalation_route.holds_level(route.users["regional-erm"], issue)
    assert not escalation_route.holds_level(route.users["erm"], issue)

    # Saving the district again moves nothing twice.
    client.post(
        f"/admin/liaison/district/{district.pk}/change/",
        {"name": district.name, "code": district.code, "region": district.region_id, "managed_by_region": "on"},
    )
    assert issue.steps.filter(kind=StepKind.ESCALATED).count() == 1
