"""The facet index, version 2: each sheet's year as a key, and its funding per kind of partner
in its entry (actions/sql/facet_index_v2.sql says why), for the observatory's figures."""

from django.db import migrations

import actions.models
from actions.operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_facet_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="facetentry",
            name="funding",
            field=actions.models.FacetFundingField(null=True),
        ),
        RunSQLFile("facet_index_v2"),
    ]
