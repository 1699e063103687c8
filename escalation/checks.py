"""Deadline checks of the escalation route: issues stalled past their level's target, outcomes not communicated."""

from __future__ import annotations

import datetime

from django.utils import timezone

from escalation.models import OPEN_STATUSES, Issue, LevelTarget, Status
from escalation.route import HolderIndex, next_level
from escalation.selectors import level_due, level_targets
from liaison import calendar
from liaison.alerts import Finding, register_check


@register_check("issue-stalled", "Issue stalled past its level's target")
def issue_stalled(today: datetime.date) -> list[Finding]:
    """Raised to the level's holders and the next level's; escalating or resolving it moves the clock on."""
    targets = level_targets()
    issues = Issue.objects.filter(status__in=OPEN_STATUSES).select_related(
        "district", "local_authority", "operational_contact"
    )
    index = None
    findings = []
    for issue in issues:
        due = level_due(issue, targets)
        if today <= due:
            continue
        index = index or HolderIndex.load()
        recipients = index.holders(issue)
        following = next_level(issue)
        if following:
            recipients |= index.holders(issue, following)
        late = calendar.working_days_between(due, today, issue.local_authority.nation)
        findings.append(
            Finding(
                # The level and the time it arrived there: a new stay at a level is a new condition.
                key=f"issue:{issue.pk}:{issue.level}:{issue.level_since:%Y%m%d%H%M%S}",
                title=f"{issue.reference} stalled at {issue.level_label}: {issue.title}",
                detail=(
                    f"The target at this level is {targets[issue.level]} working days; it was due by "
                    f"{due:%-d %B %Y} and is {late} working day{'s' if late != 1 else ''} late. Resolve it, or "
                    "escalate it with the reason it cannot be resolved here."
                ),
                url=issue.get_absolute_url(),
                recipient_ids=frozenset(recipients),
                district_id=issue.district_id,
                local_authority_id=issue.local_authority_id,
            )
        )
    return findings


@register_check("issue-outcome-not-communicated", "Resolved issue's outcome not communicated")
def outcome_not_communicated(today: datetime.date) -> list[Finding]:
    target = level_targets()[LevelTarget.COMMUNICATION]
    issues = Issue.objects.filter(status=Status.RESOLVED).select_related(
        "district", "local_authority", "operational_contact", "originator"
    )
    index = None
    findings = []
    for issue in issues:
        resolved = timezone.localdate(issue.resolved_at)
        due = calendar.add_working_days(resolved, target, issue.local_authority.nation)
        if today <= due:
            continue
        index = index or HolderIndex.load()
        recipients = index.holders(issue) | ({issue.resolved_by_id} if issue.resolved_by_id else set())
        findings.append(
            Finding(
                key=f"issue:{issue.pk}:resolved:{issue.resolved_at:%Y%m%d%H%M%S}",
                title=f"Outcome of {issue.reference} not communicated: {issue.title}",
                detail=(
                    f"It was resolved on {resolved:%-d %B %Y}. Communicate the outcome to the originator "
                    f"({issue.originator.name}) within {target} working days; only then is the issue closed."
                ),
                url=issue.get_absolute_url(),
                recipient_ids=frozenset(recipients),
                district_id=issue.district_id,
                local_authority_id=issue.local_authority_id,
            )
        )
    return findings
