from django.db import migrations

# Working days at each level before an issue is flagged as stalled; administrators change them in the admin site.
TARGETS = {
    "operational": 5,
    "district-erm": 10,
    "regional-erm": 15,
    "odn": 20,
    "gpt": 20,
    "la-manager": 10,
    "communication": 2,
}


def seed(apps, schema_editor):
    LevelTarget = apps.get_model("escalation", "LevelTarget")
    for stage, days in TARGETS.items():
        LevelTarget.objects.get_or_create(stage=stage, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_issues_and_escalation_route")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
