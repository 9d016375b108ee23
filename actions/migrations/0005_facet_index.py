"""The facet index (PostgreSQL): what makes the catalogue's facet counts cheap at national
scale. Its tables here; its functions and triggers in actions/sql/facet_index_v1.sql (which says
what they do); its keys in actions/facet_keys.py; how the catalogue reads it in
catalogue/facets/indexed.py.
"""

from django.db import migrations, models

import actions.models
from actions.operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_catalogue_scale_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetEntry",
            fields=[
                (
                    "action",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="actions.action",
                    ),
                ),
                ("keys", actions.models.FacetKeysField()),
            ],
            options={
                "verbose_name": "entrée de l'index des facettes",
                "verbose_name_plural": "index des facettes",
            },
        ),
        migrations.CreateModel(
            name="FacetPair",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "filter_key",
                        "key",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("filter_key", models.BigIntegerField()),
                ("key", models.BigIntegerField()),
                ("count", models.IntegerField()),
            ],
            options={
                "verbose_name": "compteur de l'index des facettes",
                "verbose_name_plural": "compteurs de l'index des facettes",
            },
        ),
        RunSQLFile("facet_index_v1"),
    ]
