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


class AttestationQuerySet(_ByBoard):
    board_path = "area__plan__board"


class ExerciseQuerySet(_ByBoard):
    board_path = "area__plan__board"


class SampleQuerySet(_ByBoard):
    board_path = "exercise__area__plan__board"
