"""What monitoring adds to the home page: the areas and exercises the user monitors."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from liaison.home import register_home_panel
from liaison.querysets import kept_counts, kept_query, scope_key
from liaison.scoping import scope_for
from monitoring import selectors
from monitoring.models import period_label, period_start

SHOWN = 5


def monitoring_panel(request) -> str | None:
    """Exercises still open, and this period's areas with no exercise yet, where the user is the named monitor."""
    # Whether the user monitors any area first (most people monitor none: a quick query), then how many of each in
    # one statement, and the joined lists only where there is something. Each reads the user's areas as a subquery,
    # so its SQL depends on the user, their scope and the period alone: kept compiled, and a prepared statement's
    # generic plan serves it (a list of the areas' ids made PostgreSQL plan it afresh on every visit).
    user = request.user
    scope = scope_key(scope_for(user))
    if not kept_query(("home.monitoring", user.pk, scope), lambda: selectors.monitored_area_ids(user=user)[:1]).rows():
        return None
    current = period_start(timezone.localdate())
    key = ("home.monitoring", user.pk, scope, current)

    def areas():
        return selectors.monitored_area_ids(user=user)

    exercises_total, areas_total = kept_counts(
        key,
        lambda: [
            selectors.open_exercises(area_ids=areas()),
            selectors.areas_to_start(area_ids=areas(), start=current),
        ],
    )
    if not exercises_total and not areas_total:
        return None
    exercises, to_start = [], []
    if exercises_total:
        exercises = kept_query(
            (*key, "exercises", SHOWN), lambda: selectors.exercises_to_finish(area_ids=areas())[:SHOWN]
        ).rows()
        exercises = selectors.with_cases_recorded(exercises)
    if areas_total:
        to_start = kept_query(
            (*key, "areas", SHOWN), lambda: selectors.areas_to_start(area_ids=areas(), start=current)[:SHOWN]
        ).rows()
    return render_to_string(
        "monitoring/home/monitoring.html",
        {
            "exercises": exercises,
            "exercises_total": exercises_total,
            "areas": to_start,
            "areas_total": areas_total,
            "period": period_label(current),
        },
        request=request,
    )


def register() -> None:
    register_home_panel(30, monitoring_panel, name="monitoring.mine")
