"""Catalogue search version 3 (actions/sql/search_vector_v3.sql): the function that computes a
sheet's vector and the trigger that watches its columns, rendered from the published format's
declaration (``actions.sections``, ``manage.py render_search_vector``); the same vectors as
version 2, computed again. Backwards: nothing to run (see search_vector_v3_revert.sql)."""

from django.db import migrations

from actions.operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [("actions", "0015_text_sections_named_by_their_headings")]

    operations = [RunSQLFile("search_vector_v3")]
