"""French full-text search on PostgreSQL: unaccent and pg_trgm, the weighted ``search_vector``
column, then actions/sql/search_vector_v1.sql: the ``french_unaccent`` text search
configuration, the trigger that keeps the vector up to date on every write and its GIN index.

Everything PostgreSQL-specific is skipped on other databases: SQLite gets the (always empty)
column only, and searches with ``unaccent(...) LIKE`` instead (see catalogue/search.py).
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from actions.operations import RunSQLFile


class VendorGuardedBackwards:
    """Django's extension operations skip other databases going forwards, not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class CreateUnaccent(VendorGuardedBackwards, UnaccentExtension):
    pass


class CreateTrigram(VendorGuardedBackwards, TrigramExtension):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_seed_vocabularies"),
    ]

    operations = [
        CreateUnaccent(),
        CreateTrigram(),
        migrations.AddField(
            model_name="action",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="index de recherche"
            ),
        ),
        RunSQLFile("search_vector_v1"),
    ]
