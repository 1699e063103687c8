from celery import shared_task

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
