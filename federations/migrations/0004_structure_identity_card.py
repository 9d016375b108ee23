"""The identity card of the observatory's structure directory on ``Structure``: population,
history, the five project axes, management mode, territory, priority area, federation
membership and the three specificities (imported by ``import_structures``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("federations", "0003_moderators_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="structure",
            name="federation_membership",
            field=models.CharField(
                blank=True,
                choices=[
                    ("fcs", "Fédération des centres sociaux"),
                    ("other", "Autre fédération"),
                    ("none", "Aucune fédération"),
                ],
                max_length=10,
                verbose_name="adhésion à une fédération",
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="for_travellers",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="structure « gens du voyage »"
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="history",
            field=models.TextField(blank=True, verbose_name="historique"),
        ),
        migrations.AddField(
            model_name="structure",
            name="in_priority_area",
            field=models.BooleanField(
                blank=True,
                null=True,
                verbose_name="en quartier prioritaire de la politique de la ville (QPV)",
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="itinerant",
            field=models.BooleanField(blank=True, null=True, verbose_name="structure itinérante"),
        ),
        migrations.AddField(
            model_name="structure",
            name="management_mode",
            field=models.CharField(blank=True, max_length=150, verbose_name="mode de gestion"),
        ),
        migrations.AddField(
            model_name="structure",
            name="multi_site",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="structure multi-sites / éclatée"
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="other_federation",
            field=models.CharField(
                blank=True,
                help_text="Fédération nommée par l'annuaire, autre que celle des centres sociaux.",
                max_length=200,
                verbose_name="autre fédération",
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="population",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="population de la zone de compétence"
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="priority_geography",
            field=models.CharField(
                blank=True,
                help_text="Telle que l'annuaire de l'observatoire la décrit.",
                max_length=255,
                verbose_name="géographie prioritaire",
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="project_axis_1",
            field=models.TextField(blank=True, verbose_name="axe 1 du projet"),
        ),
        migrations.AddField(
            model_name="structure",
            name="project_axis_2",
            field=models.TextField(blank=True, verbose_name="axe 2 du projet"),
        ),
        migrations.AddField(
            model_name="structure",
            name="project_axis_3",
            field=models.TextField(blank=True, verbose_name="axe 3 du projet"),
        ),
        migrations.AddField(
            model_name="structure",
            name="project_axis_4",
            field=models.TextField(blank=True, verbose_name="axe 4 du projet"),
        ),
        migrations.AddField(
            model_name="structure",
            name="project_axis_5",
            field=models.TextField(blank=True, verbose_name="axe 5 du projet"),
        ),
        migrations.AddField(
            model_name="structure",
            name="territory_size",
            field=models.CharField(
                blank=True, max_length=150, verbose_name="taille du territoire d'intervention"
            ),
        ),
        migrations.AddField(
            model_name="structure",
            name="territory_type",
            field=models.CharField(
                blank=True, max_length=150, verbose_name="type de territoire d'intervention"
            ),
        ),
    ]
