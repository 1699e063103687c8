"""Filters of the national index; the same filters drive its CSV, XLSX and PDF exports."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from boards.models import Board, BoardScope, BoardStatus
from boards.selectors import below_minimum_q, return_outstanding_q, return_overdue_q
from liaison.filters import GovukFilterSet
from liaison.models import Region

YES_NO = [("yes", "Yes"), ("no", "No")]


class BoardIndexFilter(GovukFilterSet):
    region = django_filters.ModelChoiceFilter(
        label="Region",
        queryset=Region.objects.none(),
        method="by_region",
        empty_label="Any region",
        to_field_name="code",
    )
    scope = django_filters.ChoiceFilter(label="Scope", choices=BoardScope.choices, empty_label="Any scope")
    status = django_filters.ChoiceFilter(label="Status", choices=BoardStatus.choices, empty_label="Any status")
    return_outstanding = django_filters.ChoiceFilter(
        label="Return outstanding",
        choices=[("yes", "Outstanding this year"), ("overdue", "Overdue"), ("no", "Submitted or not needed")],
        method="by_return",
        empty_label="Any",
    )
    below_minimum = django_filters.ChoiceFilter(
        label="Below 2 meetings in 12 months", choices=YES_NO, method="by_meetings", empty_label="Any"
    )

    class Meta:
        model = Board
        fields = ["region", "scope", "status"]

    def __init__(self, data=None, *args, user, national: bool = False, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["region"].queryset = Region.objects.all() if national else Region.objects.visible_to(user)
        self.scoped(user, national)
        self.today = timezone.localdate()

    def by_region(self, queryset, name, value):
        through = Board.districts.through.objects.filter(district__region=value)
        return queryset.filter(pk__in=through.values("board_id"))

    def by_return(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(return_outstanding_q(self.today))
        if value == "overdue":
            return queryset.filter(return_overdue_q(self.today))
        return queryset.exclude(return_outstanding_q(self.today))

    def by_meetings(self, queryset, name, value):
        return queryset.filter(below_minimum_q()) if value == "yes" else queryset.exclude(below_minimum_q())
