"""Migration operations shared by the actions app's migrations."""

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` that does nothing on databases other than PostgreSQL: SQLite keeps the
    plain tables and columns, and the code degrades gracefully there."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
