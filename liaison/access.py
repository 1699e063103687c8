"""Who may give whom access: the grant area of a user (invitations, role changes, the people pages).

- District ERM: the roles of their own district(s) and the LA roles of the LAs in those districts;
- LA Benefits Manager: the LA roles of their own LA;
- Country/Regional ERM: every district and LA role in their region, and the regional role of their region;
- GPT and administrators: anyone, any role (only an administrator grants the administrator role).
Nobody else grants access.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from liaison.models import AUTHORITY_ROLES, DISTRICT_ROLES, NATIONAL_ROLES, REGION_ROLES, Role
from liaison.scoping import scope_for

SIGNING_ROLES = {Role.DISTRICT_MANAGER, Role.LA_BENEFITS_MANAGER}
MFA_ROLES = {Role.GPT, Role.ADMIN} | SIGNING_ROLES
GRANTING_ROLES = {Role.ERM, Role.LA_BENEFITS_MANAGER, Role.REGIONAL_ERM, Role.GPT, Role.ADMIN}


@dataclass(frozen=True)
class GrantArea:
    everything: bool = False
    admin: bool = False
    district_ids: frozenset[int] = frozenset()
    authority_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.district_ids or self.authority_ids or self.region_ids)

    def allows(self, *, role: str, district_id=None, region_id=None, local_authority_id=None) -> bool:
        if role == Role.ADMIN:
            return self.admin
        if self.everything:
            return True
        if role in DISTRICT_ROLES:
            return district_id in self.district_ids
        if role in AUTHORITY_ROLES:
            return local_authority_id in self.authority_ids
        if role in REGION_ROLES:
            return region_id in self.region_ids
        return False

    def roles(self) -> list[str]:
        """The roles this area can grant somewhere, in the order of `Role`."""
        wanted = set()
        if self.everything:
            wanted = set(Role.values) - (set() if self.admin else {Role.ADMIN.value})
        if self.district_ids:
            wanted |= {r.value for r in DISTRICT_ROLES}
        if self.authority_ids:
            wanted |= {r.value for r in AUTHORITY_ROLES}
        if self.region_ids:
            wanted |= {r.value for r in REGION_ROLES}
        return [value for value in Role.values if value in wanted]

    def assignments_q(self, prefix: str = "") -> Q:
        """Role assignments inside the area (as a filter on RoleAssignment, or on users with prefix)."""
        if self.everything:
            return Q()
        p = prefix
        return (
            Q(**{f"{p}district_id__in": self.district_ids})
            | Q(**{f"{p}local_authority_id__in": self.authority_ids})
            | Q(**{f"{p}region_id__in": self.region_ids})
        )


NOTHING = GrantArea()


def grant_area(user) -> GrantArea:
    scope = scope_for(user)
    if scope.admin or scope.has_role(Role.GPT):
        return GrantArea(everything=True, admin=scope.admin)
    region_ids = {a.region_id for a in scope.assignments if a.role == Role.REGIONAL_ERM}
    # An ERM's districts and every district of a Regional ERM's region: the districts their scope lets them edit,
    # read with the scope (so working out the grant area reads nothing more, and invitations' scope can be kept).
    district_ids = set(scope.editable_district_ids)
    authority_ids = {
        a.local_authority_id for a in scope.assignments if a.role == Role.LA_BENEFITS_MANAGER
    } | scope.authorities_in_editable_districts
    if not (district_ids or authority_ids or region_ids):
        return NOTHING
    return GrantArea(
        district_ids=frozenset(district_ids), authority_ids=frozenset(authority_ids), region_ids=frozenset(region_ids)
    )


def needs_mfa(roles) -> bool:
    return bool(set(roles) & {r.value for r in MFA_ROLES})


def role_needs_scope(role: str) -> str | None:
    if role in DISTRICT_ROLES:
        return "district"
    if role in AUTHORITY_ROLES:
        return "local_authority"
    if role in REGION_ROLES:
        return "region"
    if role in NATIONAL_ROLES:
        return None
    raise ValueError(role)
