"""The transition's legacy source is the Joint Regional Board (the guidelines' JRB): the label only, the stored value
stays "legacy-jrb"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("escalation", "0002_seed_level_targets")]

    operations = [
        migrations.AlterField(
            model_name="historicalissue",
            name="source",
            field=models.CharField(
                choices=[
                    ("day-to-day", "Day-to-day contact"),
                    ("joint-board", "A Joint Board meeting"),
                    ("legacy-jrb", "Legacy Joint Regional Board item"),
                    ("legacy-job", "Legacy Joint Operational Board item"),
                ],
                default="day-to-day",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="issue",
            name="source",
            field=models.CharField(
                choices=[
                    ("day-to-day", "Day-to-day contact"),
                    ("joint-board", "A Joint Board meeting"),
                    ("legacy-jrb", "Legacy Joint Regional Board item"),
                    ("legacy-job", "Legacy Joint Operational Board item"),
                ],
                default="day-to-day",
                max_length=20,
            ),
        ),
    ]
