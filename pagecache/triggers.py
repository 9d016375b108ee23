"""The triggers that move the catalogue version (``models.CatalogueVersion``) whenever the
public data changes: one per table of the apps in ``PAGE_CACHE_SOURCE_APPS``, through-tables
of many-to-many fields included, so that a page can only be served for the data it was built
from, whatever wrote (a service, the admin, the importer, a bulk load, raw SQL).

On PostgreSQL a statement-level trigger notes the transaction and the version moves at its
commit (``sql/catalogue_version_v1.sql``). SQLite has no statement-level triggers and one
writer at a time: each written row moves the version, in the writer's transaction.

They are (re)installed after every ``migrate``, so a table added by a later migration is
covered without anyone having to remember it; a dropped table takes its triggers with it.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import F
from django.utils import timezone

from .models import CatalogueVersion

TRIGGER = "pagecache_changed"
SQL = Path(__file__).resolve().parent / "sql" / "catalogue_version_v1.sql"
REVERT_SQL = SQL.with_name("catalogue_version_v1_revert.sql")

SQLITE_BUMP = (
    "UPDATE pagecache_catalogueversion SET number = number + 1, "
    "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1"
)


def source_tables() -> list[str]:
    """The tables whose rows are public data: every concrete model of the source apps."""
    return sorted(
        {
            model._meta.db_table
            for label in settings.PAGE_CACHE_SOURCE_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def after_migrate(using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver (after a migrate or a flush). A migrate is also how a new
    release starts (``scripts/serve``): its templates may render the same data differently,
    so the version moves and the pages of the previous release are never served again."""
    connection = connections[using]
    if CatalogueVersion._meta.db_table not in connection.introspection.table_names():
        return  # pagecache unmigrated
    install_triggers(using)
    versions = CatalogueVersion.objects.using(using)
    if not versions.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now()):
        # The first migrate, or a flush (``manage.py flush``, the end of a transactional
        # test): a new row, with another time than any before (``versions.tag``).
        versions.create(pk=1, changed_at=timezone.now())


def install_triggers(using: str) -> None:
    """One trigger per existing source table (idempotent)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in source_tables():
            if table not in existing:
                continue
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} "
                    f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION pagecache_note_change()"
                )
            else:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = connection.ops.quote_name(f"{TRIGGER}_{table}_{event.lower()}")
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quoted} "
                        f"BEGIN {SQLITE_BUMP}; END"
                    )


def remove_triggers(using: str = "default") -> None:
    """Undo ``install_triggers`` and the PostgreSQL functions (the migration's reverse)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(REVERT_SQL.read_text(encoding="utf-8"))
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}_%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
