"""Maintenance of the facet index (PostgreSQL): the table of each published sheet's facet keys
(and funding per kind of partner) and the counts of every pair of keys, kept exact by database
triggers (actions/sql/facet_index_v1.sql and v2; the layout is in actions/facet_keys.py). This
is the write side of the index: the catalogue and the observatory only read it.
"""

from contextlib import AbstractContextManager

from django.db import connections

from .deferral import deferred, switch_off

DEFERRAL_SETTING = "actions.facet_index_deferred"


def deferred_index(using: str = "default") -> AbstractContextManager[None]:
    """Suspend the facet index's triggers on this connection during a bulk load, then rebuild
    it from the sheets at once (tens of seconds at 100,000 sheets, instead of maintaining it
    row by row)."""
    return deferred(DEFERRAL_SETTING, rebuild_index, using)


def suspend_index(using: str = "default") -> None:
    """Switch the facet index's triggers off on this connection for the rest of its session:
    a connection that writes part of a bulk load whose ``deferred_index()`` another one holds
    (and rebuilds at its end)."""
    if connections[using].vendor == "postgresql":
        switch_off(DEFERRAL_SETTING, using)


def rebuild_index(using: str = "default") -> None:
    """Rebuild the facet index from the sheets (it also ends a deferral)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT actions_rebuild_facet_index()")
