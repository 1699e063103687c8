"""Deadline checks of the escalation route: issues stalled past their level's target, outcomes not communicated."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from escalation.models import OPEN_STATUSES, Issue, LevelTarget, Status
from escalation.route import HolderIndex, next_level
from escalation.selectors import level_due, level_targets
from liaison import calendar
from liaison.alerts import Finding, register_check


def _key(issue: Issue) -> str:
    return f"issue:{issue.pk}"


def _only(issues, subject):
    return issues.filter(pk=subject.pk) if subject is not None else issues


@register_check(
    "issue-stalled", "Issue stalled past its level's target", subject_model="escalation.issue", subject_key=_key
)
def issue_stalled(today: datetime.date, subject: Issue | None = None) -> list[Finding]:
    """Raised to the level's holders and the next level's; escalating or resolving it moves the clock on."""
    targets = level_targets()
    issues = _only(Issue.objects.filter(status__in=OPEN_STATUSES), subject).select_related(
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
                key=f"issue:{issue.pk}:{issue.stage}:{issue.level_since:%Y%m%d%H%M%S}",
                title=f"{issue.reference} stalled at {issue.stage_label}: {issue.title}",
                detail=(
                    f"The target at this level is {targets[issue.stage]} working days; it was due by "
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


@register_check(
    "issue-target-near",
    "Issue near its level's target",
    subject_model="escalation.issue",
    subject_key=_key,
)
def issue_target_near(today: datetime.date, subject: Issue | None = None) -> list[Finding]:
    """A warning, once, to the level's holders a few working days (ESCALATION_WARNING_WORKING_DAYS) before the
    level's target date; the stalled alert takes over once it has passed."""
    ahead = settings.ESCALATION_WARNING_WORKING_DAYS
    targets = level_targets()
    issues = _only(Issue.objects.filter(status__in=OPEN_STATUSES), subject).select_related(
        "district", "local_authority", "operational_contact"
    )
    index = None
    findings = []
    for issue in issues:
        due = level_due(issue, targets)
        if today > due or calendar.working_days_between(today, due, issue.local_authority.nation) > ahead:
            continue
        index = index or HolderIndex.load()
        findings.append(
            Finding(
                key=f"issue:{issue.pk}:{issue.stage}:{issue.level_since:%Y%m%d%H%M%S}",
                title=f"{issue.reference} is due at {issue.stage_label} by {due:%-d %B %Y}: {issue.title}",
                detail=(
                    f"The target at this level is {targets[issue.stage]} working days, and it ends on "
                    f"{due:%-d %B %Y}. Resolve it, or escalate it with the reason it cannot be resolved here."
                ),
                url=issue.get_absolute_url(),
                recipient_ids=frozenset(index.holders(issue)),
                district_id=issue.district_id,
                local_authority_id=issue.local_authority_id,
            )
        )
    return findings


@register_check(
    "issue-outcome-not-communicated",
    "Resolved issue's outcome not communicated",
    subject_model="escalation.issue",
    subject_key=_key,
)
def outcome_not_communicated(today: datetime.date, subject: Issue | None = None) -> list[Finding]:
    target = level_targets()[LevelTarget.COMMUNICATION]
    issues = _only(Issue.objects.filter(status=Status.RESOLVED), subject).select_related(
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
