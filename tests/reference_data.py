"""The rows that migrations create: régions, départements, vocabularies, the moderators group,
content types and permissions (whatever a data migration or ``post_migrate`` writes).

A transactional test (browser, threads, subprocesses) empties the database when it ends: these
rows are put back right after it (tests/conftest.py). They are read once per test process, just
after its test database is built, and put back with one bulk INSERT per table, with their ids:
much cheaper than running the seeds and ``post_migrate`` again, and nothing to list here when a
new data migration seeds something.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection, models, transaction

from actions import facet_index, search_vector
from pagecache.models import CatalogueVersion

Rows = list[tuple[type[models.Model], list[models.Model]]]

_rows: Rows = []


def stored_models() -> list[type[models.Model]]:
    """The models whose rows are in a table of the project's own (m2m tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def insert_rows(rows: Rows) -> None:
    """Insert ``rows`` (model instances read from the database) with their ids: one INSERT
    per table, in the batches the database accepts, of the values as they were read (a raw
    insert, like loaddata's: ``auto_now`` dates are kept, not set to now); the tables' id
    sequences then continue after them."""
    for model, instances in rows:
        fields = model._meta.local_concrete_fields
        size = connection.ops.bulk_batch_size(fields, instances) or len(instances)
        for start in range(0, len(instances), size):
            model._base_manager._insert(instances[start : start + size], fields=fields, raw=True)
    statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in rows])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def take_reference_rows() -> None:
    """Read every row of the freshly migrated test database."""
    _rows[:] = [
        (model, rows)
        for model in stored_models()
        for rows in [list(model._base_manager.order_by("pk"))]
        if rows
    ]


def restore_reference_rows() -> None:
    """Insert the rows read by ``take_reference_rows`` into the emptied database."""
    with transaction.atomic():
        insert_rows(_rows)
    ContentType.objects.clear_cache()


def emptying_sql(style, connection, *, reset_sequences: bool, allow_cascade: bool) -> list[str]:
    """What the flush that ends a transactional test runs (``sql_flush``'s signature): on
    PostgreSQL, a DELETE of each table that holds rows, instead of a TRUNCATE of every table
    (0.15 s instead of 0.45–1.4 s after a test with the sample: a TRUNCATE gives each of the
    ~100 tables and their indexes new files). Foreign keys are checked at commit (Django makes
    them deferrable), the facet index's and search vectors' triggers are off for the
    transaction, the catalogue version (which every other statement moves) is emptied last,
    and the last statement fails the flush if any table still holds a row."""
    if connection.vendor != "postgresql" or reset_sequences:
        return sql_flush(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    holding_rows = " UNION ALL ".join(
        f"SELECT {_quoted_text(table)} WHERE EXISTS (SELECT FROM {quote(table)})"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(holding_rows)
        full = [table for (table,) in cursor.fetchall()]
    last = CatalogueVersion._meta.db_table
    return [
        f"SELECT set_config({_quoted_text(facet_index.DEFERRAL_SETTING)}, 'on', true), "
        f"set_config({_quoted_text(search_vector.DEFERRAL_SETTING)}, 'on', true)",
        "SET CONSTRAINTS ALL DEFERRED",
        *(f"DELETE FROM {quote(table)}" for table in sorted(full, key=lambda table: table == last)),
        "DO $$ BEGIN IF EXISTS (" + holding_rows + ") THEN "
        "RAISE EXCEPTION 'a table still holds rows after the flush'; END IF; END $$",
    ]


def _quoted_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
