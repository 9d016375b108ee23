"""Three sections of the observatory's older sheet layout that the current format lacks:
the diagnostic at the origin of the experience, its impacts, its success factors
(``actions/sections.py``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_facet_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="diagnostic",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                verbose_name="éléments de diagnostic à l'origine de l'expérience",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="impacts",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                verbose_name="impacts ou effets positifs",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="success_factors",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                verbose_name="facteurs de réussite",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="diagnostic",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                verbose_name="éléments de diagnostic à l'origine de l'expérience",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="impacts",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                verbose_name="impacts ou effets positifs",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="success_factors",
            field=models.TextField(
                blank=True,
                help_text="Section des fiches de l'ancienne présentation de l'observatoire.",
                verbose_name="facteurs de réussite",
            ),
        ),
    ]
