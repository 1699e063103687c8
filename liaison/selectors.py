"""Reads of the liaison network; each returns a queryset or plain data, scoped where a user is given."""

from __future__ import annotations

import datetime
from collections import defaultdict

from allauth.mfa.models import Authenticator
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from liaison.access import grant_area
from liaison.models import (
    Alert,
    Contact,
    ContactRole,
    District,
    Event,
    LocalAuthority,
    Role,
    RoleAssignment,
    Side,
)
from liaison.pagination import filtered_pages
from liaison.scoping import scope_for


def confirmation_cutoff(today: datetime.date) -> datetime.date:
    """Contacts last confirmed before this date are overdue for confirmation."""
    return today - relativedelta(months=settings.LIAISON_CONTACT_CONFIRMATION_MONTHS)


def contact_list(*, user) -> QuerySet[Contact]:
    return Contact.objects.visible_to(user).select_related(
        "role", "district", "office", "local_authority", "district__region"
    )


# What a row of the contacts directory shows (liaison/templatetags/contact_tags.py): its organisation is the LA, the
# office or the district by name.
DIRECTORY_ROW_FIELDS = (
    "pk",
    "name",
    "job_title",
    "phone",
    "email",
    "secure_email",
    "last_confirmed",
    "role__name",
    "district__name",
    "office__name",
    "local_authority__name",
)


def contact_directory(*, user) -> QuerySet[Contact]:
    """The contacts the user sees, with only what the directory's rows show: four small joins and narrow rows (the
    full rows with the district's region took PostgreSQL longer to plan than to read a page of them)."""
    return (
        Contact.objects.visible_to(user)
        .select_related("role", "district", "office", "local_authority")
        .only(*DIRECTORY_ROW_FIELDS)
    )


def district_links(*, user) -> QuerySet[District]:
    """The districts the user sees, by name, for links to them: no figures (the home page lists the first 20)."""
    return District.objects.visible_to(user).only("pk", "code", "name").order_by("name")


def district_list(*, user) -> QuerySet[District]:
    visible = LocalAuthority.objects.visible_to(user).values("pk")
    return (
        District.objects.visible_to(user)
        .select_related("region")
        .annotate(authority_count=Count("local_authorities", filter=Q(local_authorities__in=visible), distinct=True))
    )


def district_network(*, user, district: District, today: datetime.date) -> dict:
    """Everything the district page shows: its LAs and its contacts by role, all within the user's scope."""
    contacts = list(
        contact_list(user=user)
        .active(today)
        .filter(Q(district=district) | Q(local_authority__districts=district))
        .distinct()
        .order_by("role__order", "name")
    )
    authorities = list(LocalAuthority.objects.visible_to(user).filter(districts=district).prefetch_related("districts"))
    jcp_roles = list(ContactRole.objects.filter(side=Side.JCP))
    jcp_by_role: dict[int, list[Contact]] = defaultdict(list)
    la_contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.district_id == district.id:
            jcp_by_role[contact.role_id].append(contact)
        elif contact.local_authority_id:
            la_contacts[contact.local_authority_id].append(contact)
    cutoff = confirmation_cutoff(today)
    return {
        "authorities": [(authority, la_contacts.get(authority.id, [])) for authority in authorities],
        "jcp_roles": [(role, jcp_by_role.get(role.id, [])) for role in jcp_roles],
        "missing_roles": [role for role in jcp_roles if role.required_in_district and not jcp_by_role.get(role.id)],
        "contacts": contacts,
        "unconfirmed": [c for c in contacts if c.last_confirmed is None or c.last_confirmed < cutoff],
        "cutoff": cutoff,
    }


def authority_network(*, user, authority: LocalAuthority, today: datetime.date) -> dict:
    contacts = list(
        contact_list(user=user)
        .active(today)
        .filter(Q(local_authority=authority) | Q(district__local_authorities=authority))
        .distinct()
        .order_by("role__side", "role__order", "name")
    )
    return {
        "la_contacts": [c for c in contacts if c.local_authority_id == authority.id],
        "jcp_contacts": [c for c in contacts if c.district_id],
        "districts": list(District.objects.visible_to(user).filter(local_authorities=authority)),
        "cutoff": confirmation_cutoff(today),
    }


def responsible_for_districts(district_ids) -> dict[int, set[int]]:
    """Users who must act on a district's network: its ERMs, or the regional ERMs where the region manages it."""
    districts = {
        d.id: d for d in District.objects.filter(id__in=district_ids).only("id", "region_id", "managed_by_region")
    }
    erms: dict[int, set[int]] = defaultdict(set)
    for district_id, user_id in RoleAssignment.objects.filter(
        role=Role.ERM, district_id__in=districts, user__is_active=True
    ).values_list("district_id", "user_id"):
        erms[district_id].add(user_id)
    regional: dict[int, set[int]] = defaultdict(set)
    for region_id, user_id in RoleAssignment.objects.filter(
        role=Role.REGIONAL_ERM, region_id__in={d.region_id for d in districts.values()}, user__is_active=True
    ).values_list("region_id", "user_id"):
        regional[region_id].add(user_id)
    responsible = {}
    for district_id, district in districts.items():
        people = set() if district.managed_by_region else set(erms.get(district_id, ()))
        responsible[district_id] = people or set(regional.get(district.region_id, ()))
    return responsible


def open_alert_count(*, user) -> int:
    """How many of `alerts_for(user)` there are."""
    return Alert.objects.open_count_for(user)


def open_alert_deliveries(*, user) -> QuerySet:
    """One row per alert of `alerts_for(user)`: the user's current deliveries of open alerts (counted by the home
    page's kept count)."""
    return Alert.objects.open_deliveries_for(user)


def alerts_for(*, user) -> QuerySet[Alert]:
    """The open alerts naming this user as someone who must act, newest first."""
    return (
        Alert.objects.open().for_user(user).select_related("district", "local_authority").order_by("-raised_at", "-pk")
    )


ACTIVITY_ROW_DETAILS = ("actor", "district", "local_authority")
# What a row of the trail shows (liaison/templatetags/activity_tags.py): not the event's data, nor the people's and
# places' other columns.
ACTIVITY_ROW_COLUMNS = (
    "pk",
    "occurred_at",
    "summary",
    "actor__username",
    "actor__first_name",
    "actor__last_name",
    "district__name",
    "local_authority__name",
)


def activity(*, user) -> QuerySet[Event]:
    """The domain events the user may see, with who and where joined. A page never sorts this query: the national
    roles' page reads the index on time and stops at 50, anyone else's reads its 50 by id (`activity_pages`), so the
    join is over the rows shown, three lookups a page fewer than prefetching them; the CSV export reads every row
    anyway, and joined it needs no lookups per chunk."""
    return Event.objects.visible_to(user).select_related(*ACTIVITY_ROW_DETAILS)


def activity_pages(*, user, activity_filter, per_page: int = 50) -> Paginator:
    """The activity trail as its page shows it: newest first, `per_page` a page, narrowed by `activity_filter` (an
    `ActivityFilter`). National roles read every event from the index on its time; anyone else's page is chosen from
    their scope's (pk, occurred_at) rows before any event is read."""
    return filtered_pages(
        activity_filter,
        everything=activity(user=user).only(*ACTIVITY_ROW_COLUMNS) if scope_for(user).national else None,
        keys=lambda: Event.objects.visible_keys(user),
        key="occurred_at",
        rows=Event.objects.select_related(*ACTIVITY_ROW_DETAILS).only(*ACTIVITY_ROW_COLUMNS),
        per_page=per_page,
        kept_as="activity.everything",
    )


def people_list(*, user):
    """People holding a role in the user's grant area (liaison/access.py), with their roles and MFA state."""
    area = grant_area(user)
    users = get_user_model().objects.all()
    if area.empty:
        return users.none()
    if not area.everything:
        users = users.filter(
            pk__in=RoleAssignment.objects.filter(area.assignments_q()).values("user_id")
        ) | users.filter(pk__in=_ended_in_area(area))
    return (
        users.annotate(mfa_on=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)))
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("district", "region", "local_authority"),
            )
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def _ended_in_area(area):
    """People whose access was ended in the area stay listed (as inactive) for those who manage it."""
    return (
        Event.objects.filter(kind="access.deactivated")
        .filter(Q(district_id__in=area.district_ids) | Q(local_authority_id__in=area.authority_ids))
        .values("subject_id")
    )


def notifications_failed():
    """Outbox rows whose last attempt failed and that are not sent yet, oldest first (administrators only)."""
    from liaison.models import Notification

    return Notification.objects.failed().select_related("user", "contact").order_by("created_at", "pk")
