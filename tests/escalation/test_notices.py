"""Who the escalation route tells: through the outbox, never breaking the action that causes the email."""

import socket

import pytest
from django.urls import reverse

from escalation import services
from escalation.models import Level, Status
from liaison.models import IssueCategory, Notification
from liaison.notifications import deliver_due
from tests.helpers import sent_mail

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


def _mail_to(address):
    return [m for m in sent_mail() if address in m.to]


def test_a_referred_issue_emails_the_operational_contact_and_their_user(route, world):
    contact = route.la1_nominated
    contact.user = world.users["la-manager"]
    contact.save()
    issue = services.issue_log(
        actor=route.users["erm"],
        title="Claims late",
        description="Claims reach us three weeks late.",
        category=IssueCategory.objects.get(code="new-claims-delay"),
        direction="to-jcp",
        district=world.d1,
        local_authority=world.la1,
        originator=route.la1_originator,
        attempts_made=False,
        operational_contact=route.dpm["d1"],
    )
    [told] = _mail_to(route.dpm["d1"].email)
    assert told.subject == f"Issue referred to you: {issue.reference} Claims late"
    assert "Claims reach us three weeks late." in told.body and "Please reply to" in told.body
    assert "Why you got this email: you are the operational contact" in told.body
    assert issue.get_absolute_url() in told.body


def test_a_referred_contact_with_an_account_is_emailed_at_the_accounts_address(route, world):
    contact = route.dpm["d1"]
    contact.user = world.users["monitor"]
    contact.save()
    route.issue(operational_contact=contact)
    assert len(_mail_to(world.users["monitor"].email)) == 1
    assert _mail_to(contact.email) == [] or contact.email == world.users["monitor"].email


def test_escalating_emails_every_holder_of_the_new_level_and_reopening_the_holders(route, world):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    assert issue.level == Level.DISTRICT_ERM
    sent_mail().clear()
    issue = services.issue_escalate(actor=route.users["erm"], issue=issue, version=issue.version, reason="Stuck")
    [told] = _mail_to(route.users["regional-erm"].email)
    assert told.subject.startswith(f"{issue.reference} escalated, now at your level")
    assert "Stuck" in told.body and "you hold the Country/Regional ERM level" in told.body
    assert not _mail_to(route.users["erm"].email)  # the one who escalated is not told of their own act

    issue = services.issue_resolve(actor=route.users["regional-erm"], issue=issue, version=issue.version, outcome="Ok")
    issue = services.issue_communicate_outcome(actor=route.users["regional-erm"], issue=issue, version=issue.version)
    sent_mail().clear()
    services.issue_reopen(actor=route.users["erm"], issue=issue, version=issue.version, reason="It came back")
    [told] = _mail_to(route.users["regional-erm"].email)
    assert "reopened" in told.subject and "It came back" in told.body
