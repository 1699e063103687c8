"""The outbox: every email Liaison sends is a `Notification` row, written with the change that causes it.

Apps register the kinds they send (`register_kind`, from their AppConfig.ready(), as they register alert checks) and
call `notify()` from their services, inside the service's transaction. After the commit a Celery task delivers each
row through the backend the settings choose (Django's email backends: SMTP, or files under var/sent-mail/ in the
embedded default; or GOV.UK Notify). A failure is recorded on the row with its reason and retried with back-off;
a sweep (Celery beat) picks up anything the broker never received. The dedupe key is unique, so a repeated change
or scan never writes the same notification twice, and delivery locks the row, so it is never sent twice.
"""

from __future__ import annotations

import base64
import datetime
import logging
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from liaison.models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    # Some kinds cannot be turned off (documents to sign, issues at your level); they can go in the daily summary.
    mandatory: bool = False
    # Sent to people with an account, who can choose straight away or a daily summary.
    for_users: bool = True


_kinds: dict[str, Kind] = {}


def register_kind(code: str, label: str, *, mandatory: bool = False, for_users: bool = True) -> Kind:
    kind = Kind(code=code, label=label, mandatory=mandatory, for_users=for_users)
    _kinds[code] = kind
    return kind


def registered_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.label)


def kind_for(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise ValueError(f"Unknown notification kind {code!r}: register it with register_kind()") from None


register_kind("alert", "Deadline alerts and warnings")
register_kind("daily-summary", "Your daily summary", mandatory=True, for_users=False)


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content": base64.b64encode(self.content).decode("ascii"),
        }


@dataclass
class Message:
    """One notification to write: to a user, or to a contact (or a bare address) when there is no account."""

    kind: str
    dedupe_key: str
    title: str
    body: str
    reason: str
    url: str = ""
    user: object | None = None
    contact: object | None = None
    email: str = ""
    about: models.Model | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def address(self) -> str:
        if self.user is not None and getattr(self.user, "email", ""):
            return self.user.email
        if self.contact is not None and self.contact.email:
            return self.contact.email
        return self.email


def contact_recipient(contact) -> dict:
    """A contact as a recipient: their linked account when it is active (its address and its choices), and the
    contact itself (so that a contact who left is skipped)."""
    user = contact.user if contact.user_id and contact.user.is_active else None
    return {"contact": contact, "user": user}


def notify(**message) -> list[Notification]:
    """Write one notification (see `Message`); it is delivered once the current transaction commits."""
    return notify_many([Message(**message)])


def notify_many(messages: list[Message]) -> list[Notification]:
    """Write notifications in bulk (a fixed number of queries however many) and deliver them after the commit.

    A message whose dedupe key is already in the outbox is left out: the earlier row stands. Messages without an
    address are not written. Users who chose the daily summary for a kind get it there instead of straight away."""
    wanted: dict[str, Message] = {}
    for message in messages:
        kind_for(message.kind)
        if message.address and message.dedupe_key not in wanted:
            wanted[message.dedupe_key[:300]] = message
    if not wanted:
        return []
    existing = set(Notification.objects.filter(dedupe_key__in=wanted).values_list("dedupe_key", flat=True))
    fresh = {key: message for key, message in wanted.items() if key not in existing}
    if not fresh:
        return []
    user_ids = {m.user.pk for m in fresh.values() if m.user is not None}
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(user_id__in=user_ids)
        .exclude(delivery=Delivery.NOW)
        .values_list("user_id", "kind", "delivery")
    }
    now = timezone.now()
    rows = []
    for key, message in fresh.items():
        kind = kind_for(message.kind)
        user_id = message.user.pk if message.user is not None else None
        delivery = chosen.get((user_id, message.kind), Delivery.NOW) if kind.for_users else Delivery.NOW
        if delivery == Delivery.OFF and kind.mandatory:
            delivery = Delivery.NOW
        rows.append(
            Notification(
                kind=message.kind,
                user_id=user_id,
                contact_id=message.contact.pk if message.contact is not None else None,
                email=message.address,
                subject_type=message.about._meta.label_lower if message.about is not None else "",
                subject_id=message.about.pk if message.about is not None else None,
                dedupe_key=key,
                title=message.title[:300],
                body=message.body,
                url=message.url[:300],
                reason=message.reason[:300],
                attachments=[attachment.as_json() for attachment in message.attachments],
                digest=delivery == Delivery.DAILY,
                created_at=now,
                skipped_at=now if delivery == Delivery.OFF else None,
                skip_reason="The recipient turned this kind of email off." if delivery == Delivery.OFF else "",
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    written = list(Notification.objects.filter(dedupe_key__in=fresh, created_at=now))
    to_send = [row.pk for row in written if not row.digest and not row.skipped_at]
    if to_send:
        transaction.on_commit(partial(enqueue, to_send), robust=True)
    return written


# One change writing more rows than this (a scan raising hundreds of alerts) hands them to the broker in batches of
# this size: thousands of broker messages would cost the scan seconds, and a failed row is retried by the sweep.
ENQUEUE_ONE_BY_ONE = 20
ENQUEUE_BATCH = 200


def enqueue(pks: list[int]) -> None:
    """Hand rows to the broker. If it is down the rows wait in the outbox, and the sweep sends them later."""
    from liaison.tasks import deliver_notification, deliver_notifications

    try:
        if len(pks) <= ENQUEUE_ONE_BY_ONE:
            for pk in pks:
                deliver_notification.delay(pk)
        else:
            for start in range(0, len(pks), ENQUEUE_BATCH):
                deliver_notifications.delay(pks[start : start + ENQUEUE_BATCH])
    except Exception:  # the broker refusing must never undo or break the user's action
        logger.exception("Could not queue %s notifications; the outbox sweep will send them", len(pks))


def backoff(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts: 1, 2, 4, 8 ... minutes, at most 6 hours."""
    return min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 6 * 60 * 60)


def left_reason(notification: Notification, today: datetime.date) -> str:
    """Why the recipient should no longer be written to (they left), or an empty string."""
    user, contact = notification.user, notification.contact
    if user is not None and not user.is_active:
        return "The recipient's account is deactivated."
    if contact is not None and contact.active_to is not None and contact.active_to < today:
        return f"{contact.name} left the role on {contact.active_to:%-d %B %Y}."
    return ""


SENT, FAILED, SKIPPED, NOTHING = "sent", "failed", "skipped", "nothing"


def deliver(pk: int) -> str:
    """Send one notification if it still needs sending; record the outcome on its row."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",)).select_related("user", "contact").filter(pk=pk).first()
        )
        if notification is None or notification.sent_at or notification.skipped_at or notification.digest:
            return NOTHING
        reason = left_reason(notification, timezone.localdate(now))
        if reason:
            notification.skipped_at = now
            notification.skip_reason = reason
            notification.save(update_fields=["skipped_at", "skip_reason"])
            return SKIPPED
        notification.attempts += 1
        try:
            backend().send(notification)
        except Exception as error:  # every backend error is a failed attempt, recorded and retried
            logger.warning("Notification %s failed: %s", pk, error)
            notification.failed_at = now
            notification.failure_reason = f"{type(error).__name__}: {error}"[:2000]
            notification.next_attempt_at = now + datetime.timedelta(seconds=backoff(notification.attempts))
            notification.save(update_fields=["attempts", "failed_at", "failure_reason", "next_attempt_at"])
            return FAILED
        notification.sent_at = now
        notification.next_attempt_at = None
        notification.save(update_fields=["attempts", "sent_at", "next_attempt_at"])
        return SENT


def due_for_delivery(now: datetime.datetime | None = None):
    """Rows the sweep should (re)try: queued long enough ago that the broker must have lost them, or due a retry."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    return (
        Notification.objects.waiting()
        .filter(attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS)
        .filter(models.Q(next_attempt_at__isnull=True, created_at__lte=grace) | models.Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
    )


def deliver_due(now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The sweep: deliver what is due, oldest first."""
    counts = {SENT: 0, FAILED: 0, SKIPPED: 0, NOTHING: 0}
    for pk in list(due_for_delivery(now).values_list("pk", flat=True)[:limit]):
        counts[deliver(pk)] += 1
    return counts


def daily_summaries(now: datetime.datetime | None = None) -> int:
    """One email per person listing everything held for their daily summary since the last one; none when there
    is nothing. The summary's dedupe key names the day, so running this twice in a day sends one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    held = list(
        Notification.objects.filter(digest=True, digest_sent_at__isnull=True, skipped_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = {}
    for row in held:
        if row.user is not None:
            by_user.setdefault(row.user_id, []).append(row)
    messages, included = [], []
    for rows in by_user.values():
        user = rows[0].user
        lines = []
        for row in rows:
            lines.append(f"- {row.title}\n  {link(row.url)}\n  (Why: {row.reason})")
        count = len(rows)
        messages.append(
            Message(
                kind="daily-summary",
                dedupe_key=f"daily-summary:{user.pk}:{today:%Y-%m-%d}",
                title=f"Liaison: your daily summary, {count} new item{'s' if count != 1 else ''}",
                body=f"Dear {user.get_full_name() or user.username},\n\nNew since your last summary:\n\n"
                + "\n\n".join(lines),
                reason="you chose to get these kinds of email in a daily summary (change it on the notifications "
                "page of your account).",
                url="/account/notifications/",
                user=user,
            )
        )
        included.extend(row.pk for row in rows)
    with transaction.atomic():
        written = notify_many(messages)
        sent_to = {row.user_id for row in written}
        Notification.objects.filter(pk__in=included, user_id__in=sent_to).update(digest_sent_at=now)
    return len(written)


# ---- what an email says ----------------------------------------------------------------------------------------


def link(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else (url or settings.SITE_URL)


def full_text(notification: Notification) -> str:
    """The email: its content, then why this person got it and where they act."""
    return (
        f"{notification.body.rstrip()}\n\n"
        f"Why you got this email: {notification.reason}\n\n"
        f"Act on it in Liaison: {link(notification.url)}\n"
    )


# ---- backends ----------------------------------------------------------------------------------------------------


def backend():
    return import_string(settings.NOTIFICATIONS_BACKEND)()


class EmailBackend:
    """Django's email: SMTP in production, files under var/sent-mail/ in the embedded default, memory in tests."""

    def send(self, notification: Notification) -> None:
        email = EmailMessage(
            subject=notification.title,
            body=full_text(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email],
        )
        for attachment in notification.attachments:
            content = base64.b64decode(attachment["content"])
            mimetype, _, params = attachment["mimetype"].partition(";")
            if mimetype == "text/calendar":
                # An invitation Outlook recognises: text/calendar with its METHOD as a parameter.
                part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
                for param in filter(None, (p.strip() for p in params.split(";"))):
                    name, _, value = param.partition("=")
                    part.set_param(name.strip(), value.strip())
                part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
                email.attach(part)
            else:
                email.attach(attachment["filename"], content, mimetype)
        email.send(fail_silently=False)


class GovukNotifyBackend:
    """GOV.UK Notify: one email template with ((subject)), ((body)) and ((link)) placeholders, named by id in
    NOTIFY_TEMPLATE_IDS (a kind may have its own; "default" otherwise). A PDF attachment goes as a file link
    (((link_to_file)) in the template); Notify does not send calendar files, so an .ics is not attached."""

    def send(self, notification: Notification) -> None:
        from notifications_python_client import prepare_upload
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=20)
        templates = settings.NOTIFY_TEMPLATE_IDS
        template_id = templates.get(notification.kind) or templates["default"]
        personalisation = {
            "subject": notification.title,
            "body": f"{notification.body.rstrip()}\n\nWhy you got this email: {notification.reason}",
            "link": link(notification.url),
        }
        pdfs = [a for a in notification.attachments if a["mimetype"] == "application/pdf"]
        if pdfs:
            import io

            upload = io.BytesIO(base64.b64decode(pdfs[0]["content"]))
            personalisation["link_to_file"] = prepare_upload(upload, filename=pdfs[0]["filename"])
        client.send_email_notification(
            email_address=notification.email,
            template_id=template_id,
            personalisation=personalisation,
            reference=notification.dedupe_key[:100],
        )
