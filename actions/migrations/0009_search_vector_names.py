"""Catalogue search version 2 (actions/sql/search_vector_v2.sql): a sheet's vector also holds
the three sections of the older layout (migration 0006) and the names of its structure, its
themes and its partners, kept exact by triggers when those names or links change; every sheet's
vector is computed again. Backwards: version 1 again (search_vector_v1.sql)."""

from django.db import migrations

from actions.operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0008_review_flag_and_creation_token"),
        ("federations", "0004_structure_identity_card"),
    ]

    operations = [
        RunSQLFile("search_vector_v2", replaces="search_vector_v1"),
    ]
