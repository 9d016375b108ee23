"""Maintenance of the facet index (PostgreSQL): the table of each published sheet's facet keys
and the counts of every pair of keys, kept exact by database triggers
(actions/sql/facet_index_v1.sql; the key layout is in actions/facet_keys.py). This is the write
side of the index: the catalogue only reads it (catalogue/facets).
"""

from contextlib import AbstractContextManager

from django.db import connections

from .deferral import deferred


def deferred_index(using: str = "default") -> AbstractContextManager[None]:
    """Suspend the facet index's triggers on this connection during a bulk load, then rebuild
    it from the sheets at once (tens of seconds at 100,000 sheets, instead of maintaining it
    row by row)."""
    return deferred("actions.facet_index_deferred", rebuild_index, using)


def rebuild_index(using: str = "default") -> None:
    """Rebuild the facet index from the sheets (it also ends a deferral)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT actions_rebuild_facet_index()")
