"""Catalogue search ordered by relevance inside an index: the RUM index of
actions/sql/search_rum_v1.sql, where the extension can be had (PostgreSQL with the ``rum``
extension installed, and a superuser migrating or the extension already created). Elsewhere
it creates nothing and the catalogue keeps today's ranking (catalogue/search.py).
Backwards: drops the index (search_rum_v1_revert.sql)."""

from django.db import migrations

from actions.operations import RunSQLFile


class Migration(migrations.Migration):
    dependencies = [("actions", "0017_catalogue_sort_indexes")]

    operations = [RunSQLFile("search_rum_v1")]
