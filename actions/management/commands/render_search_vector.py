"""Writes the next version of the search vector's SQL when the published format's declaration
(``actions.sections``: a section added, a weight changed) no longer renders the latest one."""

from django.core.management.base import BaseCommand

from actions.operations import SQL_DIR
from actions.search_vector import latest_version, render_revert, render_sql


class Command(BaseCommand):
    help = (
        "Écrit actions/sql/search_vector_vN.sql (et son _revert) depuis la déclaration du "
        "format publié, si la dernière version n'y correspond plus."
    )

    def handle(self, *args, **options):
        latest = latest_version()
        if (SQL_DIR / f"search_vector_v{latest}.sql").read_text(encoding="utf-8") == render_sql(
            latest
        ):
            self.stdout.write(f"search_vector_v{latest}.sql is what the declaration renders.")
            return
        version = latest + 1
        (SQL_DIR / f"search_vector_v{version}.sql").write_text(
            render_sql(version), encoding="utf-8"
        )
        (SQL_DIR / f"search_vector_v{version}_revert.sql").write_text(
            render_revert(version), encoding="utf-8"
        )
        self.stdout.write(
            f"Wrote actions/sql/search_vector_v{version}.sql and its revert. Load it from a "
            f'migration: RunSQLFile("search_vector_v{version}", '
            f'replaces="search_vector_v{latest}"), then add both files to RELEASED in '
            "tests/actions/test_sql_files.py."
        )
