"""The deadline-alert engine: apps register checks; a scan raises each finding once and clears what has cleared."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from liaison.events import event_record
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
    now = timezone.now()
    counts = {"raised": 0, "cleared": 0, "open": 0, "emails": 0}
    open_alerts = Alert.objects.open().filter(check_code=check.code)
    if only is not None:
        open_alerts = open_alerts.filter(Q(key=only) | Q(key__startswith=f"{only}:"))
    open_alerts = {alert.key: alert for alert in open_alerts}

    for key, alert in open_alerts.items():
        if key not in findings:
            with transaction.atomic():
                cleared = Alert.objects.filter(pk=alert.pk, cleared_at__isnull=True).update(cleared_at=now)
                if cleared:
                    counts["cleared"] += 1
                    event_record(
                        kind="alert.cleared",
                        summary=f"Cleared: {alert.title}",
                        subject=alert,
                        district=alert.district,
                        local_authority=alert.local_authority,
                        data={"check": check.code, "key": key},
                    )

    for key, finding in findings.items():
        alert = open_alerts.get(key)
        if alert is None:
            alert, created = _raise(check, finding, now)
            counts["raised" if created else "open"] += 1
        else:
            counts["open"] += 1
            Alert.objects.filter(pk=alert.pk).update(
                last_seen_at=now, title=finding.title, detail=finding.detail, url=finding.url
            )
        counts["emails"] += _notify(alert, finding)
    return counts


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
            event_record(
                kind="alert.raised",
                summary=f"Raised: {finding.title}",
                subject=alert,
                district=alert.district,
                local_authority=alert.local_authority,
                data={"check": check.code, "key": finding.key},
            )
        return alert, True
    except IntegrityError:
        # A concurrent scan raised the same alert first; the partial unique index keeps one.
        return Alert.objects.open().get(check_code=check.code, key=finding.key), False


def _notify(alert: Alert, finding: Finding) -> int:
    """Keep the list of who must act current and write each of them one email to the outbox, once, whatever the
    number of scans (the claim on the delivery row and the outbox's unique key both see to that)."""
    wanted = set(finding.recipient_ids) or _national_fallback()
    AlertRecipient.objects.bulk_create(
        [AlertRecipient(alert=alert, user_id=user_id) for user_id in wanted], ignore_conflicts=True
    )
    AlertRecipient.objects.filter(alert=alert).exclude(user_id__in=wanted).update(current=False)
    AlertRecipient.objects.filter(alert=alert, user_id__in=wanted, current=False).update(current=True)
    with transaction.atomic():
        pending = list(
            AlertRecipient.objects.select_for_update(of=("self",))
            .filter(alert=alert, current=True, notified_at__isnull=True)
            .select_related("user")
        )
        if not pending:
            return 0
        AlertRecipient.objects.filter(pk__in=[d.pk for d in pending]).update(notified_at=timezone.now())
        written = notify_many(
            [
                Message(
                    kind="alert",
                    dedupe_key=f"alert:{alert.pk}:user:{delivery.user_id}",
                    title=f"Liaison: {alert.title}",
                    body=_email_body(alert, delivery.user),
                    reason="you are named as someone who must act on this. You will not be emailed again about it "
                    "unless it clears and happens again.",
                    url=alert.url,
                    user=delivery.user,
                    about=alert,
                )
                for delivery in pending
            ]
        )
    return len(written)


def _national_fallback() -> set[int]:
    """Nobody holds the role that must act: the Governmental Partnerships Team is told instead."""
    return set(RoleAssignment.objects.filter(role=Role.GPT, user__is_active=True).values_list("user_id", flat=True))


def _email_body(alert: Alert, user) -> str:
    name = user.get_full_name() or user.username
    return f"Dear {name},\n\n{alert.title}\n\n{alert.detail}\n"
