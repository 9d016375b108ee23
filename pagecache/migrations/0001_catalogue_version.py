"""The catalogue version, the functions that move it on PostgreSQL
(pagecache/sql/catalogue_version_v1.sql), and the database cache's table for the pages
(``CACHES["pages"]`` when ``REDIS_URL`` is unset). Its row and the per-table triggers are
made after every migrate (pagecache/triggers.py)."""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, models

from pagecache.triggers import SQL, remove_triggers


def create_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL.read_text(encoding="utf-8"))


def drop_functions(apps, schema_editor):
    remove_triggers(schema_editor.connection.alias)


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.PAGE_CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    quoted = schema_editor.quote_name(settings.PAGE_CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=1)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "version du catalogue",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(id=1),
                        name="pagecache_one_catalogue_version",
                        violation_error_message="Il n'y a qu'une version du catalogue.",
                    )
                ],
            },
        ),
        migrations.RunPython(create_functions, drop_functions),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
