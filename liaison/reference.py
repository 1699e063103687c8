"""Reference data every installation needs: contact roles and the issue routing table (guidelines' table)."""

from __future__ import annotations

# (code, name, side, required in every district, order)
CONTACT_ROLES = [
    ("district-manager", "District Manager", "jcp", False, 10),
    ("district-erm", "District External Relations Manager", "jcp", False, 20),
    ("district-performance-manager", "District Performance Manager", "jcp", True, 30),
    ("contact-centre-manager", "Contact Centre Manager", "jcp", True, 40),
    ("financial-assessor-manager", "Financial Assessor Manager", "jcp", False, 50),
    ("benefit-processing-manager", "Benefit Processing Manager", "jcp", True, 60),
    ("fraud-investigation-service", "Fraud Investigation Service", "jcp", True, 70),
    ("customer-compliance-manager", "Customer Compliance Manager", "jcp", True, 80),
    ("nominated-officer", "Nominated Officer (NINOs)", "jcp", True, 90),
    ("housing-benefit-manager", "Housing Benefit Manager", "la", False, 110),
    ("fraud-manager", "Fraud Manager", "la", False, 120),
    ("nominated-contact", "Nominated contact", "la", False, 130),
]

# (code, name, example from the guidelines, role code, alternative role code, order)
ISSUE_CATEGORIES = [
    (
        "new-claims-delay",
        "Delay in processing new claims",
        "LAs report a delay in Jobcentre Plus processing new claims, which is impacting on the LA clearance "
        "time targets.",
        "district-performance-manager",
        None,
        10,
    ),
    (
        "cms-output-incomplete",
        "Customer Management System output insufficient or incomplete",
        "LAs are receiving information from the Customer Management System (CMS) output which is insufficient "
        "or incomplete.",
        "contact-centre-manager",
        "financial-assessor-manager",
        20,
    ),
    (
        "change-of-circumstances-not-received",
        "Change of circumstances not received",
        "An LA customer has told them they have reported the change of circumstances to Jobcentre Plus, yet the "
        "LA has not received notification from Jobcentre Plus.",
        "benefit-processing-manager",
        None,
        30,
    ),
    (
        "fraud-contact",
        "Cannot contact anyone about fraud",
        "LA cannot contact anyone in Jobcentre Plus regarding fraud issues.",
        "fraud-investigation-service",
        None,
        40,
    ),
    (
        "customer-already-contacted-by-compliance",
        "Customer already contacted by Customer Compliance",
        "LAs are investigating a customer regarding potential fraud and have discovered the customer has already "
        "been contacted by the Jobcentre Plus customer compliance team.",
        "customer-compliance-manager",
        None,
        50,
    ),
    (
        "nino-applied-for",
        "Customer has applied for a NINO",
        "The LA's customer does not have a national insurance number (NINO) but has applied for one at the "
        "local Jobcentre Plus office.",
        "nominated-officer",
        None,
        60,
    ),
]

ROLE_GROUPS = [
    "District External Relations Manager",
    "District Manager",
    "LA Benefits Manager",
    "LA Fraud Manager",
    "Monitoring officer",
    "Country/Regional ERM",
    "ODN / COO Gateway",
    "Governmental Partnerships Team",
    "System administrator",
]


def seed_reference_data(apps=None) -> None:
    """Create the reference rows that are missing; rows that exist, and any edits made to them, are left alone."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    ContactRole = apps.get_model("liaison", "ContactRole")
    IssueCategory = apps.get_model("liaison", "IssueCategory")
    Group = apps.get_model("auth", "Group")

    roles = {}
    for code, name, side, required, order in CONTACT_ROLES:
        roles[code], _ = ContactRole.objects.get_or_create(
            code=code, defaults={"name": name, "side": side, "required_in_district": required, "order": order}
        )
    for code, name, example, role, alternative, order in ISSUE_CATEGORIES:
        IssueCategory.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "example": example,
                "role": roles[role],
                "alternative_role": roles[alternative] if alternative else None,
                "order": order,
            },
        )
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
