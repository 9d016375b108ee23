"""The facet index, version 2: each sheet's year and structure as keys, its funding per group of
funders in its entry, and the whole catalogue's funding in one row (actions/sql/
facet_index_v2.sql says why), for the observatory's figures."""

from django.db import migrations, models

from actions.operations import RunSQLFile

GROUPS = ("caf", "etat", "collectivites", "autres", "total")


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0011_text_length_limits"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="facetentry",
                name=f"funding_{group}",
                field=models.BigIntegerField(null=True),
            )
            for group in GROUPS
        ),
        migrations.CreateModel(
            name="FacetFundingTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                *(
                    field
                    for group in GROUPS
                    for field in (
                        (f"{group}_cents", models.BigIntegerField()),
                        (f"{group}_sheets", models.IntegerField()),
                    )
                ),
            ],
            options={
                "verbose_name": "total des financements de l'index des facettes",
                "verbose_name_plural": "totaux des financements de l'index des facettes",
            },
        ),
        RunSQLFile("facet_index_v2", replaces="facet_index_v1"),
    ]
