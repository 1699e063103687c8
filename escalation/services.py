"""Every write to an issue: keyword-only, atomic, guarded by `escalation.route`, recorded on the timeline.

Actions on an existing issue lock its row and compare the version the user saw, so that of two people acting at
once one wins and the other is told, with nothing half-applied. `at` lets the demo data and legacy imports
carry their real dates; pages never pass it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from escalation import notices, route
from escalation.models import (
    OPEN_STATUSES,
    Direction,
    Issue,
    IssueStep,
    Level,
    NationalDirectorate,
    ResolutionTally,
    Source,
    Status,
    StepKind,
)
from escalation.selectors import propose_contact
from liaison import alerts, calendar
from liaison.events import event_record
from liaison.mail import case_detail_recipients
from liaison.models import Contact, District, IssueCategory, LocalAuthority, Role
from liaison.scoping import scope_for


def _required(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _in_network(contact: Contact, district: District, authorities: Iterable[LocalAuthority]) -> bool:
    return contact.district_id == district.pk or contact.local_authority_id in {a.pk for a in authorities}


def _record(issue: Issue, *, kind: str, actor, at: datetime.datetime, summary: str, **step) -> IssueStep:
    entry = IssueStep.objects.create(issue=issue, kind=kind, actor=actor, at=at, **step)
    event_record(
        kind=f"issue.{kind}",
        summary=f"{issue.reference} {summary}",
        actor=actor,
        subject=issue,
        district=issue.district,
        local_authority=issue.local_authority,
        data={"step": entry.pk, "from": step.get("from_level", ""), "to": step.get("to_level", "")},
    )
    return entry


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().select_related("district", "local_authority").get(pk=issue.pk)


def _save(issue: Issue, reason: str, actor) -> None:
    issue.version += 1
    issue._change_reason = reason
    issue._history_user = actor
    issue.save()


@transaction.atomic
def issue_log(
    *,
    actor,
    title: str,
    description: str,
    category: IssueCategory,
    direction: str,
    district: District,
    local_authority: LocalAuthority,
    originator: Contact,
    source: str = Source.DAY_TO_DAY,
    attempts_made: bool,
    attempts_detail: str = "",
    other_authorities: Iterable[LocalAuthority] = (),
    operational_contact: Contact | None = None,
    la_manager_role: str = "",
    at: datetime.datetime | None = None,
) -> Issue:
    """Log an issue and put it at its first level: referred to the operational contact unless already tried there."""
    at = at or timezone.now()
    if not route.can_log(actor, direction=direction, district=district, local_authority=local_authority):
        raise PermissionDenied("You can only log issues for the districts and authorities you work with.")
    other_authorities = [a for a in other_authorities if a.pk != local_authority.pk]
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter a short title for the issue"
    if not (description or "").strip():
        errors["description"] = "Describe the issue"
    district_authorities = set(district.local_authorities.values_list("pk", flat=True))
    if local_authority.pk not in district_authorities:
        errors["local_authority"] = f"{local_authority} is not in {district}: choose one of its authorities"
    if any(a.pk not in district_authorities for a in other_authorities):
        errors["other_authorities"] = f"Choose only authorities in {district}"
    if not _in_network(originator, district, [local_authority, *other_authorities]):
        errors["originator"] = f"Choose someone in the {district} network or at {local_authority}"
    if attempts_made and not (attempts_detail or "").strip():
        errors["attempts_detail"] = "Say what was tried at the lowest operational level"
    if direction == Direction.TO_LA:
        la_manager_role = la_manager_role or Role.LA_BENEFITS_MANAGER
        if la_manager_role not in (Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER):
            errors["la_manager_role"] = "Choose the LA Benefits Manager or the LA Fraud Manager"
    else:
        la_manager_role = ""
    if operational_contact is None:
        operational_contact = propose_contact(
            category=category, district=district, direction=direction, local_authority=local_authority
        )
    elif not operational_contact.is_active() or not _in_network(operational_contact, district, [local_authority]):
        errors["operational_contact"] = "Choose a current contact in the district's network or at the authority"
    if direction == Direction.TO_LA and operational_contact and operational_contact.local_authority_id is None:
        errors["operational_contact"] = "Jobcentre Plus raises it with the authority: choose one of its contacts"
    level, status = route.first_level(
        direction=direction, district=district, attempts_made=attempts_made, source=source
    )
    if level == Level.OPERATIONAL and operational_contact is None and "operational_contact" not in errors:
        errors["operational_contact"] = (
            f"{district} has no current {category.role}, the role the routing table names for “{category}”: "
            "choose the operational contact, or add them to the network first"
        )
    if errors:
        raise ValidationError(errors)

    issue = Issue(
        title=title.strip(),
        description=description.strip(),
        category=category,
        direction=direction,
        district=district,
        local_authority=local_authority,
        originator=originator,
        source=source,
        attempts_made=attempts_made,
        attempts_detail=(attempts_detail or "").strip() if attempts_made else "",
        operational_contact=operational_contact,
        la_manager_role=la_manager_role,
        level=level,
        status=status,
        level_since=at,
        created_at=at,
        created_by=actor,
    )
    issue._change_reason = "Logged"
    issue._history_user = actor
    issue.save()
    issue.other_authorities.set(other_authorities)
    _record(
        issue,
        kind=StepKind.LOGGED,
        actor=actor,
        at=at,
        summary=f"logged: {issue.title}",
        text=issue.attempts_detail and f"Attempts already made: {issue.attempts_detail}",
        to_level=level,
        contact=originator,
    )
    if level == Level.OPERATIONAL:
        referral = _record(
            issue,
            kind=StepKind.REFERRED,
            actor=actor,
            at=at,
            summary=f"referred to {operational_contact.name}",
            text=f"Referred to {operational_contact} for resolution at the lowest operational level.",
            to_level=level,
            contact=operational_contact,
        )
        notices.referred(issue=issue, actor=actor, step_id=referral.pk)
    else:
        notices.at_level(issue=issue, actor=actor, step_id=0, what="raised at", text=issue.description)
    return issue


@transaction.atomic
def issue_update_record(
    *,
    actor,
    issue: Issue,
    version: int | None,
    text: str,
    at: datetime.datetime | None = None,
) -> Issue:
    """Record progress at the current level; at the operational level it is the attempt the ERM needs."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.UPDATE, version=version)
    text = _required(text, "text", "Enter the update")
    if issue.level == Level.OPERATIONAL:
        issue.attempts_made = True
    issue.status = Status.IN_PROGRESS
    _save(issue, "Update recorded", actor)
    _record(
        issue,
        kind=StepKind.UPDATE,
        actor=actor,
        at=at,
        summary=f"update at {issue.level_label}",
        text=text,
        from_level=issue.level,
    )
    return issue


@transaction.atomic
def issue_rerefer(
    *,
    actor,
    issue: Issue,
    version: int | None,
    contact: Contact,
    reason: str,
    at: datetime.datetime | None = None,
) -> Issue:
    """Refer an issue still at the operational level to another operational contact (it was routed wrongly), with
    the reason; the new contact is told, and the operational level's clock starts again for them."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.REREFER, version=version)
    reason = _required(reason, "reason", "Say why it goes to another contact")
    if contact is None:
        raise ValidationError({"contact": "Choose the operational contact it goes to"})
    if contact.pk == issue.operational_contact_id:
        raise ValidationError({"contact": f"{contact.name} already has it: choose another contact"})
    if not contact.is_active() or not _in_network(contact, issue.district, [issue.local_authority]):
        raise ValidationError(
            {"contact": f"Choose a current contact in the {issue.district} network or at {issue.local_authority}"}
        )
    if issue.direction == Direction.TO_LA and contact.local_authority_id is None:
        raise ValidationError({"contact": "Jobcentre Plus raised it with the authority: choose one of its contacts"})
    previous = issue.operational_contact
    issue.operational_contact = contact
    issue.status = Status.REFERRED
    issue.level_since = at
    _save(issue, f"Re-referred to {contact.name}", actor)
    step = _record(
        issue,
        kind=StepKind.REREFERRED,
        actor=actor,
        at=at,
        summary=f"re-referred from {previous.name if previous else 'nobody'} to {contact.name}",
        text=reason,
        from_level=issue.level,
        contact=contact,
    )
    notices.referred(issue=issue, actor=actor, step_id=step.pk)
    alerts.recheck(issue)
    return issue


@transaction.atomic
def issue_la_attempt_record(
    *, actor, issue: Issue, version: int | None, text: str, at: datetime.datetime | None = None
) -> Issue:
    """A manager of the LA that raised the issue records what the LA itself tried, at whatever level it is."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.LA_ATTEMPT, version=version)
    text = _required(text, "text", "Say what the LA tried, with whom and when")
    _save(issue, "The LA's attempt recorded", actor)
    _record(
        issue,
        kind=StepKind.LA_ATTEMPT,
        actor=actor,
        at=at,
        summary=f"the LA's own attempt recorded by {issue.local_authority}",
        text=text,
        from_level=issue.level,
    )
    return issue


OTHER_DIRECTORATE = "other"


@transaction.atomic
def issue_gateway_refer(
    *,
    actor,
    issue: Issue,
    version: int | None,
    directorate: NationalDirectorate | None,
    other_directorate: str = "",
    reason: str,
    at: datetime.datetime | None = None,
) -> Issue:
    """The ODN refers the issue to the COO Gateway to pursue with a national directorate from the GPT's list (or,
    only when none fits, one named as "Other"); the gateway's own working-day target starts."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.GATEWAY, version=version)
    reason = _required(reason, "reason", "Say what the COO Gateway is to pursue")
    other_directorate = (other_directorate or "").strip()
    if directorate is not None:
        if NationalDirectorate.objects.current().filter(pk=directorate.pk).count() != 1:
            raise ValidationError({"directorate": f"{directorate} is retired: choose a current directorate"})
        name = directorate.name
    elif other_directorate:
        name = other_directorate
    else:
        raise ValidationError({"directorate": "Choose the national directorate, or Other and name it"})
    issue.directorate = directorate
    issue.national_directorate = name
    issue.gateway_since = at
    issue.level_since = at
    issue.status = Status.IN_PROGRESS
    _save(issue, "Referred to the COO Gateway", actor)
    _record(
        issue,
        kind=StepKind.GATEWAY,
        actor=actor,
        at=at,
        summary=f"referred to the COO Gateway to pursue with {name}",
        text=reason,
        from_level=issue.level,
        directorate=name if directorate is not None else f"Other: {name}",
    )
    alerts.recheck(issue)
    return issue


@transaction.atomic
def issue_escalate(
    *,
    actor,
    issue: Issue,
    version: int | None,
    reason: str,
    la_manager_role: str = "",
    at: datetime.datetime | None = None,
) -> Issue:
    """Send the issue to the next level of its route, with the reason it could not be resolved here."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.ESCALATE, version=version)
    reason = _required(reason, "reason", "Say why it cannot be resolved at this level")
    target = route.next_level(issue)
    if target == Level.LA_MANAGER and la_manager_role:
        if la_manager_role not in (Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER):
            raise ValidationError({"la_manager_role": "Choose the LA Benefits Manager or the LA Fraud Manager"})
        issue.la_manager_role = la_manager_role
    source_level = issue.level
    source_label = issue.level_label
    issue.level = target
    issue.level_since = at
    issue.status = Status.ESCALATED
    _save(issue, f"Escalated to {issue.get_level_display()}", actor)
    step = _record(
        issue,
        kind=StepKind.ESCALATED,
        actor=actor,
        at=at,
        summary=f"escalated from {source_label} to {issue.level_label}",
        text=reason,
        from_level=source_level,
        to_level=target,
    )
    notices.at_level(issue=issue, actor=actor, step_id=step.pk, what="escalated to", text=reason)
    alerts.recheck(issue)
    return issue


@transaction.atomic
def issues_hand_on_to_region(*, actor, district: District, at: datetime.datetime | None = None) -> int:
    """Move the open issues waiting at a district's ERM on to the Country/Regional ERM, once the district's
    relationship is managed by the region (guidelines, Appendix 2: the district level is then skipped)."""
    if not district.managed_by_region:
        return 0
    at = at or timezone.now()
    waiting = (
        Issue.objects.select_for_update()
        .select_related("district", "local_authority")
        .filter(district=district, level=Level.DISTRICT_ERM, status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    moved = 0
    for issue in waiting:
        issue.level = Level.REGIONAL_ERM
        issue.level_since = at
        issue.status = Status.ESCALATED
        _save(issue, "Handed on to the Country/Regional ERM", actor)
        step = _record(
            issue,
            kind=StepKind.ESCALATED,
            actor=actor,
            at=at,
            summary=f"handed on from District ERM to {issue.level_label}",
            text=(
                f"{district.name}'s relationship is now managed by the Country/Region ERM, so the District ERM "
                "level no longer applies and the issue goes to the Country/Regional ERM."
            ),
            from_level=Level.DISTRICT_ERM,
            to_level=Level.REGIONAL_ERM,
        )
        notices.at_level(issue=issue, actor=actor, step_id=step.pk, what="handed on to", text=step.text)
        alerts.recheck(issue)
        moved += 1
    return moved


@transaction.atomic
def issue_resolve(
    *, actor, issue: Issue, version: int | None, outcome: str, at: datetime.datetime | None = None
) -> Issue:
    """Record the outcome; the issue stays with this level until the outcome is communicated."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.RESOLVE, version=version)
    outcome = _required(outcome, "outcome", "Enter the outcome")
    issue.outcome = outcome
    issue.status = Status.RESOLVED
    issue.resolved_at = at
    issue.resolved_by = actor
    was = issue.working_days_to_resolution
    issue.working_days_to_resolution = calendar.working_days_between(
        timezone.localdate(issue.created_at), timezone.localdate(at), issue.local_authority.nation
    )
    _save(issue, "Resolved", actor)
    _tally(was=was, now=issue.working_days_to_resolution)
    _record(
        issue,
        kind=StepKind.RESOLVED,
        actor=actor,
        at=at,
        summary=f"resolved at {issue.level_label}",
        text=outcome,
        from_level=issue.level,
    )
    alerts.recheck(issue)
    return issue


def communication_candidates(issue: Issue) -> Contact:
    """Contacts the outcome can go to besides the originator: the district's and the issue's LAs' networks."""
    authorities = [issue.local_authority_id, *issue.other_authorities.values_list("pk", flat=True)]
    return (
        Contact.objects.active()
        .filter(Q(district_id=issue.district_id) | Q(local_authority_id__in=authorities))
        .exclude(pk=issue.originator_id)
        .select_related("role", "district", "local_authority", "office")
        .order_by("role__side", "role__order", "name")
    )


@transaction.atomic
def issue_communicate_outcome(
    *,
    actor,
    issue: Issue,
    version: int | None,
    contacts: Iterable[Contact] = (),
    message: str = "",
    at: datetime.datetime | None = None,
) -> Issue:
    """Email the outcome to the originator and the chosen contacts (through the outbox), record who and when, and
    close the issue."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.COMMUNICATE, version=version)
    allowed = set(communication_candidates(issue).values_list("pk", flat=True))
    chosen = [c for c in contacts if c.pk != issue.originator_id]
    if any(c.pk not in allowed for c in chosen):
        raise ValidationError({"contacts": "Choose contacts from the issue's district and authorities"})
    people = [issue.originator, *chosen]
    secure, plain = case_detail_recipients(people)
    if not secure and not plain:
        raise ValidationError(
            {"contacts": f"{issue.originator.name} has no email address: add one, or choose another contact"}
        )
    note = (message or "").strip()
    signed = f"Communicated by {actor.get_full_name() or actor.username} on {timezone.localtime(at):%-d %B %Y}.\n"
    recipients = [{"name": p.name, "email": p.email, "contact": p.pk} for p in people]
    issue.status = Status.CLOSED
    issue.closed_at = at
    _save(issue, "Outcome communicated", actor)
    step = _record(
        issue,
        kind=StepKind.COMMUNICATED,
        actor=actor,
        at=at,
        summary=f"outcome communicated to {', '.join(p.name for p in people)}",
        text=note,
        from_level=issue.level,
        recipients=recipients,
    )
    # Written to the outbox in this transaction and sent after it commits: a mail server that is down delays
    # the email, never the action (the outbox retries it).
    notices.outcome(issue=issue, people=people, note=note, signed=signed, step_id=step.pk)
    alerts.recheck(issue)
    return issue


def _tally(*, was: int | None, now: int | None) -> None:
    """Move one issue between the resolution tally's rows, under the issue's lock and in its transaction."""
    if was == now:
        return
    if was is not None:
        ResolutionTally.objects.filter(working_days=was).update(issues=F("issues") - 1)
    if now is None or ResolutionTally.objects.filter(working_days=now).update(issues=F("issues") + 1):
        return
    try:
        with transaction.atomic():
            ResolutionTally.objects.create(working_days=now, issues=1)
    except IntegrityError:
        # Another issue resolved in as many days made the row first.
        ResolutionTally.objects.filter(working_days=now).update(issues=F("issues") + 1)


@transaction.atomic
def resolution_tally_rebuild() -> int:
    """Recount the resolution tally from the issues, after issues were written in bulk (the national bench does);
    returns how many rows it has. Every issue resolved through these services keeps it without a recount."""
    counts = (
        Issue.objects.filter(working_days_to_resolution__isnull=False)
        .order_by()
        .values_list("working_days_to_resolution")
        .annotate(n=Count("*"))
    )
    rows = [ResolutionTally(working_days=days, issues=n) for days, n in counts]
    ResolutionTally.objects.all().delete()
    ResolutionTally.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def issue_reopen(
    *, actor, issue: Issue, version: int | None, reason: str, at: datetime.datetime | None = None
) -> Issue:
    """Reopen a closed issue at the level that resolved it; the earlier outcome stays on the timeline."""
    at = at or timezone.now()
    issue = _locked(issue)
    route.check(actor, issue, route.REOPEN, version=version)
    reason = _required(reason, "reason", "Say why the issue is being reopened")
    issue.status = Status.REOPENED
    issue.level_since = at
    issue.closed_at = None
    issue.resolved_at = None
    issue.resolved_by = None
    was = issue.working_days_to_resolution
    issue.working_days_to_resolution = None
    issue.outcome = ""
    _save(issue, "Reopened", actor)
    _tally(was=was, now=None)
    step = _record(
        issue,
        kind=StepKind.REOPENED,
        actor=actor,
        at=at,
        summary=f"reopened at {issue.level_label}",
        text=reason,
        to_level=issue.level,
    )
    notices.at_level(issue=issue, actor=actor, step_id=step.pk, what="reopened at", text=reason)
    alerts.recheck(issue)
    return issue


def _gpt_only(actor) -> None:
    if not actor.is_authenticated or not scope_for(actor).has_role(Role.GPT):
        raise PermissionDenied("Only the Governmental Partnerships Team keeps the list of national directorates.")


def _directorate_name(name: str, *, exclude: int | None = None) -> str:
    name = _required(name, "name", "Enter the directorate's name")
    if len(name) > 160:
        raise ValidationError({"name": "The name must be 160 characters or fewer"})
    clash = NationalDirectorate.objects.filter(name__iexact=name).exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": f"{name} is already on the list"})
    return name


@transaction.atomic
def directorate_add(*, actor, name: str) -> NationalDirectorate:
    _gpt_only(actor)
    directorate = NationalDirectorate(name=_directorate_name(name))
    directorate._history_user = actor
    directorate.save()
    event_record(kind="directorate.added", summary=f"National directorate added: {name}", actor=actor)
    return directorate


@transaction.atomic
def directorate_rename(*, actor, directorate: NationalDirectorate, name: str) -> NationalDirectorate:
    """A new name for the same directorate; issues already sent there keep the name they were sent under."""
    _gpt_only(actor)
    directorate = NationalDirectorate.objects.select_for_update().get(pk=directorate.pk)
    old = directorate.name
    directorate.name = _directorate_name(name, exclude=directorate.pk)
    directorate._history_user = actor
    directorate.save()
    event_record(
        kind="directorate.renamed", summary=f"National directorate {old} renamed {directorate.name}", actor=actor
    )
    return directorate


@transaction.atomic
def directorate_retire(*, actor, directorate: NationalDirectorate, retire: bool = True) -> NationalDirectorate:
    """Retire a directorate (no longer offered) or bring it back; it is never deleted."""
    _gpt_only(actor)
    directorate = NationalDirectorate.objects.select_for_update().get(pk=directorate.pk)
    if retire and directorate.retired_at is None:
        directorate.retired_at = timezone.now()
    elif not retire and directorate.retired_at is not None:
        directorate.retired_at = None
    else:
        state = "retired" if retire else "current"
        raise ValidationError({"__all__": f"{directorate.name} is already {state}"})
    directorate._history_user = actor
    directorate.save()
    event_record(
        kind="directorate.retired" if retire else "directorate.restored",
        summary=f"National directorate {directorate.name} {'retired' if retire else 'brought back'}",
        actor=actor,
    )
    return directorate
