"""The facet index, version 2: each sheet's year and structure as keys, and its funding per
group of funders in its entry (actions/sql/facet_index_v2.sql says why), for the observatory's
figures."""

from django.db import migrations, models

from actions.operations import RunSQLFile

GROUPS = ("caf", "etat", "collectivites", "autres", "total")


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_facet_index"),
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
        RunSQLFile("facet_index_v2"),
    ]
