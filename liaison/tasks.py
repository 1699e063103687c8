from celery import shared_task
from django.conf import settings

from liaison import notifications
from liaison.alerts import scan_deadlines as run_scan


@shared_task(name="liaison.tasks.scan_deadlines")
def scan_deadlines() -> dict:
    """Daily: raise new deadline alerts once, clear those whose condition has cleared."""
    result = run_scan()
    return {
        "raised": result.raised,
        "cleared": result.cleared,
        "open": result.still_open,
        "emails": result.emails,
    }


@shared_task(bind=True, name="liaison.tasks.deliver_notification", ignore_result=True)
def deliver_notification(self, pk: int) -> str:
    """Send one outbox row; on failure try again with back-off (the row keeps each failure's reason)."""
    outcome = notifications.deliver(pk)
    if (
        outcome == notifications.FAILED
        and not self.request.is_eager
        and self.request.retries + 1 < settings.NOTIFICATIONS_MAX_ATTEMPTS
    ):
        raise self.retry(countdown=notifications.backoff(self.request.retries + 1), max_retries=None)
    return outcome


@shared_task(name="liaison.tasks.deliver_notifications", ignore_result=True)
def deliver_notifications(pks: list[int]) -> dict:
    """Send many outbox rows written by one change, one after another; a row that fails keeps its reason and its
    next attempt time, and the sweep (deliver_due_notifications) tries it again with back-off."""
    counts: dict[str, int] = {}
    for pk in pks:
        outcome = notifications.deliver(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@shared_task(name="liaison.tasks.deliver_due_notifications", ignore_result=True)
def deliver_due_notifications() -> dict:
    """Every few minutes: send what the broker never received (it was down) and what is due a retry."""
    return notifications.deliver_due()


@shared_task(name="liaison.tasks.send_daily_summaries", ignore_result=True)
def send_daily_summaries() -> int:
    """Each morning: one email per person listing what they chose to get in a daily summary."""
    return notifications.daily_summaries()
