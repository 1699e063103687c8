import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("escalation", "0003_joint_regional_board_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NationalDirectorate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=160, unique=True)),
                ("retired_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="historicalissue",
            name="gateway_since",
            field=models.DateTimeField(
                blank=True,
                help_text="When the ODN referred it to the COO Gateway (the gateway target runs).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="issue",
            name="gateway_since",
            field=models.DateTimeField(
                blank=True,
                help_text="When the ODN referred it to the COO Gateway (the gateway target runs).",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalissue",
            name="national_directorate",
            field=models.CharField(
                blank=True, help_text="The directorate's name as chosen, or the text given for “Other”.", max_length=160
            ),
        ),
        migrations.AlterField(
            model_name="issue",
            name="national_directorate",
            field=models.CharField(
                blank=True, help_text="The directorate's name as chosen, or the text given for “Other”.", max_length=160
            ),
        ),
        migrations.AlterField(
            model_name="issuestep",
            name="kind",
            field=models.CharField(
                choices=[
                    ("logged", "Logged"),
                    ("referred", "Referred to the operational contact"),
                    ("re-referred", "Re-referred to another operational contact"),
                    ("la-attempt", "The LA's own attempt to resolve it"),
                    ("gateway", "Referred to the COO Gateway"),
                    ("update", "Update"),
                    ("escalated", "Escalated"),
                    ("resolved", "Resolved"),
                    ("communicated", "Outcome communicated"),
                    ("reopened", "Reopened"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="leveltarget",
            name="stage",
            field=models.CharField(
                choices=[
                    ("operational", "Operational contact"),
                    ("district-erm", "District ERM"),
                    ("regional-erm", "Country/Regional ERM"),
                    ("odn", "ODN / COO Gateway"),
                    ("gpt", "Governmental Partnerships Team"),
                    ("la-manager", "LA Benefits or Fraud Manager"),
                    ("coo-gateway", "COO Gateway, pursuing it with a national directorate"),
                    ("communication", "Communicating a resolved issue's outcome"),
                ],
                max_length=20,
                unique=True,
            ),
        ),
        migrations.CreateModel(
            name="HistoricalNationalDirectorate",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(db_index=True, max_length=160)),
                ("retired_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical national directorate",
                "verbose_name_plural": "historical national directorates",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="historicalissue",
            name="directorate",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="escalation.nationaldirectorate",
            ),
        ),
        migrations.AddField(
            model_name="issue",
            name="directorate",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issues",
                to="escalation.nationaldirectorate",
            ),
        ),
    ]
