"""Demo management information: eight complete quarters of figures for every demo LA and district, with a spread
between organisations and a gentle trend, entered by someone of that organisation. The current quarter is left to
enter, and West Yorkshire's last quarter is incomplete, so that the missing-figures alert and the "needs attention"
list have something to show. Safe to run again: figures already there are left as they are."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from liaison.demo import register_demo_loader
from liaison.models import AUTHORITY_ROLES, DISTRICT_ROLES, District, LocalAuthority, Role, RoleAssignment
from mi.catalogue import seed_measures
from mi.models import Figure, Measure, Side, Unit
from mi.periods import Quarter

QUARTERS = 8
INCOMPLETE_DISTRICT = "west-yorkshire"
# (low, high) of each measure's usual values, by unit.
RANGES = {Unit.DAYS: (14.0, 32.0), Unit.PERCENT: (78.0, 99.5), Unit.COUNT: (50.0, 500.0)}


def _enterers() -> tuple[dict[int, object], dict[int, object], object]:
    by_la, by_district = {}, {}
    for assignment in RoleAssignment.objects.filter(
        role__in=[*AUTHORITY_ROLES, *DISTRICT_ROLES], user__is_active=True
    ).select_related("user"):
        if assignment.local_authority_id:
            by_la.setdefault(assignment.local_authority_id, assignment.user)
        elif assignment.district_id:
            by_district.setdefault(assignment.district_id, assignment.user)
    fallback = (
        get_user_model().objects.filter(is_superuser=True).first()
        or RoleAssignment.objects.filter(role=Role.ADMIN).select_related("user").first().user
    )
    return by_la, by_district, fallback


@register_demo_loader(400, "mi")
def load_mi_demo(today: datetime.date) -> dict[str, int]:
    seed_measures()  # seeded by migration; put back if a flushed test database lost them
    quarters = Quarter.last_complete(today).back(QUARTERS)
    measures = list(Measure.objects.current())
    have = set(
        Figure.objects.filter(quarter_start__in=[q.start for q in quarters]).values_list(
            "measure_id", "quarter_start", "local_authority_id", "district_id"
        )
    )
    by_la, by_district, fallback = _enterers()
    first_jcp = next((m for m in measures if m.side == Side.JCP), None)
    rows = []
    organisations = [("la", la) for la in LocalAuthority.objects.order_by("gss_code")]
    organisations += [("district", d) for d in District.objects.order_by("code")]
    for kind, org in organisations:
        for measure in measures:
            if (measure.side == Side.LA) != (kind == "la"):
                continue
            # The same numbers every time for the same organisation and measure.
            rng = random.Random(f"{org.pk}:{measure.code}")
            low, high = RANGES[Unit(measure.unit)]
            level = rng.uniform(low + (high - low) * 0.2, high - (high - low) * 0.2)
            improving = (-1 if measure.unit == Unit.DAYS else 1) * rng.uniform(0.1, 0.6)
            for index, quarter in enumerate(quarters):
                last = index == len(quarters) - 1
                if last and kind == "district" and org.code == INCOMPLETE_DISTRICT and measure != first_jcp:
                    continue
                la_id = org.pk if kind == "la" else None
                district_id = org.pk if kind == "district" else None
                if (measure.pk, quarter.start, la_id, district_id) in have:
                    continue
                value = min(high if measure.unit != Unit.PERCENT else 100.0, max(0.0, level + improving * index))
                value += rng.uniform(-1.5, 1.5)
                user = (by_la.get(org.pk) if kind == "la" else by_district.get(org.pk)) or fallback
                figure = Figure(
                    measure=measure, quarter_start=quarter.start, value=round(min(value, high), 1),
                    local_authority_id=la_id, district_id=district_id, entered_by=user,
                )  # fmt: skip
                figure._history_user = user
                rows.append(figure)
    bulk_create_with_history(rows, Figure, default_change_reason="Entered (demo)")
    return {"performance figures": len(rows)}
