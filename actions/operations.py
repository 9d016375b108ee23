"""Migration operations shared by the actions app's migrations."""

from pathlib import Path

from django.db import migrations

SQL_DIR = Path(__file__).resolve().parent / "sql"


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` that does nothing on databases other than PostgreSQL: SQLite keeps the
    plain tables and columns, and the code degrades gracefully there."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RunSQLFile(RunSQLOnPostgreSQL):
    """Run a versioned SQL file of actions/sql/ (``name.sql``) on PostgreSQL, and
    ``name_revert.sql`` going backwards.

    A released file is never edited: migrations that ran it must keep meaning the same thing.
    A change is a new version (``name_v2.sql`` and its revert) loaded by a new migration. A
    version that ``replaces`` an earlier one goes back to it: its revert undoes it, then the
    earlier version's file runs again (so that no revert copies an earlier version).
    """

    def __init__(self, name: str, *, replaces: str | None = None):
        self.name = name
        reverse = (SQL_DIR / f"{name}_revert.sql").read_text(encoding="utf-8")
        if replaces is not None:
            reverse += "\n" + (SQL_DIR / f"{replaces}.sql").read_text(encoding="utf-8")
        super().__init__((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"), reverse)

    def describe(self):
        return f"Run actions/sql/{self.name}.sql (PostgreSQL only)"
