"""What management information adds to the home page: the quarter's figures still to enter, for those who enter."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from liaison.home import register_home_panel
from liaison.querysets import kept_counts
from mi.models import Figure, Measure, Side
from mi.periods import Quarter
from mi.querysets import entering


def figures_panel(request) -> str | None:
    allowed = entering(request.user)
    if allowed.everywhere or not allowed.any:
        return None
    quarter = Quarter.last_complete(timezone.localdate())
    # Asked on every visit to the home page by those who enter figures, in one statement whose SQL depends on the
    # quarter and the user's organisations alone: kept (liaison.querysets.kept_counts).
    authorities, districts = tuple(sorted(allowed.authority_ids)), tuple(sorted(allowed.district_ids))
    la_measures, jcp_measures, entered_la, entered_jcp = kept_counts(
        ("mi.home.figures", quarter.start, authorities, districts),
        lambda: [
            Measure.objects.in_use_on(quarter.start).filter(side=Side.LA),
            Measure.objects.in_use_on(quarter.start).filter(side=Side.JCP),
            Figure.objects.filter(quarter_start=quarter.start, local_authority_id__in=authorities),
            Figure.objects.filter(quarter_start=quarter.start, district_id__in=districts),
        ],
    )
    expected = len(authorities) * la_measures + len(districts) * jcp_measures
    entered = entered_la + entered_jcp
    return render_to_string(
        "mi/home/figures.html", {"quarter": quarter, "expected": expected, "entered": entered}, request=request
    )


def register() -> None:
    register_home_panel(40, figures_panel, name="mi.figures")
