"""Indexes for the public catalogue at national scale (100,000 sheets, docs/benchmarks.md).

- ``action_published_newest_idx``: published sheets, newest first. The catalogue's default
  order and its deep pages (read by ids, see catalogue/pagination.py) walk it instead of sorting.
- ``action_published_facets_idx`` (PostgreSQL): published sheets by id, with the columns the
  facets count (structure, status, dimension, territory). A sheet row is about 2 kB of text,
  so counting facets over the whole table read ~180 MB each time; this index is ~6 MB, and the
  counts become index-only scans. Created in SQL because SQLite has no covering indexes.
"""

from django.db import migrations, models

from actions.operations import RunSQLOnPostgreSQL

CREATE_FACETS_INDEX = """
CREATE INDEX action_published_facets_idx ON actions_action (id)
    INCLUDE (structure_id, status, dimension_id, territory_scale_id, year)
    WHERE publication_status = 'published';
"""
DROP_FACETS_INDEX = "DROP INDEX IF EXISTS action_published_facets_idx;"


class Migration(migrations.Migration):
    dependencies = [("actions", "0003_full_text_search")]

    operations = [
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("publication_status", "published")),
                fields=["-published_at", "-id"],
                name="action_published_newest_idx",
            ),
        ),
        RunSQLOnPostgreSQL(CREATE_FACETS_INDEX, DROP_FACETS_INDEX),
    ]
