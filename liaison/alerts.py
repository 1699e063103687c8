"""The deadline-alert engine: apps register checks; a scan raises each finding once and clears what has cleared."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from liaison.events import event_build, events_record
from liaison.models import Alert, AlertRecipient, Role, RoleAssignment
from liaison.notifications import Message, notify_many

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finding:
    """One condition that needs someone to act; `key` identifies it within its check."""

    key: str
    title: str
    recipient_ids: frozenset[int]
    detail: str = ""
    url: str = ""
    district_id: int | None = None
    local_authority_id: int | None = None
    # Recipients a service already emailed about this very condition (a hand-off notice): they see the alert on
    # their dashboard, but are not emailed a second time.
    told: frozenset[int] = frozenset()


CheckFunction = Callable[..., Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    function: CheckFunction
    # A check that can look at one subject: the model it is about ("escalation.issue") and the key (or key prefix,
    # before a ":") its findings about that subject carry. Its function then accepts `subject=`.
    subject_model: str = ""
    subject_key: Callable[[object], str] | None = None


_checks: dict[str, Check] = {}


def register_check(
    code: str, label: str, *, subject_model: str = "", subject_key: Callable[[object], str] | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a deadline check; apps call this from modules imported in their AppConfig.ready().

    With `subject_model` and `subject_key`, the service that changes such a subject calls `recheck(subject)` in its
    transaction: the check runs for that subject alone (`function(today, subject=...)`) and its alerts about the
    subject clear (or are raised) at once, instead of at the next scan."""

    def decorator(function: CheckFunction) -> CheckFunction:
        _checks[code] = Check(
            code=code, label=label, function=function, subject_model=subject_model, subject_key=subject_key
        )
        return function

    return decorator


def registered_checks() -> list[Check]:
    return sorted(_checks.values(), key=lambda check: check.code)


@dataclass
class ScanResult:
    raised: int = 0
    cleared: int = 0
    still_open: int = 0
    emails: int = 0
    by_check: dict[str, dict[str, int]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def scan_deadlines(*, today: datetime.date | None = None, codes: Iterable[str] | None = None) -> ScanResult:
    """Run every registered check (or those named) and bring the alerts table in line with what they find."""
    today = today or timezone.localdate()
    result = ScanResult()
    wanted = set(codes) if codes is not None else None
    for check in registered_checks():
        if wanted is not None and check.code not in wanted:
            continue
        try:
            findings = {finding.key: finding for finding in check.function(today)}
            counts = _apply_findings(check, findings)
        except Exception:
            # One broken check must not stop the others: log it and go on; the next scan tries again.
            logger.exception("Deadline check %s failed", check.code)
            result.failed.append(check.code)
            continue
        result.by_check[check.code] = counts
        result.raised += counts["raised"]
        result.cleared += counts["cleared"]
        result.still_open += counts["open"]
        result.emails += counts["emails"]
    return result


def recheck(subject, *, today: datetime.date | None = None) -> ScanResult:
    """Re-evaluate, for this one subject, every check registered for its model, in the caller's transaction: the
    alerts about it clear the moment their condition does. The daily scan remains the safety net."""
    today = today or timezone.localdate()
    label = subject._meta.label_lower
    result = ScanResult()
    for check in registered_checks():
        if check.subject_model != label or check.subject_key is None:
            continue
        key = check.subject_key(subject)
        findings = {
            finding.key: finding
            for finding in check.function(today, subject=subject)
            if finding.key == key or finding.key.startswith(f"{key}:")
        }
        counts = _apply_findings(check, findings, only=key)
        result.by_check[check.code] = counts
        result.raised += counts["raised"]
        result.cleared += counts["cleared"]
        result.still_open += counts["open"]
        result.emails += counts["emails"]
    return result


def _apply_findings(check: Check, findings: dict[str, Finding], only: str | None = None) -> dict[str, int]:
    """Bring one check's alerts in line with its findings in a number of statements that does not grow with the
    number of alerts: clear in bulk, refresh in bulk, raise in bulk, then sync recipients and write emails in bulk."""
    now = timezone.now()
    counts = {"raised": 0, "cleared": 0, "open": 0, "emails": 0}
    open_alerts = Alert.objects.open().filter(check_code=check.code)
    if only is not None:
        open_alerts = open_alerts.filter(Q(key=only) | Q(key__startswith=f"{only}:"))
    open_alerts = {alert.key: alert for alert in open_alerts}

    gone = [alert for key, alert in open_alerts.items() if key not in findings]
    for part in _chunks(gone):
        with transaction.atomic():
            # Locked, so that of two scans at once only one clears each alert and records it.
            cleared = set(
                Alert.objects.select_for_update()
                .filter(pk__in=[alert.pk for alert in part], cleared_at__isnull=True)
                .values_list("pk", flat=True)
            )
            Alert.objects.filter(pk__in=cleared).update(cleared_at=now)
            events_record(
                [
                    event_build(
                        kind="alert.cleared",
                        summary=f"Cleared: {alert.title}",
                        subject=alert,
                        district_id=alert.district_id,
                        local_authority_id=alert.local_authority_id,
                        data={"check": check.code, "key": alert.key},
                    )
                    for alert in part
                    if alert.pk in cleared
                ]
            )
        counts["cleared"] += len(cleared)

    still = [(open_alerts[key], finding) for key, finding in findings.items() if key in open_alerts]
    changed = []
    for alert, finding in still:
        if (alert.title, alert.detail, alert.url) != (finding.title, finding.detail, finding.url):
            alert.title, alert.detail, alert.url = finding.title, finding.detail, finding.url
            changed.append(alert)
    for part in _chunks(still):
        Alert.objects.filter(pk__in=[alert.pk for alert, _ in part]).update(last_seen_at=now)
    Alert.objects.bulk_update(changed, ["title", "detail", "url"], batch_size=1000)
    counts["open"] += len(still)

    fresh = [finding for key, finding in findings.items() if key not in open_alerts]
    raised = _raise_many(check, fresh, now)
    counts["raised"] += sum(1 for _, _, created in raised if created)
    counts["open"] += sum(1 for _, _, created in raised if not created)
    counts["emails"] += _notify(still + [(alert, finding) for alert, finding, _ in raised])
    return counts


def _chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _raise_many(check: Check, findings: list[Finding], now: datetime.datetime) -> list[tuple[Alert, Finding, bool]]:
    """Raise new alerts in bulk; if a concurrent scan raised some of them first (the partial unique index refuses
    the batch), raise them one by one, taking the one already there."""
    if not findings:
        return []
    try:
        with transaction.atomic():
            alerts = Alert.objects.bulk_create(
                [
                    Alert(
                        check_code=check.code,
                        key=finding.key,
                        title=finding.title,
                        detail=finding.detail,
                        url=finding.url,
                        district_id=finding.district_id,
                        local_authority_id=finding.local_authority_id,
                        raised_at=now,
                        last_seen_at=now,
                    )
                    for finding in findings
                ],
                batch_size=1000,
            )
            if any(alert.pk is None for alert in alerts):  # a database that does not return keys from a bulk insert
                alerts = list(Alert.objects.open().filter(check_code=check.code, raised_at=now))
                by_key = {alert.key: alert for alert in alerts}
                alerts = [by_key[finding.key] for finding in findings]
            events_record([_raised_event(check, alert) for alert in alerts])
        return [(alert, finding, True) for alert, finding in zip(alerts, findings, strict=True)]
    except IntegrityError:
        return [(alert, finding, created) for finding in findings for alert, created in [_raise(check, finding, now)]]


def _raised_event(check: Check, alert: Alert):
    return event_build(
        kind="alert.raised",
        summary=f"Raised: {alert.title}",
        subject=alert,
        district_id=alert.district_id,
        local_authority_id=alert.local_authority_id,
        data={"check": check.code, "key": alert.key},
    )


def _raise(check: Check, finding: Finding, now: datetime.datetime) -> tuple[Alert, bool]:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                check_code=check.code,
                key=finding.key,
                title=finding.title,
                detail=finding.detail,
                url=finding.url,
                district_id=finding.district_id,
                local_authority_id=finding.local_authority_id,
                raised_at=now,
                last_seen_at=now,
            )
            events_record([_raised_event(check, alert)])
        return alert, True
    except IntegrityError:
        # A concurrent scan raised the same alert first; the partial unique index keeps one.
        return Alert.objects.open().get(check_code=check.code, key=finding.key), False


def _notify(pairs: list[tuple[Alert, Finding]]) -> int:
    """Keep the lists of who must act current and write each of them one email to the outbox, once, whatever the
    number of scans (the claim on the delivery row and the outbox's unique key both see to that)."""
    if not pairs:
        return 0
    fallback: set[int] | None = None
    wanted: dict[int, set[int]] = {}
    alerts: dict[int, Alert] = {}
    told: dict[int, frozenset[int]] = {}
    for alert, finding in pairs:
        told[alert.pk] = finding.told
        users = set(finding.recipient_ids)
        if not users:
            fallback = _national_fallback() if fallback is None else fallback
            users = fallback
        wanted[alert.pk] = users
        alerts[alert.pk] = alert
    AlertRecipient.objects.bulk_create(
        [AlertRecipient(alert_id=pk, user_id=user_id) for pk, users in wanted.items() for user_id in users],
        ignore_conflicts=True,
        batch_size=2000,
    )
    written = 0
    for part in _chunks(list(wanted)):
        deliveries = AlertRecipient.objects.filter(alert_id__in=part).values_list(
            "pk", "alert_id", "user_id", "current"
        )
        stale = [pk for pk, alert_id, user_id, current in deliveries if current and user_id not in wanted[alert_id]]
        back = [pk for pk, alert_id, user_id, current in deliveries if not current and user_id in wanted[alert_id]]
        AlertRecipient.objects.filter(pk__in=stale).update(current=False)
        AlertRecipient.objects.filter(pk__in=back).update(current=True)
        with transaction.atomic():
            pending = list(
                AlertRecipient.objects.select_for_update(of=("self",))
                .filter(alert_id__in=part, current=True, notified_at__isnull=True)
                .select_related("user")
            )
            if not pending:
                continue
            AlertRecipient.objects.filter(pk__in=[d.pk for d in pending]).update(notified_at=timezone.now())
            written += len(
                notify_many(
                    [
                        Message(
                            kind="alert",
                            dedupe_key=f"alert:{delivery.alert_id}:user:{delivery.user_id}",
                            title=f"Liaison: {alerts[delivery.alert_id].title}",
                            body=_email_body(alerts[delivery.alert_id], delivery.user),
                            reason="you are named as someone who must act on this. You will not be emailed again "
                            "about it unless it clears and happens again.",
                            url=alerts[delivery.alert_id].url,
                            user=delivery.user,
                            about=alerts[delivery.alert_id],
                        )
                        for delivery in pending
                        if delivery.user_id not in told[delivery.alert_id]
                    ]
                )
            )
    return written


def _national_fallback() -> set[int]:
    """Nobody holds the role that must act: the Governmental Partnerships Team is told instead."""
    return set(RoleAssignment.objects.filter(role=Role.GPT, user__is_active=True).values_list("user_id", flat=True))


def _email_body(alert: Alert, user) -> str:
    name = user.get_full_name() or user.username
    return f"Dear {name},\n\n{alert.title}\n\n{alert.detail}\n"
