"""Agreements recorded before versions had a text were in force: they count as published on their first day, and the
2008-2011 agreement gets its text from the source document."""

import hashlib

from django.db import migrations


def publish_existing(apps, schema_editor):
    from agreements.pa_text import pa_2008_sections, text_of

    Agreement = apps.get_model("agreements", "Agreement")
    AgreementSection = apps.get_model("agreements", "AgreementSection")
    for agreement in Agreement.objects.filter(published_on__isnull=True):
        agreement.published_on = agreement.period_start
        if (
            agreement.version == "FINAL VERSION 1.0"
            and not AgreementSection.objects.filter(agreement=agreement).exists()
        ):
            sections = pa_2008_sections()
            AgreementSection.objects.bulk_create(
                AgreementSection(agreement=agreement, number=s.number, title=s.title, text=s.text, position=n)
                for n, s in enumerate(sections, start=1)
            )
            agreement.text_sha256 = hashlib.sha256(text_of(sections).encode("utf-8")).hexdigest()
        agreement.save(update_fields=["published_on", "text_sha256"])


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_partnership_agreement_text_versions_and_acknowledgements")]

    operations = [migrations.RunPython(publish_existing, migrations.RunPython.noop)]
