"""Querysets of the boards app; `visible_to(user)` is the one way a page, export or API reads a board."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liaison.querysets import compiled_once
from liaison.scoping import scope_for


@compiled_once
def _visible_board_ids(using: str, district_ids: frozenset[int], authority_ids: frozenset[int]) -> models.QuerySet:
    from boards.models import Board

    by_district = Board.districts.through.objects.using(using).filter(district_id__in=district_ids)
    by_authority = Board.local_authorities.through.objects.using(using).filter(localauthority_id__in=authority_ids)
    return by_district.order_by().values("board_id").union(by_authority.order_by().values("board_id"))


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user) -> BoardQuerySet:
        """District roles see their districts' boards, LA managers their LAs' boards, a region its districts'."""
        scope = scope_for(user)
        if scope.national:
            return self.all()
        # Nearly every scoped read nests this; its SQL depends on the scope's ids alone (None: no district, no LA).
        ids = _visible_board_ids(self.db, scope.district_ids, scope.authority_ids)
        return self.none() if ids is None else self.filter(id__in=ids)

    def editable_by(self, user) -> BoardQuerySet:
        """The board's district ERM(s), the Regional ERM of its region, and administrators."""
        scope = scope_for(user)
        through = self.model.districts.through.objects.filter(district_id__in=scope.editable_district_ids)
        return self.filter(id__in=through.values("board_id"))

    def secretariat_of(self, user) -> BoardQuerySet:
        """Boards whose secretariat work the user does: its editors, and the users linked to its two co-chairs and
        its JCP and LA secretariat contacts while those contacts are in post (guidelines, Appendix 1)."""
        from liaison.models import Contact

        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = Contact.objects.active().filter(user_id=user.pk).values("pk")
        linked = Q(jcp_chair__in=own) | Q(la_chair__in=own) | Q(jcp_secretariat__in=own) | Q(la_secretariat__in=own)
        return self.filter(Q(id__in=self.editable_by(user).values("pk")) | linked)

    def member_of(self, user) -> BoardQuerySet:
        """Boards the user takes part in, JCP or LA side: those of their districts and LAs, and those whose
        secretariat they are. National roles read every board but are members of none (administrators excepted)."""
        scope = scope_for(user)
        member = Q(id__in=self.secretariat_of(user).values("pk"))
        ids = _visible_board_ids(self.db, scope.district_ids, scope.authority_ids)
        if ids is not None:
            member |= Q(id__in=ids)
        return self.filter(member)

    def proposable_by(self, user) -> BoardQuerySet:
        """Boards an LA member may propose agenda items to: those of the LAs the user manages."""
        from liaison.models import Role

        managed = {
            a.local_authority_id
            for a in scope_for(user).assignments
            if a.role in (Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER) and a.local_authority_id
        }
        through = self.model.local_authorities.through.objects.filter(localauthority_id__in=managed)
        return self.filter(id__in=through.values("board_id"))

    def in_district(self, district) -> BoardQuerySet:
        return self.filter(id__in=self.model.districts.through.objects.filter(district=district).values("board_id"))


class _BoardChildQuerySet(models.QuerySet):
    board_path = "board"

    def visible_to(self, user) -> models.QuerySet:
        from boards.models import Board

        return self.filter(**{f"{self.board_path}__in": Board.objects.visible_to(user).values("pk")})


class MeetingQuerySet(_BoardChildQuerySet):
    def held(self) -> MeetingQuerySet:
        return self.filter(status="held")


class ActionQuerySet(_BoardChildQuerySet):
    def open(self) -> ActionQuerySet:
        return self.exclude(status="done")


class GoodPracticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> GoodPracticeQuerySet:
        """Good practice is for sharing: every signed-in user can search every board's items."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()


class IndexReturnQuerySet(_BoardChildQuerySet):
    def update(self, **kwargs):
        raise TypeError("Submitted returns cannot be changed: submit a new return instead.")

    def delete(self):
        raise TypeError("Submitted returns cannot be deleted.")


class TransitionActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> TransitionActionQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        return self.filter(district_id__in=scope.district_ids)
