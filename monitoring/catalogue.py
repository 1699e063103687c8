"""The standards of the Partnership Agreement (PA 3.1, annex 4), as seeded by migration 0002.

(code, title, kind, thresholds [(percent, working days)], compliance target %)
"""

# Whose work each standard measures (PA 3.1 and annex 4); the rest measure both sides' work.
SIDES = {
    "ADM-1": "jcp",
    "ADM-2": "jcp",
    "ADM-3": "la",
    "ADM-4": "jcp",
    "ADM-5": "jcp",
    "ADM-6": "jcp",
    "ADM-7": "jcp",
    "ADM-8": "jcp",
}

# The PA's own qualifiers, which the first seeded titles left out.
TITLES = {
    "ADM-1": "LA input documents forwarded to the LA after the signed customer statement (or decision to "
    "waive/defer if appropriate)",
    "ADM-3": "Change of circumstances reported to the LA forwarded to the BDC (JCP benefit in payment; aside from "
    "tenancy, landlord and rent matters)",
    "ARR-1": "Nominated contacts in place, meeting twice yearly, contact lists current (attested for "
    "administration and for fraud)",
}

CATALOGUE = [
    (
        "ADM-1",
        "LA input documents forwarded to the LA after the signed customer statement",
        "timeliness",
        [(100, 2)],
        None,
    ),
    (
        "ADM-2",
        "Additional information gathered at the BDC copied and forwarded to the LA",
        "timeliness",
        [(90, 2), (100, 5)],
        None,
    ),
    (
        "ADM-3",
        "Change of circumstances reported to the LA forwarded to the BDC (JCP benefit in payment)",
        "timeliness",
        [(100, 5)],
        None,
    ),
    (
        "ADM-4",
        "Clerical or suspended cases: JCP forwards change of circumstances to the LA",
        "timeliness",
        [(100, 5)],
        None,
    ),
    ("ADM-5", "JCP re-assessment and decision on LA fraud cases", "timeliness", [(100, 10)], None),
    ("ADM-6", "JCP re-assessment and decision, all other cases", "timeliness", [(100, 20)], None),
    (
        "ADM-7",
        "NINO trace requests (DC11LA) cleared by the Central Control Unit, from first contact",
        "timeliness",
        [(86, 33)],
        None,
    ),
    ("ADM-8", "HBRO/MIRO considered and recorded in IS110/JSA110 when JCP benefit ceases", "compliance", [], 100),
    (
        "ARR-1",
        "Nominated contacts in place, meeting twice yearly, contact lists current (admin and fraud)",
        "attestation",
        [],
        None,
    ),
    (
        "ARR-2",
        "Local Housing Allowance communicated; the LA updates JCP on rent scale changes",
        "attestation",
        [],
        None,
    ),
    (
        "FRD-1",
        "FPA forms issued and recorded per joint working processes, timings and security guidance",
        "compliance",
        [],
        100,
    ),
    ("FRD-2", "File retrieval from remote storage (target and period agreed locally)", "timeliness", [], None),
]


def seed_catalogue() -> None:
    """Put the national catalogue back (tests that flush the database; the migration seeds it normally)."""
    from monitoring.models import Standard, Threshold

    for code, title, kind, thresholds, target in CATALOGUE:
        standard, _ = Standard.objects.get_or_create(
            code=code,
            board=None,
            defaults={
                "title": TITLES.get(code, title),
                "kind": kind,
                "compliance_target": target,
                "side": SIDES.get(code, "both"),
            },
        )
        for percent, days in thresholds:
            Threshold.objects.get_or_create(standard=standard, days=days, defaults={"percent": percent})
