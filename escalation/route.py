"""The escalation route and every guard on it: which level follows which, who holds a level, what is legal when.

Routes (guidelines' Appendix 2; PA 4.2 and 4.3):

- A partner raises it with JCP: operational contact → District ERM (skipped where the district's relationship is
  managed by the Country/Region ERM) → Country/Regional ERM → ODN / COO Gateway → Governmental Partnerships Team.
- JCP raises it with an LA (PA 4.3): the LA's operational contact → the LA Benefits Manager or Fraud Manager, the
  top of that route (what they cannot settle goes to the Joint Board, outside this route).

Who holds a level:

- operational contact: the contact's linked user if they have one, and the ERM who manages the relationship (the
  District ERM, or the Country/Regional ERM where the region manages it). The ERM acts on the contact's behalf and
  records what the contact said or did, because most operational contacts never sign in to Liaison;
- District ERM: users holding the ERM role for the district;
- Country/Regional ERM: the Regional ERM role for the district's region;
- ODN / COO Gateway and GPT: users holding those national roles (the ODN refers an issue to the COO Gateway, a
  recorded step naming the national directorate, with its own working-day target; the same role holds it there);
- LA level: the LA Benefits Manager or LA Fraud Manager (the one the issue names) of the issue's lead LA.

Before an issue climbs, the holder of the operational level may re-refer it to another operational contact (wrong
routing), with the reason. A Benefits or Fraud Manager of the LA that raised an issue with JCP records the LA's own
attempts to resolve it on its timeline, whatever its level.

System administrators see every issue but hold no level: acting on an issue is for the people on its route.
An issue cannot leave the operational level for the ERM until an attempt there is on record (Appendix 2's first
question); an issue logged with attempts already made starts at the first level after it. Outstanding JRB items
from the transition go straight to the GPT (guidelines, "Moving on").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.expressions import RawSQL

from escalation.models import OPEN_STATUSES, Direction, Issue, Level, Source, Status
from liaison.models import (
    DISTRICT_ROLES,
    LA_MANAGER_ROLES,
    Contact,
    District,
    LocalAuthority,
    Role,
    RoleAssignment,
)
from liaison.querysets import compiled_once
from liaison.scoping import scope_for

ROUTES: dict[str, list[str]] = {
    Direction.TO_JCP: [Level.OPERATIONAL, Level.DISTRICT_ERM, Level.REGIONAL_ERM, Level.ODN, Level.GPT],
    Direction.TO_LA: [Level.OPERATIONAL, Level.LA_MANAGER],
}

UPDATE, ESCALATE, RESOLVE, COMMUNICATE, REOPEN = "update", "escalate", "resolve", "communicate", "reopen"
# Re-refer to another operational contact (wrong routing); the LA's own attempts; the ODN's referral to the COO Gateway.
REREFER, LA_ATTEMPT, GATEWAY = "rerefer", "la-attempt", "gateway"
# Actions for the holder of the issue's current level, while it is open.
HOLDER_ACTIONS = (UPDATE, RESOLVE, ESCALATE, REREFER, GATEWAY)


class Refused(Exception):
    """An action the route does not allow now; the message says why, in words for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleIssue(Refused):
    """Someone else acted on the issue since the user loaded it."""


def route_for(direction: str, district: District) -> list[str]:
    levels = list(ROUTES[direction])
    if direction == Direction.TO_JCP and district.managed_by_region:
        levels.remove(Level.DISTRICT_ERM)
    return levels


def first_level(*, direction: str, district: District, attempts_made: bool, source: str) -> tuple[str, str]:
    """The level and status a newly logged issue starts at."""
    if direction == Direction.TO_JCP and source == Source.LEGACY_JRB:
        return Level.GPT, Status.NEW
    if not attempts_made:
        return Level.OPERATIONAL, Status.REFERRED
    return route_for(direction, district)[1], Status.NEW


def next_level(issue: Issue) -> str | None:
    levels = route_for(issue.direction, issue.district)
    if issue.level not in levels:
        # The district was flagged "managed by the Country/Region ERM" while the issue sat at the District ERM: that
        # level is no longer on its route, so the next one is the first of the route past where it stands. A scan
        # over every open issue must never fail on such an issue.
        full = ROUTES[issue.direction]
        return next((level for level in full[full.index(issue.level) + 1 :] if level in levels), None)
    position = levels.index(issue.level)
    return levels[position + 1] if position + 1 < len(levels) else None


def _held_arms(user) -> list[Q]:
    """One condition per way of holding a level, each on the issue's own indexed columns (subqueries, not joins)."""
    if not user.is_authenticated:
        return []
    return _arms_of(user.pk, _assignments_key(scope_for(user)))


def _assignments_key(scope) -> tuple[tuple[str, int | None, int | None, int | None], ...]:
    return tuple(
        sorted(
            ((a.role, a.district_id, a.region_id, a.local_authority_id) for a in scope.assignments),
            key=lambda row: (row[0], *(value or 0 for value in row[1:])),
        )
    )


def _arms_of(user_id: int, assignments) -> list[Q]:
    arms = [Q(level=Level.OPERATIONAL, operational_contact__in=Contact.objects.filter(user_id=user_id))]
    for role, district_id, region_id, authority_id in assignments:
        if role == Role.ERM:
            arms.append(Q(level=Level.DISTRICT_ERM, district_id=district_id))
            arms.append(
                Q(
                    level=Level.OPERATIONAL,
                    district__in=District.objects.filter(pk=district_id, managed_by_region=False),
                )
            )
        elif role == Role.REGIONAL_ERM:
            in_region = District.objects.filter(region_id=region_id)
            arms.append(Q(level=Level.REGIONAL_ERM, district__in=in_region))
            arms.append(Q(level=Level.OPERATIONAL, district__in=in_region.filter(managed_by_region=True)))
        elif role == Role.ODN:
            arms.append(Q(level=Level.ODN))
        elif role == Role.GPT:
            arms.append(Q(level=Level.GPT))
        elif role in (Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER):
            arms.append(Q(level=Level.LA_MANAGER, local_authority_id=authority_id, la_manager_role=role))
    return arms


def held_by_q(user) -> Q:
    """Issues whose current level this user holds (whatever their status): a condition for checking one issue."""
    arms = _held_arms(user)
    q = Q(pk__in=[])
    for arm in arms:
        q |= arm
    return q


def held_issues_q(user, *, statuses) -> Q:
    """The issues in these statuses whose current level this user holds, for a list: a union of arms that each an
    index serves, where an OR of them makes PostgreSQL read every issue (the home page asks on every visit)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    held = _held_union(Issue.objects.db, user.pk, _assignments_key(scope_for(user)), tuple(sorted(statuses)), ("pk",))
    return Q(pk__in=[]) if held is None else Q(pk__in=held)


def held_issue_keys(user, *, statuses) -> RawSQL | None:
    """`held_issues_q`'s union as rows of (pk, level_since), the order of a queue: for issues in every status but
    closed, each arm is read from a partial index of open issues alone (`issue_open_*`, which hold both), so a page
    of the queue is chosen before any issue is read. None when the user holds nothing."""
    if not user.is_authenticated:
        return None
    return _held_union(
        Issue.objects.db, user.pk, _assignments_key(scope_for(user)), tuple(sorted(statuses)), ("pk", "level_since")
    )


@compiled_once
def _held_union(using: str, user_id: int, assignments, statuses: tuple[str, ...], columns: tuple[str, ...]):
    # Kept per user, role assignments, statuses and columns: the home page and the queue ask on every visit.
    issues = Issue.objects.using(using)
    if set(statuses) == set(Status.values) - {Status.CLOSED}:
        # Written as the open-issue indexes' own condition, which PostgreSQL then needs no issue's row to check.
        issues = issues.exclude(status=Status.CLOSED)
    else:
        issues = issues.filter(status__in=list(statuses))
    issues = issues.order_by().values(*columns)
    arms = [issues.filter(arm) for arm in _arms_of(user_id, assignments)]
    return arms[0].union(*arms[1:]) if len(arms) > 1 else arms[0]


def holds_level(user, issue: Issue) -> bool:
    return Issue.objects.filter(pk=issue.pk).filter(held_by_q(user)).exists()


def holds_level_as_read(user, issue: Issue) -> bool:
    """`holds_level` answered from an issue read with its district and operational contact (an issue's page,
    `selectors.issue_page`): the arms of `_arms_of`, in Python, so the page does not ask the database again. What
    the page offers is checked again by `check`, in SQL, when it is sent."""
    if not user.is_authenticated:
        return False
    contact = issue.operational_contact
    if issue.level == Level.OPERATIONAL and contact is not None and contact.user_id == user.pk:
        return True
    district, level = issue.district, issue.level
    operational = level == Level.OPERATIONAL
    for role, district_id, region_id, authority_id in _assignments_key(scope_for(user)):
        held = (
            (role == Role.ERM and district_id == issue.district_id)
            and (level == Level.DISTRICT_ERM or (operational and not district.managed_by_region))
        ) or (
            (role == Role.REGIONAL_ERM and region_id == district.region_id)
            and (level == Level.REGIONAL_ERM or (operational and district.managed_by_region))
        )
        held = held or (role, level) in ((Role.ODN, Level.ODN), (Role.GPT, Level.GPT))
        held = held or (
            role in (Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER)
            and level == Level.LA_MANAGER
            and (issue.local_authority_id, issue.la_manager_role) == (authority_id, role)
        )
        if held:
            return True
    return False


def _managed_authority_ids(scope) -> set[int]:
    """The LAs whose managers the user is: they raise the LA's issues (an LA monitoring officer only monitors)."""
    return {a.local_authority_id for a in scope.assignments if a.role in LA_MANAGER_ROLES}


def can_log(user, *, direction: str, district: District, local_authority: LocalAuthority | None = None) -> bool:
    """ERMs and LA managers raise issues with JCP; JCP district staff and Regional ERMs raise them with LAs."""
    scope = scope_for(user)
    if scope.national:
        return True
    district_staff = {a.district_id for a in scope.assignments if a.role in DISTRICT_ROLES}
    erms = {a.district_id for a in scope.assignments if a.role == Role.ERM}
    regional = district.region_id in scope.region_ids
    if direction == Direction.TO_JCP:
        own_la = local_authority is not None and local_authority.pk in _managed_authority_ids(scope)
        return district.pk in erms or regional or own_la
    return district.pk in district_staff or regional


def may_log_in(user, district: District) -> bool:
    """Whether the user logs some kind of issue for this district (the district page offers "Log an issue")."""
    scope = scope_for(user)
    if scope.national or district.region_id in scope.region_ids:
        return True
    if any(a.role in DISTRICT_ROLES and a.district_id == district.pk for a in scope.assignments):
        return True
    managed = _managed_authority_ids(scope)
    return bool(managed) and district.local_authorities.filter(pk__in=managed).exists()


def may_log_anything(user) -> bool:
    scope = scope_for(user)
    return (
        scope.national
        or bool(scope.region_ids or _managed_authority_ids(scope))
        or any(a.role in DISTRICT_ROLES for a in scope.assignments)
    )


def raised_by_users_authority(user, issue: Issue) -> bool:
    """The user is a manager (Benefits or Fraud) of the LA that raised the issue with JCP."""
    if issue.direction != Direction.TO_JCP or not user.is_authenticated:
        return False
    return issue.local_authority_id in _managed_authority_ids(scope_for(user))


def allowed_actions(user, issue: Issue, *, holds: bool | None = None) -> set[str]:
    """What this user may do to the issue as it stands; the page offers exactly these forms."""
    if holds is None:
        holds = holds_level(user, issue)
    actions: set[str] = set()
    if issue.status in OPEN_STATUSES and raised_by_users_authority(user, issue):
        actions.add(LA_ATTEMPT)
    if issue.status in OPEN_STATUSES and holds:
        actions |= {UPDATE, RESOLVE}
        if next_level(issue) is not None:
            actions.add(ESCALATE)
        if issue.level == Level.OPERATIONAL:
            actions.add(REREFER)
        if issue.level == Level.ODN and issue.gateway_since is None:
            actions.add(GATEWAY)
    elif issue.status == Status.RESOLVED and (holds or issue.resolved_by_id == user.pk):
        actions.add(COMMUNICATE)
    elif issue.status == Status.CLOSED and (
        holds
        or issue.created_by_id == user.pk
        or can_log(user, direction=issue.direction, district=issue.district, local_authority=issue.local_authority)
    ):
        actions.add(REOPEN)
    return actions


def check(user, issue: Issue, action: str, *, version: int | None) -> None:
    """Raise PermissionDenied, StaleIssue or Refused unless the user may take this action now."""
    if not Issue.objects.visible_to(user).filter(pk=issue.pk).exists():
        raise PermissionDenied("This issue is outside the districts and authorities you work with.")
    holds = holds_level(user, issue)
    # An out-of-date page is checked against the issue as it is now: what is no longer open to the user is refused
    # for that reason (never with an invitation to submit again); only what would still succeed is stale.
    stale = version is not None and version != issue.version
    if action in (*HOLDER_ACTIONS, LA_ATTEMPT) and issue.status not in OPEN_STATUSES:
        raise Refused(f"{issue.reference} is no longer open: its status is “{issue.get_status_display()}”.")
    if action == COMMUNICATE and issue.status != Status.RESOLVED:
        raise Refused(
            f"{issue.reference}'s status is “{issue.get_status_display()}”: only a resolved issue's outcome is "
            "communicated."
        )
    if action == REOPEN and issue.status != Status.CLOSED:
        raise Refused(
            f"{issue.reference} is not “{Status.CLOSED.label}”: only an issue whose outcome was communicated can be "
            "reopened."
        )
    if action == LA_ATTEMPT and not raised_by_users_authority(user, issue):
        raise PermissionDenied(
            f"Only a Benefits or Fraud Manager of {issue.local_authority}, the authority that raised it, records the "
            "LA's own attempts."
        )
    if action == REREFER and issue.level != Level.OPERATIONAL:
        raise Refused(
            f"{issue.reference} has left the operational level (it is at {issue.level_label}): only an issue still "
            "with its operational contact can be re-referred."
        )
    if action == GATEWAY and issue.level != Level.ODN:
        raise Refused(f"{issue.reference} is at {issue.level_label}: only the ODN refers an issue to the COO Gateway.")
    if action == GATEWAY and issue.gateway_since is not None:
        raise Refused(f"{issue.reference} is already with the {issue.stage_label}.")
    if (
        action in (*HOLDER_ACTIONS, COMMUNICATE)
        and not holds
        and not (action == COMMUNICATE and issue.resolved_by_id == user.pk)
    ):
        raise PermissionDenied(f"Only the holder of the issue's current level ({issue.level_label}) can do this.")
    if action == REOPEN and REOPEN not in allowed_actions(user, issue, holds=holds):
        raise PermissionDenied("Only the people on this issue's route, or who raised it, can reopen it.")
    if action == ESCALATE and (reason := escalate_refusal(issue)):
        raise Refused(reason)
    if stale:
        where = f"“{issue.get_status_display()}”"
        if not (issue.level == Level.OPERATIONAL and issue.status == Status.REFERRED):
            where += f" at {issue.stage_label}"
        raise StaleIssue(
            f"Someone else changed {issue.reference} while you were looking at it. It is now {where}. Your text is "
            "below: check the timeline, then submit again if it still applies."
        )


def escalate_refusal(issue: Issue) -> str | None:
    """Why the issue cannot go up from where it stands (None when it can), whoever asks.

    `check` refuses with this message, and the issue page shows it in place of the escalate form, so the page
    never offers a step that the route would then turn down.
    """
    if next_level(issue) is None:
        return f"{issue.level_label} is the top of this route: resolve the issue here" + (
            " or take it to the Joint Board." if issue.direction == Direction.TO_LA else "."
        )
    if issue.level == Level.OPERATIONAL and not issue.attempts_made:
        return (
            "Record the attempt made at the operational level before escalating: add an update saying what the "
            "operational contact tried. An issue goes up only once an attempt there is on record."
        )
    return None


def blocked_actions(allowed: set[str], issue: Issue) -> dict[str, str]:
    """Of the actions the user holds (`allowed_actions`), those the route refuses for now, with what must happen
    first; the page says so instead of offering a form that would only be refused."""
    blocked = {}
    if ESCALATE in allowed and (reason := escalate_refusal(issue)):
        blocked[ESCALATE] = reason
    return blocked


@dataclass
class HolderIndex:
    """Who holds each level, loaded once so that a scan over many issues makes a fixed number of queries."""

    erm: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    regional: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    national: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    authority: dict[tuple[int, str], set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls) -> HolderIndex:
        index = cls()
        rows = RoleAssignment.objects.filter(
            user__is_active=True,
            role__in=[Role.ERM, Role.REGIONAL_ERM, Role.ODN, Role.GPT, Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER],
        ).values_list("role", "user_id", "district_id", "region_id", "local_authority_id")
        for role, user_id, district_id, region_id, authority_id in rows:
            if role == Role.ERM:
                index.erm[district_id].add(user_id)
            elif role == Role.REGIONAL_ERM:
                index.regional[region_id].add(user_id)
            elif role in (Role.ODN, Role.GPT):
                index.national[role].add(user_id)
            else:
                index.authority[(authority_id, role)].add(user_id)
        return index

    def holders(self, issue: Issue, level: str | None = None) -> set[int]:
        """User ids holding `level` (default: the issue's current level) for this issue."""
        level = level or issue.level
        district = issue.district
        if level == Level.OPERATIONAL:
            people = set()
            contact = issue.operational_contact
            if contact is not None and contact.user_id:
                people.add(contact.user_id)
            manager = self.regional[district.region_id] if district.managed_by_region else self.erm[district.pk]
            return people | manager
        if level == Level.DISTRICT_ERM:
            return set(self.erm[district.pk])
        if level == Level.REGIONAL_ERM:
            return set(self.regional[district.region_id])
        if level == Level.ODN:
            return set(self.national[Role.ODN])
        if level == Level.GPT:
            return set(self.national[Role.GPT])
        return set(self.authority[(issue.local_authority_id, issue.la_manager_role)])
