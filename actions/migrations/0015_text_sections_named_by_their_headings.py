"""The text sections' columns named by their headings in the published format (actions.sections
``Section.text_column``: verbose names and help texts, no change of the tables)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0014_moderationevent_plural_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="action",
            name="financial_resources",
            field=models.TextField(
                blank=True,
                help_text="Le texte tel que rédigé ; les financements chiffrés ont leurs propres lignes.",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="ressources financières mobilisées pour cette action",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="impacts",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="impacts ou effets positifs sur le public, le centre social ou l'environnement",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="limits",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="suite de l'action : limites",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="people_mobilised",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="nombre de personnes mobilisées pour cette action",
            ),
        ),
        migrations.AlterField(
            model_name="action",
            name="perspectives",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="suite de l'action : perspectives",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="financial_resources",
            field=models.TextField(
                blank=True,
                help_text="Le texte tel que rédigé ; les financements chiffrés ont leurs propres lignes.",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="ressources financières mobilisées pour cette action",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="impacts",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="impacts ou effets positifs sur le public, le centre social ou l'environnement",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="limits",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="suite de l'action : limites",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="people_mobilised",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="nombre de personnes mobilisées pour cette action",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="perspectives",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="suite de l'action : perspectives",
            ),
        ),
    ]
