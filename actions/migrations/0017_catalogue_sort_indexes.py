"""Indexes for the catalogue's sorts by title and by département (PostgreSQL), so that their
pages are read from an index instead of sorting every published sheet's row
(docs/benchmarks.md, « Les chemins qui grandissaient »).

- ``action_published_title_fr_idx``: published sheets by title in French order, then id: the
  order of the title sort (``in_french("title"), "pk"``), on the very expression the query
  sorts on (``title COLLATE "fr-x-icu"``), so a page is a walk of the index.
- ``action_published_structure_title_idx``: published sheets by structure, with their title
  and id: the département sort (département code, title, id) reads the départements in code
  order, their structures, then these narrow entries without visiting the 2 kB sheet rows,
  and sorts each département's titles alone (an incremental sort), up to the page asked;
  before, every published sheet's row was read and sorted.

Created in SQL: SQLite sorts in French through a collation function registered on each
connection (catalogue/apps.py), which an index in its file must not depend on, and has no
partial covering indexes to gain from.
"""

from django.db import migrations

from actions.operations import RunSQLOnPostgreSQL

CREATE_INDEXES = """
CREATE INDEX action_published_title_fr_idx
    ON actions_action ((title COLLATE "fr-x-icu"), id)
    WHERE publication_status = 'published';
CREATE INDEX action_published_structure_title_idx
    ON actions_action (structure_id, title, id)
    WHERE publication_status = 'published';
"""
DROP_INDEXES = """
DROP INDEX IF EXISTS action_published_title_fr_idx;
DROP INDEX IF EXISTS action_published_structure_title_idx;
"""


class Migration(migrations.Migration):
    dependencies = [("actions", "0016_search_vector_from_the_format")]

    operations = [RunSQLOnPostgreSQL(CREATE_INDEXES, DROP_INDEXES)]
