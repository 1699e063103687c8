"""What monitoring adds to the home page: the areas and exercises the user monitors."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from liaison.home import register_home_panel
from monitoring import selectors
from monitoring.models import period_label, period_start

SHOWN = 5


def monitoring_panel(request) -> str | None:
    """Exercises still open, and this period's areas with no exercise yet, where the user is the named monitor."""
    # The user's areas first (most people monitor none): the two lists below then need no scope of their own.
    area_ids = selectors.monitored_area_ids(user=request.user)
    if not area_ids:
        return None
    current = period_start(timezone.localdate())
    open_exercises = selectors.exercises_to_finish(area_ids=area_ids)
    unstarted = selectors.areas_to_start(area_ids=area_ids, start=current)
    # Counted first on their own tables (quick to plan); the joined lists are read only where there is something.
    exercises_total = selectors.exercises_to_finish_count(area_ids=area_ids)
    areas_total = unstarted.order_by().count()
    if not exercises_total and not areas_total:
        return None
    exercises = selectors.with_cases_recorded(list(open_exercises[:SHOWN])) if exercises_total else []
    areas = list(unstarted[:SHOWN]) if areas_total else []
    return render_to_string(
        "monitoring/home/monitoring.html",
        {
            "exercises": exercises,
            "exercises_total": exercises_total,
            "areas": areas,
            "areas_total": areas_total,
            "period": period_label(current),
        },
        request=request,
    )


def register() -> None:
    register_home_panel(30, monitoring_panel, name="monitoring.mine")
