from django.db import migrations

# The directorates the COO Gateway pursues issues with when the list is first set up; the GPT keeps it from then on.
DIRECTORATES = [
    "Benefit Delivery Centres Directorate",
    "Contact Centre Directorate",
    "Fraud Investigation Service",
    "Working Age Benefits Directorate",
]
GATEWAY_TARGET_WORKING_DAYS = 20


def seed(apps, schema_editor):
    NationalDirectorate = apps.get_model("escalation", "NationalDirectorate")
    LevelTarget = apps.get_model("escalation", "LevelTarget")
    for name in DIRECTORATES:
        NationalDirectorate.objects.get_or_create(name=name)
    LevelTarget.objects.get_or_create(stage="coo-gateway", defaults={"working_days": GATEWAY_TARGET_WORKING_DAYS})


class Migration(migrations.Migration):
    dependencies = [("escalation", "0004_national_directorates_and_coo_gateway")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
