"""Imported sheets remember where they come from (``SheetProvenance``): the page, its hashes,
the date, and the version and history record the import wrote (issue 14)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0009_search_vector_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="SheetProvenance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="Adresse de la page, ou nom du fichier importé.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "page_sha256",
                    models.CharField(max_length=64, verbose_name="empreinte de la page"),
                ),
                (
                    "sheet_sha256",
                    models.CharField(max_length=64, verbose_name="empreinte de la fiche"),
                ),
                ("imported_at", models.DateTimeField(verbose_name="importée le")),
                (
                    "version",
                    models.PositiveIntegerField(verbose_name="version écrite par l'import"),
                ),
                (
                    "history_id",
                    models.PositiveBigIntegerField(
                        blank=True,
                        null=True,
                        verbose_name="enregistrement d'historique écrit par l'import",
                    ),
                ),
                (
                    "cut_section",
                    models.CharField(
                        blank=True,
                        help_text="La page importée s'arrêtait dans cette section : la fiche est incomplète.",
                        max_length=100,
                        verbose_name="section coupée",
                    ),
                ),
                (
                    "action",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="provenance",
                        to="actions.action",
                        verbose_name="fiche",
                    ),
                ),
            ],
            options={
                "verbose_name": "provenance d'import",
                "verbose_name_plural": "provenances d'import",
            },
        ),
    ]
