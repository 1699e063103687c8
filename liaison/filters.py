"""Search and filters of the contacts directory (the same filters drive the CSV export)."""

from __future__ import annotations

import datetime

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django.db.models import Q
from django.utils import timezone

from liaison.models import ContactRole, District, LocalAuthority, Side
from liaison.querysets import scope_key
from liaison.scoping import scope_for
from liaison.selectors import confirmation_cutoff

MAX_SEARCH_WORDS = 8


class GovukFilterSet(django_filters.FilterSet):
    """Filters shown as a GOV.UK form: sent by GET inside the page's own form, searches as text, the rest as selects."""

    # Everything its choosers' querysets are built from, where a subclass builds them from the user (`scoped`): their
    # SQL is then compiled once for each, not on every page (liaison/templatetags/filter_forms.py).
    chooser_scope: tuple | None = None

    def scoped(self, user, *more) -> None:
        self.chooser_scope = (scope_key(scope_for(user)), *more)

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            helper = FormHelper()
            helper.form_method = "get"
            helper.form_tag = False
            helper.layout = Layout(
                *(
                    Field.text(name, field_width=Fluid.FULL)
                    if isinstance(declared, django_filters.CharFilter)
                    else Field.select(name)
                    for name, declared in self.filters.items()
                ),
                Button("filter", "Apply filters", css_class="govuk-button--secondary"),
            )
            form.helper = helper
        return form

    @property
    def qs(self):
        # django-filter drops an invalid value and filters by the rest, which would list more than was asked for:
        # show the errors over an empty list instead.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs


def search_filter(help_text: str) -> django_filters.CharFilter:
    """A free-text search (the filter set's `search` method), short enough to keep the query small."""
    return django_filters.CharFilter(
        label="Search",
        method="search",
        help_text=help_text,
        max_length=100,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )


class ContactFilter(GovukFilterSet):
    q = search_filter("Name, email, job title or organisation")
    side = django_filters.ChoiceFilter(
        label="Organisation type", choices=Side.choices, method="by_side", empty_label="Any"
    )
    role = django_filters.ModelChoiceFilter(queryset=ContactRole.objects.all(), empty_label="Any role")
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(),
        method="by_district",
        empty_label="Any district",
        to_field_name="code",
    )
    local_authority = django_filters.ModelChoiceFilter(
        label="Local Authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Any authority",
        to_field_name="gss_code",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "In post"), ("ended", "Left the role"), ("all", "Everyone")],
        method="by_status",
        empty_label=None,
        initial="active",
    )
    confirmation = django_filters.ChoiceFilter(
        label="Confirmation",
        choices=[("overdue", "Not confirmed in 6 months"), ("current", "Confirmed in the last 6 months")],
        method="by_confirmation",
        empty_label="Any",
    )

    def __init__(self, data=None, *args, user, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "active"
        super().__init__(data, *args, **kwargs)
        self.filters["district"].queryset = District.objects.visible_to(user)
        self.filters["local_authority"].queryset = LocalAuthority.objects.visible_to(user)
        self.scoped(user)

    def search(self, queryset, name, value):
        # Each word narrows the search; a handful is plenty and keeps the query small.
        for term in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(email__icontains=term)
                | Q(job_title__icontains=term)
                | Q(local_authority__name__icontains=term)
                | Q(district__name__icontains=term)
                | Q(office__name__icontains=term)
            )
        return queryset

    def by_side(self, queryset, name, value):
        return queryset.filter(role__side=value)

    def by_district(self, queryset, name, value):
        return queryset.filter(Q(district=value) | Q(local_authority__districts=value)).distinct()

    def by_status(self, queryset, name, value):
        if value == "active":
            return queryset.active()
        if value == "ended":
            return queryset.filter(active_to__lt=timezone.localdate())
        return queryset

    def by_confirmation(self, queryset, name, value):
        cutoff = confirmation_cutoff(timezone.localdate())
        stale = queryset.unconfirmed_since(cutoff)
        return stale if value == "overdue" else queryset.exclude(pk__in=stale.values("pk"))


# The prefixes of the event kinds each part of the service writes (`<area>.<what happened>`).
ACTIVITY_AREAS = {
    "network": ("Contacts and network", ("contact.", "contacts.")),
    "issues": ("Issues", ("issue.",)),
    "boards": ("Joint Boards", ("board.", "meeting.", "minutes.", "action.", "return.", "transition.")),
    "monitoring": ("Monitoring", ("monitoring.",)),
    "agreements": ("Agreements and signing", ("agreement.",)),
    "alerts": ("Alerts", ("alert.",)),
}
ACTIVITY_PERIODS = {"week": 7, "month": 31, "quarter": 92, "year": 366}


class ActivityFilter(GovukFilterSet):
    q = search_filter("Words in the description")
    area = django_filters.ChoiceFilter(
        label="Area",
        choices=[(code, label) for code, (label, _) in ACTIVITY_AREAS.items()],
        method="by_area",
        empty_label="Everything",
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(), method="by_district", empty_label="Any district", to_field_name="code"
    )
    period = django_filters.ChoiceFilter(
        label="When",
        choices=[
            ("week", "Last 7 days"),
            ("month", "Last 31 days"),
            ("quarter", "Last 3 months"),
            ("year", "Last 12 months"),
        ],
        method="by_period",
        empty_label="Any time",
    )

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["district"].queryset = District.objects.visible_to(user)
        self.scoped(user)

    def search(self, queryset, name, value):
        for term in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(summary__icontains=term)
        return queryset

    def by_area(self, queryset, name, value):
        query = Q()
        for prefix in ACTIVITY_AREAS[value][1]:
            query |= Q(kind__startswith=prefix)
        return queryset.filter(query)

    def by_district(self, queryset, name, value):
        # An event naming a district is that district's; one naming only an LA belongs to each district it sits in.
        in_district = LocalAuthority.districts.through.objects.filter(district=value).values("localauthority_id")
        return queryset.filter(Q(district=value) | Q(district__isnull=True, local_authority_id__in=in_district))

    def by_period(self, queryset, name, value):
        since = timezone.now() - datetime.timedelta(days=ACTIVITY_PERIODS[value])
        return queryset.filter(occurred_at__gte=since)
