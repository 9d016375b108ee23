"""A selection of sheets read once and reused by several queries of the same page."""

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL


@dataclass(frozen=True)
class Frozen:
    """``ids`` is a right-hand side for ``pk__in`` that does not run the selection's filters
    again (a full-text match, several semi-joins); ``count`` its size, when known."""

    ids: object
    count: int | None


def freeze(selection: QuerySet) -> Frozen:
    """Read the ids of ``selection`` once (PostgreSQL).

    They travel back as one array parameter (``unnest``), not as one placeholder each: the
    statement stays short and cheap to plan whatever their number. The array is written as
    text once, not adapted again by the driver for each query that uses it. Elsewhere (SQLite,
    small development data) the subquery itself, evaluated where it is used.
    """
    rows = selection.order_by().values("pk")
    if connections[rows.db].vendor == "postgresql":
        ids = list(rows.values_list("pk", flat=True))
        literal = "{" + ",".join(map(str, ids)) + "}"
        return Frozen(RawSQL("SELECT unnest(%s::bigint[])", (literal,)), len(ids))
    return Frozen(rows, None)
