"""Maintenance of the sheets' search vectors (PostgreSQL): database triggers keep them exact
(actions/sql/search_vector_v2.sql; what they hold and their weights: catalogue/search.py). This
is the write side of the vectors: the catalogue only reads them.
"""

from contextlib import AbstractContextManager

from django.db import connections

from .deferral import deferred


def deferred_vectors(using: str = "default") -> AbstractContextManager[None]:
    """Suspend the search vectors' triggers on this connection during a bulk load, then compute
    every sheet's vector at once. Without it, each statement that adds the themes or partners
    of a batch of sheets writes those sheets again (ten times slower for demo data).

    Inside ``deferred_index()`` (``with deferred_index(), deferred_vectors():``), the vectors
    are rebuilt while the facet index is still deferred, so that the rebuild does not refresh
    the index (whose keys do not depend on the vectors).
    """
    return deferred("actions.search_vector_deferred", rebuild_vectors, using)


def rebuild_vectors(using: str = "default") -> None:
    """Compute every sheet's search vector from its rows (it also ends a deferral)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT actions_rebuild_search_vectors()")
