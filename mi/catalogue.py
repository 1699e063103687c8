"""The measures GPT's catalogue starts with: the Local Authority's speed of processing, and the JCP standards of the
Partnership Agreement that the LA depends on (annex 4: ADM-1, ADM-3/ADM-4, ADM-7), as shares of cases within target.
Seeded by migration; `seed_measures` puts them back where a test database was flushed (it never changes a measure
GPT has since renamed or retired)."""

from __future__ import annotations

# (code, name, side, unit, direction, order, description)
MEASURES = [
    ("hb-new-claims-days", "Housing Benefit new claims: average days to process", "la", "days", "lower", 10,
     "Average calendar days from receipt of a new claim to the decision, over the quarter."),
    ("hb-changes-days", "Changes of circumstances: average days to process", "la", "days", "lower", 20,
     "Average calendar days from notification of a change of circumstances to its processing, over the quarter."),
    ("la-input-documents-2-days", "LA input documents sent within 2 days", "jcp", "percent", "higher", 10,
     "Share of LA input documents forwarded to the LA within 2 working days of the signed customer statement."),
    ("changes-forwarded-5-days", "Changes of circumstances forwarded within 5 days", "jcp", "percent", "higher", 20,
     "Share of changes of circumstances forwarded to the LA within 5 working days."),
    ("nino-traces-33-days", "NINO traces cleared within 33 days", "jcp", "percent", "higher", 30,
     "Share of NINO trace requests (DC11LA) cleared within 33 working days of first contact."),
]  # fmt: skip


def seed_measures() -> int:
    from mi.models import Measure

    created = 0
    for code, name, side, unit, direction, order, description in MEASURES:
        _, made = Measure.objects.get_or_create(
            code=code,
            defaults={"name": name, "side": side, "unit": unit, "direction": direction, "order": order,
                      "description": description},
        )  # fmt: skip
        created += made
    return created
