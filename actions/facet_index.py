"""Maintenance of the facet index (PostgreSQL): the table of each published sheet's facet keys
(and funding per kind of partner) and the counts of every pair of keys, kept exact by database
triggers (actions/sql/facet_index_v1.sql and v2; the layout is in actions/facet_keys.py). This
is the write side of the index: the catalogue and the observatory only read it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

from .facet_keys import index_available


@contextmanager
def deferred_index(using: str = "default") -> Iterator[None]:
    """Suspend the facet index's triggers on this connection during a bulk load, then rebuild
    it from the sheets at once (tens of seconds at 100,000 sheets, instead of maintaining it
    row by row)."""
    if not index_available(using):
        yield
        return
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config('actions.facet_index_deferred', 'on', false)")
    try:
        yield
    finally:
        rebuild_index(using)


def rebuild_index(using: str = "default") -> None:
    """Rebuild the facet index from the sheets (it also ends a deferral)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT actions_rebuild_facet_index()")
