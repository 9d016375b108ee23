"""The facet index counts its entries per funding amount and group of funders, for the whole
catalogue's medians (actions/sql/funding_amounts_v1.sql says why)."""

from django.db import migrations, models

from actions.operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0012_facet_index_years_and_funding"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetFundingAmount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "funder_group",
                        "cents",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("funder_group", models.CharField(max_length=20)),
                ("cents", models.BigIntegerField()),
                ("sheets", models.IntegerField()),
            ],
            options={
                "verbose_name": "montant des financements de l'index des facettes",
                "verbose_name_plural": "montants des financements de l'index des facettes",
            },
        ),
        RunSQLFile("funding_amounts_v1"),
    ]
