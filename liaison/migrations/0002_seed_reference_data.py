from django.db import migrations


def seed(apps, schema_editor):
    from liaison.reference import seed_reference_data

    seed_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("liaison", "0001_liaison_network"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
