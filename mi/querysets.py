"""Who sees and who enters each organisation's figures.

Everyone sees the figures of the organisations in their scope (a district's people also see its LAs', an LA's people
its districts'; national roles all): the board pack puts the two sides' figures side by side. Each organisation
enters its own: an LA's managers and monitoring officer, a district's ERM, District Manager and monitoring officer;
and administrators. GPT keeps the catalogue but does not enter an organisation's figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from liaison.models import AUTHORITY_ROLES, DISTRICT_ROLES, District, LocalAuthority, Role
from liaison.scoping import scope_for


@dataclass(frozen=True)
class Entering:
    """The organisations a user enters figures for."""

    authority_ids: frozenset[int]
    district_ids: frozenset[int]
    everywhere: bool = False

    def may(self, *, local_authority_id: int | None = None, district_id: int | None = None) -> bool:
        if self.everywhere:
            return True
        if local_authority_id is not None:
            return local_authority_id in self.authority_ids
        return district_id in self.district_ids

    @property
    def any(self) -> bool:
        return self.everywhere or bool(self.authority_ids or self.district_ids)


def entering(user) -> Entering:
    scope = scope_for(user)
    if scope.admin:
        return Entering(frozenset(), frozenset(), everywhere=True)
    return Entering(
        authority_ids=frozenset(a.local_authority_id for a in scope.assignments if a.role in AUTHORITY_ROLES),
        district_ids=frozenset(a.district_id for a in scope.assignments if a.role in DISTRICT_ROLES),
    )


def entering_organisations(user) -> tuple[models.QuerySet[LocalAuthority], models.QuerySet[District]]:
    allowed = entering(user)
    if allowed.everywhere:
        return LocalAuthority.objects.order_by("name"), District.objects.order_by("name")
    return (
        LocalAuthority.objects.filter(pk__in=allowed.authority_ids).order_by("name"),
        District.objects.filter(pk__in=allowed.district_ids).order_by("name"),
    )


def keeps_catalogue(user) -> bool:
    scope = scope_for(user)
    return scope.admin or scope.has_role(Role.GPT)


class FigureQuerySet(models.QuerySet):
    def for_quarters(self, quarters) -> FigureQuerySet:
        return self.filter(quarter_start__in=[q.start for q in quarters])

    def visible_to(self, user) -> FigureQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        if not scope.roles:
            return self.none()
        districts = scope.visible_district_ids
        authorities = LocalAuthority.districts.through.objects.filter(district_id__in=scope.district_ids).values(
            "localauthority_id"
        )
        return self.filter(
            Q(district_id__in=districts)
            | Q(local_authority_id__in=scope.authority_ids)
            | Q(local_authority_id__in=authorities)
        )
