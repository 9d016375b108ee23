"""The data the database maintains with triggers (the facet index, the search vectors:
actions/sql/) can be left aside on a connection during a bulk load, then rebuilt at once: one
pass over the sheets instead of an update per batch and per table."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections


@contextmanager
def deferred(setting: str, rebuild: Callable[[str], None], using: str) -> Iterator[None]:
    """Switch off the triggers that read the session ``setting`` on this connection
    (PostgreSQL; elsewhere there are none), then call ``rebuild(using)``, which ends the
    deferral."""
    if connections[using].vendor != "postgresql":
        yield
        return
    switch_off(setting, using)
    try:
        yield
    finally:
        rebuild(using)


def switch_off(setting: str, using: str) -> None:
    """Switch off the triggers that read the session ``setting`` on this connection
    (PostgreSQL), until its session ends or a rebuild switches them on again."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', false)", [setting])
