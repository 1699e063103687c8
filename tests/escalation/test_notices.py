"""Who the escalation route tells: through the outbox, never breaking the action that causes the email."""

import socket

import pytest
from django.urls import reverse

from escalation import services
from escalation.models import Status
from liaison.models import Notification
from liaison.notifications import deliver_due

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_communicating_the_outcome_commits_and_confirms_while_the_mail_server_is_down(
    route, client, smtp_mail, settings, django_capture_on_commit_callbacks
):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    issue = services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed")
    up = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    client.force_login(route.users["erm"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("issue-action", args=[issue.pk, "communicate"]),
            {"communicate-version": issue.version, "communicate-message": "Thanks for waiting"},
            follow=True,
        )
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    assert "Thanks for waiting" in response.content.decode()  # the words the user typed are kept on the timeline
    [row] = Notification.objects.filter(kind="issue-outcome")
    assert row.sent_at is None and row.failed_at and "Connection refused" in row.failure_reason

    settings.EMAIL_PORT = up  # the server is back: the retry sends it
    assert deliver_due(now=row.next_attempt_at)["sent"] == 1
    [message] = smtp_mail.to(route.la1_originator.email)
    assert message["Subject"] == f"Outcome of {issue.reference}: {issue.title}"
    assert issue.get_absolute_url() in message.get_body(("plain",)).get_content()
