"""The core's deadline checks: the liaison network must be current and complete."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from liaison.alerts import Finding, register_check
from liaison.models import Contact, ContactRole, District, LocalAuthority, Side
from liaison.selectors import confirmation_cutoff, responsible_for_districts


def _district_key(district: District) -> str:
    return f"district:{district.code}"


@register_check(
    "contacts-unconfirmed",
    "Contacts not confirmed in 6 months",
    subject_model="liaison.district",
    subject_key=_district_key,
)
def contacts_unconfirmed(today: datetime.date, subject: District | None = None) -> list[Finding]:
    cutoff = confirmation_cutoff(today)
    stale = Contact.objects.active(today).unconfirmed_since(cutoff)
    if subject is not None:
        stale = stale.filter(Q(district=subject) | Q(local_authority__districts=subject)).distinct()
    per_district: dict[int, int] = defaultdict(int)
    for district_id in stale.filter(district__isnull=False).values_list("district_id", flat=True):
        per_district[district_id] += 1
    la_stale = stale.filter(local_authority__isnull=False)
    for district_id in LocalAuthority.districts.through.objects.filter(
        localauthority__contacts__in=la_stale
    ).values_list("district_id", flat=True):
        per_district[district_id] += 1
    if not per_district:
        return []
    responsible = responsible_for_districts(per_district)
    districts = District.objects.in_bulk(per_district)
    findings = []
    for district_id, count in per_district.items():
        district = districts[district_id]
        noun = "contact" if count == 1 else "contacts"
        findings.append(
            Finding(
                key=_district_key(district),
                title=f"{count} {noun} in {district.name} not confirmed since {cutoff:%-d %B %Y}",
                detail=(
                    "Contact lists must be kept current (Partnership Agreement, annex 4, ARR-1). "
                    "Check each entry and confirm it on the district page."
                ),
                url=reverse("district-confirm", args=[district.code]),
                recipient_ids=frozenset(responsible.get(district_id, ())),
                district_id=district_id,
            )
        )
    return findings


@register_check("required-role-missing", "District missing a contact for a required role")
def required_role_missing(today: datetime.date) -> list[Finding]:
    required = list(ContactRole.objects.filter(side=Side.JCP, required_in_district=True))
    if not required:
        return []
    covered = set(
        Contact.objects.active(today)
        .filter(district__isnull=False, role__in=required)
        .values_list("district_id", "role_id")
        .distinct()
    )
    districts = list(District.objects.all())
    responsible = responsible_for_districts([d.id for d in districts])
    findings = []
    for district in districts:
        for role in required:
            if (district.id, role.id) in covered:
                continue
            findings.append(
                Finding(
                    key=f"district:{district.code}:role:{role.code}",
                    title=f"{district.name} has no {role.name}",
                    detail=(
                        f"Issues routed to the {role.name} have nobody to go to. "
                        "Add the named contact to the district's network."
                    ),
                    url=reverse("district-detail", args=[district.code]),
                    recipient_ids=frozenset(responsible.get(district.id, ())),
                    district_id=district.id,
                )
            )
    return findings
