"""What management information adds to the home page: the quarter's figures still to enter, for those who enter."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from liaison.home import register_home_panel
from liaison.querysets import kept_count, kept_query
from mi.models import Figure, Measure, Side
from mi.periods import Quarter
from mi.querysets import entering


def figures_panel(request) -> str | None:
    allowed = entering(request.user)
    if allowed.everywhere or not allowed.any:
        return None
    quarter = Quarter.last_complete(timezone.localdate())
    # Asked on every visit to the home page by those who enter figures, with SQL that depends on the quarter and
    # the user's organisations alone: kept (liaison.querysets.kept_query).
    measures = kept_query(
        ("mi.home.sides", quarter.start),
        lambda: Measure.objects.in_use_on(quarter.start).values_list("side", flat=True),
    ).rows()
    expected = len(allowed.authority_ids) * measures.count(Side.LA) + len(allowed.district_ids) * measures.count(
        Side.JCP
    )
    authorities, districts = tuple(sorted(allowed.authority_ids)), tuple(sorted(allowed.district_ids))
    entered = kept_count(
        ("mi.home.entered-la", quarter.start, authorities),
        lambda: Figure.objects.filter(quarter_start=quarter.start, local_authority_id__in=authorities),
    ) + kept_count(
        ("mi.home.entered-jcp", quarter.start, districts),
        lambda: Figure.objects.filter(quarter_start=quarter.start, district_id__in=districts),
    )
    return render_to_string(
        "mi/home/figures.html", {"quarter": quarter, "expected": expected, "entered": entered}, request=request
    )


def register() -> None:
    register_home_panel(40, figures_panel, name="mi.figures")
