"""A NINO typed into an issue, its updates or reasons is refused on the page, says where, and changes nothing."""

import pytest
from django.urls import reverse

from escalation.models import Issue, IssueStep
from tests.escalation.test_pages import action, new_issue_data

NINO = "The customer QQ 12 34 56 C rang twice"


@pytest.mark.django_db
def test_logging_an_issue_with_a_nino_is_refused_and_says_where(route, client):
    client.force_login(route.users["erm"])
    response = client.post(reverse("issue-create"), new_issue_data(route, description=NINO))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Remove the National Insurance number from the description" in page
    assert 'href="#id_description"' in page
    assert "QQ 12 34 56 C" in page  # what was typed is kept, for the user to correct
    assert not Issue.objects.exists()


@pytest.mark.django_db
def test_an_update_or_reason_with_a_nino_changes_nothing(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    steps = IssueStep.objects.count()
    client.force_login(route.users["erm"])
    response = client.post(
        action(issue, "escalate"), {"escalate-version": issue.version, "escalate-reason": "Ref AB123456C"}
    )
    assert response.status_code == 200
    assert "Remove the National Insurance number from the reason" in response.content.decode()
    issue.refresh_from_db()
    assert issue.level == "district-erm" and IssueStep.objects.count() == steps
