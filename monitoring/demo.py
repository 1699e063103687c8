"""Demo monitoring: for each active demo board, three areas and completed exercises over the last three periods.

Played through the services, so the history and events are what a user would have made. Realistic samples (most
within target), with at least one standard not met and one exercise short of its sample size; the first board also
has a local standard with its own target. Safe to run again:
a board and period that has ever had a plan (read from the history) is left as it is.
"""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model

from boards.models import Board, BoardStatus
from liaison import calendar
from liaison.demo import register_demo_loader
from liaison.models import Role, RoleAssignment
from monitoring import services
from monitoring.catalogue import seed_catalogue
from monitoring.models import Plan, Standard, period_start
from monitoring.uploads import expected_columns

# Per period, the areas chosen: (standard, local risk, share of cases on time).
AREAS = [
    ("ADM-2", "Additional information from the BDC reaching the LA late delays new claims", 0.95),
    ("ADM-3", "Changes of circumstances reported at the LA not reaching the BDC", 1.0),
    ("ADM-8", "HBRO/MIRO not recorded when JCP benefit ends, causing overpayments", 1.0),
]

# The first board's locally agreed target for FRD-2, which the PA leaves to local agreement (PA 3.1.6).
LOCAL_STANDARD = ("FRD-2L", "Files retrieved from remote storage for fraud investigations", [(95, 3), (100, 10)])


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _actor_for(board: Board):
    """The district's monitoring officer, else its ERM, else a demo administrator."""
    district_ids = [d.pk for d in board.districts.all()]
    for role in (Role.MONITORING_OFFICER, Role.ERM):
        found = RoleAssignment.objects.filter(role=role, district_id__in=district_ids, user__is_active=True).first()
        if found:
            return found.user
    return get_user_model().objects.filter(is_superuser=True).first() or (
        RoleAssignment.objects.filter(role=Role.ADMIN).first().user
    )


@register_demo_loader(200, "monitoring")
def load_monitoring_demo(today: datetime.date) -> dict[str, int]:
    counts = {"plans": 0, "exercises": 0, "samples": 0, "local standards": 0}
    seed_catalogue()  # seeded by migration; put back if a flushed test database lost it
    standards = {s.code: s for s in Standard.objects.national()}
    known = set(Plan.history.values_list("board_id", "period_start"))
    current = period_start(today)
    starts = [current - relativedelta(months=6 * n) for n in (2, 1, 0)]
    boards = Board.objects.filter(status=BoardStatus.ACTIVE).prefetch_related("districts", "local_authorities")
    for board_index, board in enumerate(boards.order_by("pk")):
        authorities = sorted(board.local_authorities.all(), key=lambda a: a.name)
        if not authorities:
            continue
        actor = _actor_for(board)
        # The LA side monitors its own standard (ADM-3 is LA-side): the LA monitoring officer of one of the board's
        # authorities, where there is one, is named for it.
        la_monitor = RoleAssignment.objects.filter(
            role=Role.LA_MONITORING_OFFICER, local_authority__in=authorities, user__is_active=True
        ).first()
        if board_index == 0 and not Standard.objects.filter(board=board, code=LOCAL_STANDARD[0]).exists():
            code, title, thresholds = LOCAL_STANDARD
            services.standard_create(
                actor=actor, board=board, code=code, title=title, kind="timeliness", thresholds=thresholds
            )
            counts["local standards"] = 1
        for start in starts:
            if (board.pk, start) in known:
                continue
            rng = random.Random(f"{board.pk}-{start}")
            period_day = min(start + datetime.timedelta(days=40), today - datetime.timedelta(days=30))
            plan = None
            sampling = period_day >= start  # early in a period there is nothing to sample yet
            for area_index, (code, risk, on_time) in enumerate(AREAS):
                area = services.area_select(
                    actor=actor,
                    board=board,
                    standard=standards[code],
                    local_risk=risk,
                    monitor=la_monitor.user if la_monitor and code == "ADM-3" else actor,
                    on=period_day if sampling else today,
                )
                plan = area.plan
                if not sampling:
                    continue
                # The first board misses ADM-2 in the previous period; its ADM-3 then is short of its sample.
                previous = start == starts[1] and board_index == 0
                # The days sampled lie within the period (a Monday early in July may fall in June).
                week = max(_monday_on_or_before(period_day), start) + datetime.timedelta(weeks=area_index)
                authority = authorities[area_index % len(authorities)]
                exercise = services.exercise_create(
                    actor=actor, area=area, local_authority=authority, sampled_from=week,
                    sampled_to=week + datetime.timedelta(days=4), throughput=rng.randint(300, 900),
                )  # fmt: skip
                size = exercise.required_size - (3 if previous and code == "ADM-3" else 0)
                target = max(t.days for t in standards[code].thresholds.all()) if code != "ADM-8" else 5
                rows = []
                for n in range(size):
                    started = week + datetime.timedelta(days=rng.randint(0, 4))
                    # Every fourth case late for the 2-day target where the demo misses ADM-2.
                    fast = n % 4 != 0 if previous and code == "ADM-2" else rng.random() < on_time
                    if code == "ADM-2":
                        days = rng.randint(0, 2) if fast else rng.randint(3, 5)  # late for 2 days, not for 5
                    else:
                        days = rng.randint(0, target) if fast else target + rng.randint(1, 6)
                    ended = calendar.add_working_days(started, days, authority.nation)
                    rows.append(
                        {
                            "row": n + 2,
                            "case_reference": f"{code}-{start:%y%m}-{n + 1:04d}",
                            "start_date": started,
                            "end_date": ended if ended <= today else None,
                            "compliant": (rng.random() < on_time) if code == "ADM-8" else None,
                            "errors": {},
                        }
                    )
                # As a monitor would: one file per exercise, saved whole.
                counts["samples"] += services.samples_import(
                    actor=actor, exercise=exercise, rows=rows, columns=expected_columns(code == "ADM-8")
                )
                if start != current:
                    services.exercise_complete(actor=actor, exercise=exercise)
                counts["exercises"] += 1
            if plan is not None and start != current:
                services.plan_confirm(actor=actor, plan=plan)
            counts["plans"] += 1
    return counts
