"""Who sees and who changes monitoring: derived from the boards a user can see (`Board.objects.visible_to`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liaison.models import Role
from liaison.scoping import scope_for


def monitorable_boards(user) -> models.QuerySet:
    """Boards whose monitoring the user may change: the board's editors and its districts' monitoring officers."""
    from boards.models import Board

    scope = scope_for(user)
    officer_districts = {
        a.district_id for a in scope.assignments if a.role == Role.MONITORING_OFFICER and a.district_id
    }
    editable = Board.objects.editable_by(user).values("pk")
    if not officer_districts:
        return Board.objects.filter(pk__in=editable)
    by_officer = Board.districts.through.objects.filter(district_id__in=officer_districts).values("board_id")
    return Board.objects.filter(Q(pk__in=editable) | Q(pk__in=by_officer))


def eligible_monitors(board):
    """Who may be named to monitor one of the board's areas (PA 5.3): a user of either of the board's
    organisations in scope — its districts' monitoring officers and ERMs, its LAs' monitoring officers and
    managers — and, where a district's relationship is managed by the Country/Region ERM, that Regional ERM and
    the monitoring officers of the region's districts."""
    from django.contrib.auth import get_user_model

    from liaison.models import LA_MANAGER_ROLES, RoleAssignment

    district_ids = list(board.districts.values_list("pk", flat=True))
    authority_ids = list(board.local_authorities.values_list("pk", flat=True))
    region_ids = list(board.districts.filter(managed_by_region=True).values_list("region_id", flat=True))
    by_role = Q(district_id__in=district_ids, role__in=[Role.MONITORING_OFFICER, Role.ERM]) | Q(
        local_authority_id__in=authority_ids, role__in=[Role.LA_MONITORING_OFFICER, *LA_MANAGER_ROLES]
    )
    if region_ids:
        by_role |= Q(region_id__in=region_ids, role=Role.REGIONAL_ERM) | Q(
            district__region_id__in=region_ids, role=Role.MONITORING_OFFICER
        )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=RoleAssignment.objects.filter(by_role).values("user_id"))
        .order_by("first_name", "last_name", "username")
    )


def monitored_areas_q(user, path: str = "") -> Q:
    """Areas the user may record on: those of boards whose monitoring they run, and those naming them as monitor
    on a board they still see (an LA monitoring officer monitors only its board's areas named to it)."""
    from boards.models import Board

    visible = Board.objects.visible_to(user).values("pk")
    return Q(**{f"{path}plan__board__in": monitorable_boards(user).values("pk")}) | Q(
        **{f"{path}monitor_id": getattr(user, "pk", None), f"{path}plan__board__in": visible}
    )


class _ByBoard(models.QuerySet):
    board_path = "board"

    def visible_to(self, user):
        from boards.models import Board

        return self.filter(**{f"{self.board_path}__in": Board.objects.visible_to(user).values("pk")})

    def editable_by(self, user):
        return self.filter(**{f"{self.board_path}__in": monitorable_boards(user).values("pk")})


class StandardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The national catalogue is for everyone signed in; a local standard for those who see its board."""
        from boards.models import Board

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(board__isnull=True) | Q(board__in=Board.objects.visible_to(user).values("pk")))

    def national(self):
        return self.filter(board__isnull=True)


class PlanQuerySet(_ByBoard):
    pass


class AreaQuerySet(_ByBoard):
    board_path = "plan__board"

    def editable_by(self, user):
        return self.filter(monitored_areas_q(user))


class AttestationQuerySet(_ByBoard):
    board_path = "area__plan__board"


class ExerciseQuerySet(_ByBoard):
    board_path = "area__plan__board"

    def editable_by(self, user):
        return self.filter(monitored_areas_q(user, "area__"))


class SampleQuerySet(_ByBoard):
    board_path = "exercise__area__plan__board"
