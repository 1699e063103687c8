"""Deadline checks of monitoring: too few areas, no monitoring in 6 months, a standard not met, a short sample."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from boards.models import Board, BoardStatus
from liaison.alerts import Finding, register_check
from liaison.models import Role, RoleAssignment
from liaison.selectors import responsible_for_districts
from monitoring.models import MINIMUM_AREAS, Exercise, period_label, period_start
from monitoring.selectors import exercise_results


def _active_boards():
    return Board.objects.filter(status=BoardStatus.ACTIVE).prefetch_related("districts")


def _responsible(boards) -> dict[int, frozenset[int]]:
    """Each board's district ERMs (or Regional ERMs) and its districts' monitoring officers."""
    district_ids = {d.pk for board in boards for d in board.districts.all()}
    if not district_ids:
        return {board.pk: frozenset() for board in boards}
    per_district = responsible_for_districts(district_ids)
    for user_id, district_id in RoleAssignment.objects.filter(
        role=Role.MONITORING_OFFICER, district_id__in=district_ids, user__is_active=True
    ).values_list("user_id", "district_id"):
        per_district.setdefault(district_id, set()).add(user_id)
    return {
        board.pk: frozenset(uid for d in board.districts.all() for uid in per_district.get(d.pk, ()))
        for board in boards
    }


def _first_district_id(board) -> int | None:
    districts = sorted(board.districts.all(), key=lambda d: d.name)
    return districts[0].pk if districts else None


def _url(board) -> str:
    return reverse("monitoring:board", args=[board.pk])


@register_check("monitoring-too-few-areas", "Joint Board monitoring fewer than 3 areas this period")
def too_few_areas(today: datetime.date) -> list[Finding]:
    start = period_start(today)
    boards = list(
        _active_boards()
        .annotate(areas=Count("monitoring_plans__areas", filter=Q(monitoring_plans__period_start=start)))
        .filter(areas__lt=MINIMUM_AREAS)
    )
    responsible = _responsible(boards)
    return [
        Finding(
            key=f"board:{board.pk}:{start:%Y-%m}",
            title=f"{board.title} monitors {board.areas} area{'' if board.areas == 1 else 's'} "
            f"in {period_label(start)}",
            detail="A Joint Board selects at least 3 areas to monitor every six months, each aligned with a local "
            "risk (Partnership Agreement 3.1.4).",
            url=_url(board),
            recipient_ids=responsible[board.pk],
            district_id=_first_district_id(board),
        )
        for board in boards
    ]


@register_check("monitoring-none-in-6-months", "Joint Board has completed no monitoring in 6 months")
def none_in_six_months(today: datetime.date) -> list[Finding]:
    since = today - relativedelta(months=6)
    recent = Exercise.objects.filter(completed_at__date__gt=since).values("area__plan__board_id")
    boards = list(_active_boards().filter(established_on__lte=since).exclude(pk__in=recent))
    responsible = _responsible(boards)
    return [
        Finding(
            key=f"board:{board.pk}",
            title=f"{board.title} has completed no monitoring exercise since {since:%-d %B %Y}",
            detail="Standards are monitored at least every six months (Partnership Agreement 3.1.5).",
            url=_url(board),
            recipient_ids=responsible[board.pk],
            district_id=_first_district_id(board),
        )
        for board in boards
    ]


def latest_completed_exercises(today: datetime.date):
    """Of each area and LA, the exercise completed last, where that was in the last 12 months on an active board.

    An area is monitored again and again for each LA; once a later exercise is completed, it is the one that says
    whether the standard is met, and the earlier result is history on the exercise pages."""
    later = Exercise.objects.filter(
        area=OuterRef("area"),
        local_authority=OuterRef("local_authority"),
        completed_at__gt=OuterRef("completed_at"),
    )
    return Exercise.objects.filter(
        completed_at__date__gt=today - relativedelta(months=12), area__plan__board__status=BoardStatus.ACTIVE
    ).exclude(Exists(later))


@register_check("monitoring-standard-not-met", "Monitored standard not met")
def standard_not_met(today: datetime.date) -> list[Finding]:
    """The latest completed exercise of each area and LA, if it misses a target: to the co-chairs and the ERM, until a
    corrected result or a later exercise meets it."""
    failing = [r for r in exercise_results(latest_completed_exercises(today), today) if r.met is False]
    boards = list(
        Board.objects.filter(pk__in={r.exercise.area.plan.board_id for r in failing})
        .select_related("jcp_chair", "la_chair", "erm")
        .prefetch_related("districts")
    )
    responsible = _responsible(boards)
    by_pk = {board.pk: board for board in boards}
    findings = []
    for result in failing:
        exercise = result.exercise
        board = by_pk[exercise.area.plan.board_id]
        chairs = {c.user_id for c in (board.jcp_chair, board.la_chair, board.erm) if c is not None and c.user_id}
        missed = "; ".join(f"{row.label}: {row.percent}%" for row in result.rows if row.met is False)
        findings.append(
            Finding(
                key=f"exercise:{exercise.pk}",
                title=f"{board.title}: {exercise.area.standard.code} not met for {exercise.local_authority.name}",
                detail=f"Cases sampled from {exercise.sampled_from:%-d %B %Y} to {exercise.sampled_to:%-d %B %Y}. "
                f"Missed: {missed}. Agree the improvement at the board's next meeting.",
                url=exercise.get_absolute_url(),
                recipient_ids=frozenset(chairs | responsible[board.pk]),
                district_id=_first_district_id(board),
                local_authority_id=exercise.local_authority_id,
            )
        )
    return findings


@register_check("monitoring-sample-short", "Monitoring exercise with fewer samples than its required size")
def sample_short(today: datetime.date) -> list[Finding]:
    """The latest completed exercise of each area and LA, if short of its sample size, as for a standard not met."""
    exercises = list(
        latest_completed_exercises(today)
        .annotate(sampled=Count("samples"))
        .filter(sampled__lt=F("required_size"))
        .select_related("area__standard", "area__plan__board", "local_authority")
    )
    boards = list(Board.objects.filter(pk__in={e.area.plan.board_id for e in exercises}).prefetch_related("districts"))
    responsible = _responsible(boards)
    by_pk = {board.pk: board for board in boards}
    return [
        Finding(
            key=f"exercise:{exercise.pk}",
            title=f"{exercise.area.plan.board.title}: {exercise.area.standard.code} sampled {exercise.sampled} of "
            f"{exercise.required_size} cases",
            detail="The sample is 2.5% of the throughput, rounded up, unless a smaller size was agreed with the "
            "reason recorded (Partnership Agreement annex 4). Add the missing cases.",
            url=exercise.get_absolute_url(),
            recipient_ids=responsible[exercise.area.plan.board_id],
            district_id=_first_district_id(by_pk[exercise.area.plan.board_id]),
            local_authority_id=exercise.local_authority_id,
        )
        for exercise in exercises
    ]
