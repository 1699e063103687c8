from django.db import migrations
from django.utils import timezone


def record(apps, schema_editor):
    """Record the seeded catalogue's first version in its history."""
    # A migration's models send no signals, so simple-history saw nothing of 0002; without this first version a
    # later change would not show what it replaced.
    now = timezone.now()
    for name, fields in (
        ("Standard", ["id", "code", "title", "kind", "board_id", "compliance_target", "notes"]),
        ("Threshold", ["id", "standard_id", "percent", "days"]),
    ):
        model = apps.get_model("monitoring", name)
        historical = apps.get_model("monitoring", f"Historical{name}")
        recorded = set(historical.objects.values_list("id", flat=True))
        historical.objects.bulk_create(
            historical(history_date=now, history_type="+", **{f: getattr(row, f) for f in fields})
            for row in model.objects.exclude(pk__in=recorded)
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_seed_standards_catalogue")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
