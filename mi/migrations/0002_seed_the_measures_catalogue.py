from django.db import migrations

# The measures GPT starts with: the Local Authority's speed of processing, and the JCP standards of the Partnership
# Agreement that the LA depends on (annex 4, ADM-1, ADM-3/ADM-4, ADM-7), as shares of cases within target.
MEASURES = [
    (
        "hb-new-claims-days",
        "Housing Benefit new claims: average days to process",
        "la",
        "days",
        "lower",
        10,
        "Average calendar days from receipt of a new claim to the decision, over the quarter.",
    ),
    (
        "hb-changes-days",
        "Changes of circumstances: average days to process",
        "la",
        "days",
        "lower",
        20,
        "Average calendar days from notification of a change of circumstances to its processing, over the quarter.",
    ),
    (
        "la-input-documents-2-days",
        "LA input documents sent within 2 days",
        "jcp",
        "percent",
        "higher",
        10,
        "Share of LA input documents forwarded to the LA within 2 working days of the signed customer statement.",
    ),
    (
        "changes-forwarded-5-days",
        "Changes of circumstances forwarded within 5 days",
        "jcp",
        "percent",
        "higher",
        20,
        "Share of changes of circumstances forwarded to the LA within 5 working days.",
    ),
    (
        "nino-traces-33-days",
        "NINO traces cleared within 33 days",
        "jcp",
        "percent",
        "higher",
        30,
        "Share of NINO trace requests (DC11LA) cleared within 33 working days of first contact.",
    ),
]


def seed(apps, schema_editor):
    Measure = apps.get_model("mi", "Measure")
    for code, name, side, unit, direction, order, description in MEASURES:
        Measure.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "side": side,
                "unit": unit,
                "direction": direction,
                "order": order,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("mi", "0001_performance_measures_and_quarterly_figures")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
