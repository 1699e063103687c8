"""What escalation puts in a person's calendar feed: the level targets of the open issues at their level."""

from __future__ import annotations

from django.conf import settings

from escalation.models import OPEN_STATUSES, Issue
from escalation.route import held_issues_q
from escalation.selectors import level_due, level_targets
from liaison import ical


def level_targets_due(user) -> list[ical.CalendarEvent]:
    issues = (
        Issue.objects.filter(held_issues_q(user, statuses=OPEN_STATUSES))
        .select_related("local_authority")
        .order_by("pk")
    )
    targets = level_targets()
    return [
        ical.CalendarEvent(
            uid=ical.uid_for(f"issue-level-{issue.level}", issue.pk),
            summary=f"{issue.reference} due at {issue.stage_label}: {issue.title}",
            day=level_due(issue, targets),
            url=f"{settings.SITE_URL}{issue.get_absolute_url()}",
        )
        for issue in issues
    ]
