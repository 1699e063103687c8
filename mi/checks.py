"""The figures' deadline: a quarter's figures are due by the last day of the month after it ends (October to
December is due by 31 January). From 14 days before that day until every figure is in, each organisation with
measures still missing is reminded; after the day the same alert says they are overdue. It clears once the last
figure is entered. Set-based: a fixed number of queries whatever the number of organisations."""

from __future__ import annotations

import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import Count
from django.urls import reverse

from liaison.alerts import Finding, register_check
from liaison.models import AUTHORITY_ROLES, DISTRICT_ROLES, District, LocalAuthority, RoleAssignment
from mi.models import Figure, Measure, Side
from mi.periods import Quarter

WARNING_DAYS = 14


def due_date(quarter: Quarter) -> datetime.date:
    return quarter.end + relativedelta(months=1, day=31)


def quarter_being_reported(today: datetime.date) -> Quarter | None:
    """The quarter whose figures are due soon or overdue today: the last complete one, from 14 days before its due
    date (it is replaced by the next one when that one ends)."""
    quarter = Quarter.last_complete(today)
    return quarter if today >= due_date(quarter) - datetime.timedelta(days=WARNING_DAYS) else None


@register_check("mi-figures-missing", "Quarterly performance figures missing near or after their due date")
def figures_missing(today: datetime.date) -> list[Finding]:
    quarter = quarter_being_reported(today)
    if quarter is None:
        return []
    due = due_date(quarter)
    measures = list(Measure.objects.in_use_on(quarter.start))
    expected = {side: sum(1 for m in measures if m.side == side) for side in (Side.LA, Side.JCP)}
    entered = Figure.objects.filter(quarter_start=quarter.start, measure__in=measures)
    by_la = dict(
        entered.filter(local_authority__isnull=False)
        .values("local_authority").annotate(n=Count("id")).values_list("local_authority", "n")
    )  # fmt: skip
    by_district = dict(
        entered.filter(district__isnull=False).values("district").annotate(n=Count("id")).values_list("district", "n")
    )
    people: dict[tuple[str, int], set[int]] = defaultdict(set)
    for user_id, role, la_id, district_id in RoleAssignment.objects.filter(
        role__in=[*AUTHORITY_ROLES, *DISTRICT_ROLES], user__is_active=True
    ).values_list("user_id", "role", "local_authority_id", "district_id"):
        if role in AUTHORITY_ROLES and la_id:
            people[("la", la_id)].add(user_id)
        elif role in DISTRICT_ROLES and district_id:
            people[("district", district_id)].add(user_id)
    findings = []
    when = f"due by {due:%-d %B %Y}" if today <= due else f"overdue since {due:%-d %B %Y}"
    for kind, organisations, counts, side in (
        ("la", LocalAuthority.objects.values_list("pk", "name", "gss_code"), by_la, Side.LA),
        ("district", District.objects.values_list("pk", "name", "code"), by_district, Side.JCP),
    ):
        total = expected[side]
        for pk, name, code in organisations:
            missing = total - counts.get(pk, 0)
            recipients = people.get((kind, pk))
            if missing <= 0 or not total or not recipients:
                continue
            findings.append(
                Finding(
                    key=f"{kind}:{pk}:{quarter.code}",
                    title=f"{name}: figures for {quarter.label} {when}: {missing} of {total} missing",
                    detail=f"Enter the {quarter.short} figures of {name}; they go into the performance pack of its "
                    "Joint Boards, beside the regional and national medians.",
                    url=reverse("mi:figures-enter", args=[kind, code, quarter.code]),
                    recipient_ids=frozenset(recipients),
                    district_id=pk if kind == "district" else None,
                    local_authority_id=pk if kind == "la" else None,
                )
            )
    return findings
