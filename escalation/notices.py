"""Who the escalation route tells, and what: written to the core's outbox from the services' transactions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from escalation.models import Issue
from escalation.route import HolderIndex
from liaison.mail import case_detail_recipients
from liaison.notifications import Message, contact_recipient, notify_many, register_kind

REFERRED = register_kind("issue-referred", "Issues referred to you", mandatory=True)
AT_YOUR_LEVEL = register_kind("issue-at-your-level", "Issues escalated or reopened at your level", mandatory=True)
OUTCOME = register_kind("issue-outcome", "Outcome of an issue you raised or were copied into", for_users=False)


def _name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "Liaison"
    return user.get_full_name() or user.username


def referred(*, issue: Issue, actor, step_id: int) -> None:
    """The operational contact, by email even without an account, and their user if one is linked."""
    contact = issue.operational_contact
    if contact is None:
        return
    raised_by = _name(actor)
    manager = "the Regional ERM" if issue.district.managed_by_region else "the District ERM"
    body = (
        f"{issue.reference}: {issue.title}\n\n"
        f"{raised_by} raised this issue with you, as {contact.role} for {contact.organisation}, to resolve at the "
        f"lowest operational level.\n\nWhat was raised:\n{issue.description}\n\n"
        f"Please reply to {raised_by} ({getattr(actor, 'email', '') or 'through Liaison'}), or to {manager} for "
        f"{issue.district.name}, who records progress for you if you do not use Liaison."
    )
    notify_many(
        [
            Message(
                kind=REFERRED.code,
                dedupe_key=f"issue-referred:{issue.pk}:{step_id}",
                title=f"Issue referred to you: {issue.reference} {issue.title}",
                body=body,
                reason=f"you are the operational contact {issue.reference} was referred to.",
                url=issue.get_absolute_url(),
                about=issue,
                **contact_recipient(contact),
            )
        ]
    )


def at_level(*, issue: Issue, actor, step_id: int, what: str, text: str) -> None:
    """Every holder of the issue's (new) level: escalated to them, or reopened at their level. `what` reads
    "escalated to", "reopened at" ... before the level's name."""
    holders = HolderIndex.load().holders(issue) - {getattr(actor, "pk", None)}
    users = get_user_model().objects.filter(pk__in=holders, is_active=True).order_by("pk")
    body = (
        f"{issue.reference}: {issue.title}\n\n{_name(actor)} {what} {issue.level_label} on "
        f"{timezone.localtime():%-d %B %Y}.\n\nReason given:\n{text}\n\nResolve it, or escalate it with the reason "
        "it cannot be resolved at your level."
    )
    notify_many(
        [
            Message(
                kind=AT_YOUR_LEVEL.code,
                dedupe_key=f"issue-level:{issue.pk}:{step_id}:{user.pk}",
                title=f"{issue.reference} {what.split()[0]}, now at your level: {issue.title}",
                body=body,
                reason=f"you hold the {issue.level_label} level of {issue.reference}.",
                url=issue.get_absolute_url(),
                user=user,
                about=issue,
            )
            for user in users
        ]
    )


def outcome(*, issue: Issue, people, note: str, signed: str, step_id: int) -> None:
    """The outcome in full to secure addresses only; the others get a link to read it in Liaison (PA 3.1.2)."""
    secure, _plain = case_detail_recipients(people)
    subject = f"Outcome of {issue.reference}: {issue.title}"
    messages = []
    for person in people:
        if not person.email:
            continue
        if person.email in secure:
            body = (
                f"{issue.reference}: {issue.title}\n\nOutcome ({issue.level_label}):\n{issue.outcome}\n\n"
                + (f"{note}\n\n" if note else "")
                + signed
            )
        else:
            body = (
                f"{issue.reference}: {issue.title}\n\nThe outcome has been recorded ({issue.level_label}). It is not "
                "in this email because your address is not marked as a secure address in Liaison; read it at the "
                "link below.\n\n" + signed
            )
        messages.append(
            Message(
                kind=OUTCOME.code,
                dedupe_key=f"issue-outcome:{issue.pk}:{step_id}:{person.email.lower()}",
                title=subject,
                body=body,
                reason=f"you raised {issue.reference} or were chosen to hear its outcome.",
                url=issue.get_absolute_url(),
                contact=person,
                about=issue,
            )
        )
    notify_many(messages)
