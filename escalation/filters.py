"""Filters of the issue list; the same filters drive the CSV export."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from escalation.models import OPEN_STATUSES, Direction, Issue, Level, Source, Status
from liaison.filters import GovukFilterSet
from liaison.models import District, IssueCategory, LocalAuthority

AGES = [
    ("week", "Logged in the last 7 days"),
    ("month", "Logged 8 to 30 days ago"),
    ("quarter", "Logged 31 to 90 days ago"),
    ("older", "Logged more than 90 days ago"),
]
_AGE_DAYS = {"week": (0, 7), "month": (8, 30), "quarter": (31, 90), "older": (91, None)}


class IssueFilter(GovukFilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open (any open status)"), *Status.choices], method="by_status", empty_label="Any status"
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, empty_label="Any level")
    direction = django_filters.ChoiceFilter(label="Raised", choices=Direction.choices, empty_label="Either way")
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(), empty_label="Any district", to_field_name="code"
    )
    local_authority = django_filters.ModelChoiceFilter(
        label="Local Authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Any authority",
        to_field_name="gss_code",
        method="by_authority",
    )
    category = django_filters.ModelChoiceFilter(
        queryset=IssueCategory.objects.all(), empty_label="Any category", to_field_name="code"
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, empty_label="Any source")
    age = django_filters.ChoiceFilter(label="Age", choices=AGES, method="by_age", empty_label="Any age")
    logged = django_filters.ChoiceFilter(
        label="Logged by", choices=[("me", "You")], method="by_logger", empty_label="Anyone"
    )

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["district"].queryset = District.objects.visible_to(user)
        self.filters["local_authority"].queryset = LocalAuthority.objects.visible_to(user)
        self.scoped(user)

    def by_status(self, queryset, name, value):
        return queryset.filter(status__in=OPEN_STATUSES) if value == "open" else queryset.filter(status=value)

    def by_authority(self, queryset, name, value):
        shared = Issue.objects.filter(other_authorities=value).values("pk")
        return queryset.filter(Q(local_authority=value) | Q(pk__in=shared))

    def by_logger(self, queryset, name, value):
        return queryset.filter(created_by=self.user) if value == "me" else queryset

    def by_age(self, queryset, name, value):
        today = timezone.localdate()
        youngest, oldest = _AGE_DAYS[value]
        queryset = queryset.filter(created_at__date__lte=today - datetime.timedelta(days=youngest))
        if oldest is not None:
            queryset = queryset.filter(created_at__date__gte=today - datetime.timedelta(days=oldest))
        return queryset
