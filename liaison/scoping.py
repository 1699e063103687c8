"""What a user may see and change, worked out from their role assignments.

Every page, export and API reads through the `visible_to(user)` querysets, which use this scope.

A scope is kept on the user object for the rest of the request, and in the shared cache between requests under a
generation that every change to what a scope is made of moves on (`scope_generation_bump`, connected in
liaison/apps.py to role assignments, districts, LAs and the LAs' districts): a revoked role stops counting on the
next request in every process, while an unchanged one is not read again from three tables on every page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction

GENERATION_KEY = "scope:generation"
KEPT_SECONDS = 600


@dataclass(frozen=True)
class Scope:
    national: bool = False
    roles: frozenset[str] = frozenset()
    # Districts the user works in (their own, or every district of their region).
    district_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    # LAs the user works for (LA managers).
    authority_ids: frozenset[int] = frozenset()
    # Districts the user's LAs sit in: their JCP networks are visible, the other LAs in them are not.
    authority_district_ids: frozenset[int] = frozenset()
    # Networks the user may edit.
    editable_district_ids: frozenset[int] = frozenset()
    editable_authority_ids: frozenset[int] = frozenset()
    # The LAs that sit in the districts the user may edit (the ERM's and Regional ERM's grant area, liaison/access.py).
    authorities_in_editable_districts: frozenset[int] = frozenset()
    admin: bool = False
    assignments: tuple = field(default_factory=tuple)

    @property
    def visible_district_ids(self) -> frozenset[int]:
        return self.district_ids | self.authority_district_ids

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


EMPTY = Scope()


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return EMPTY
    cached = getattr(user, "_liaison_scope", None)
    if cached is not None:
        return cached
    key = f"scope:user:{user.pk}"
    kept = cache.get_many([GENERATION_KEY, key])
    generation = kept.get(GENERATION_KEY)
    if generation is None:  # a cache emptied or new: start a generation (another process may have just done so)
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    # The account's own flags are part of the entry: the user row is read afresh on every request anyway.
    stamp = (generation, user.is_superuser, user.is_active)
    entry = kept.get(key)
    if entry is not None and entry[0] == stamp:
        scope = entry[1]
    else:
        # Built after the generation was read: a change while it is built moves the generation on, so what was
        # read before the change is never found under the new one.
        scope = _build_scope(user)
        kept_entry = (stamp, scope)
        if connection.in_atomic_block:
            # Read inside a transaction (a service's), perhaps one changing these very roles: kept only if it commits.
            transaction.on_commit(lambda: cache.set(key, kept_entry, KEPT_SECONDS))
        else:
            cache.set(key, kept_entry, KEPT_SECONDS)
    user._liaison_scope = scope
    return scope


def scope_generation_bump(**kwargs) -> None:
    """Every kept scope is stale: at once, and again when the change commits (a request that read the old rows
    between the two would otherwise keep them under the new generation)."""
    _bump()
    transaction.on_commit(_bump, using=kwargs.get("using"))


def _bump() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _build_scope(user) -> Scope:
    from liaison.models import (
        AUTHORITY_ROLES,
        DISTRICT_ROLES,
        LA_MANAGER_ROLES,
        NATIONAL_ROLES,
        REGION_ROLES,
        District,
        LocalAuthority,
        Role,
        RoleAssignment,
    )

    assignments = tuple(RoleAssignment.objects.filter(user=user))
    roles = frozenset(a.role for a in assignments)
    admin = user.is_superuser or Role.ADMIN in roles
    national = admin or bool(roles & {r.value for r in NATIONAL_ROLES})

    region_ids = frozenset(a.region_id for a in assignments if a.role in REGION_ROLES)
    own_district_ids = {a.district_id for a in assignments if a.role in DISTRICT_ROLES}
    region_district_ids = (
        set(District.objects.filter(region_id__in=region_ids).values_list("id", flat=True)) if region_ids else set()
    )
    district_ids = frozenset(own_district_ids | region_district_ids)
    authority_ids = frozenset(a.local_authority_id for a in assignments if a.role in AUTHORITY_ROLES)
    authority_district_ids = (
        frozenset(
            LocalAuthority.districts.through.objects.filter(localauthority_id__in=authority_ids).values_list(
                "district_id", flat=True
            )
        )
        if authority_ids
        else frozenset()
    )

    editable_district_ids = {a.district_id for a in assignments if a.role == Role.ERM} | region_district_ids
    # An LA monitoring officer reads the LA's network and boards but keeps no contacts: only its managers do.
    authorities_in_editable_districts = (
        frozenset(
            LocalAuthority.districts.through.objects.filter(district_id__in=editable_district_ids).values_list(
                "localauthority_id", flat=True
            )
        )
        if editable_district_ids
        else frozenset()
    )
    editable_authority_ids = {
        a.local_authority_id for a in assignments if a.role in LA_MANAGER_ROLES
    } | authorities_in_editable_districts
    if admin:
        editable_district_ids = set(District.objects.values_list("id", flat=True))
        editable_authority_ids = set(LocalAuthority.objects.values_list("id", flat=True))

    return Scope(
        national=national,
        roles=roles,
        district_ids=district_ids,
        region_ids=region_ids,
        authority_ids=authority_ids,
        authority_district_ids=authority_district_ids,
        editable_district_ids=frozenset(editable_district_ids),
        editable_authority_ids=frozenset(editable_authority_ids),
        authorities_in_editable_districts=authorities_in_editable_districts,
        admin=admin,
        assignments=assignments,
    )
