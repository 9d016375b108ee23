"""Keyset ("cursor") pagination over a queryset's own order.

A page is the ``limit`` rows that come after the last row of the previous page in the
queryset's order: ``WHERE (k1, k2, …, pk) > (v1, v2, …, p) ORDER BY k1, k2, …, pk LIMIT n``
(written as the equivalent OR of comparisons, since the keys may mix directions). The cursor
carries the last row's key values, nothing else: no page number, no OFFSET, so a page costs the
same at the end of 100,000 sheets as at the start, and a sheet published meanwhile neither
shifts nor repeats the rows a client has still to read (it appears in place, or is already
behind the cursor).

The order is the queryset's (``ActionFilterSet.order``: newest, title, département,
relevance), whatever expressions it sorts on; it must end with the primary key, which makes it
total, and its keys must not be NULL. The first key is also bounded on its own (``k1 >= v1``)
so that the database starts reading the index or the sort at the cursor.

A cursor is opaque to clients (base64url of JSON) and checked: it must come from the same
order (a fingerprint of it), hold one value per key, and values the keys' fields accept.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast


def _exact(value):
    """JSON for the key types JSON lacks, at full precision (Django's encoder drops the
    microseconds of a datetime, and two sheets may be published in the same millisecond)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a key type")


class InvalidCursor(ValueError):
    """A cursor this order did not make (edited, truncated, or from another sort)."""


@dataclass(frozen=True)
class Key:
    alias: str
    expression: object
    descending: bool


def order_keys(queryset: QuerySet) -> list[Key]:
    """The keys of ``queryset``'s explicit order, each under an alias to annotate."""
    keys = []
    for position, item in enumerate(queryset.query.order_by):
        if isinstance(item, str):
            descending = item.startswith("-")
            expression = F(item.lstrip("-"))
        elif isinstance(item, OrderBy):
            expression, descending = item.expression, item.descending
        else:
            expression, descending = item, False
        keys.append(Key(f"keyset_{position}", expression, descending))
    last = keys[-1].expression if keys else None
    if not (isinstance(last, F) and last.name in ("pk", "id")):
        raise ImproperlyConfigured("Keyset pagination needs an order that ends with the pk.")
    return keys


@dataclass
class Page:
    ids: list
    next_cursor: str | None


class Keyset:
    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self.keys = order_keys(queryset)
        annotated = queryset.annotate(**{key.alias: key.expression for key in self.keys})
        self.fields = [annotated.query.annotations[k.alias].output_field for k in self.keys]
        # A float key (a search rank: PostgreSQL's ts_rank is a 4-byte real) is read as a double:
        # the real's short decimal text would not compare equal to the real itself.
        self.annotated = queryset.annotate(
            **{
                key.alias: Cast(key.expression, FloatField())
                if isinstance(field, FloatField)
                else key.expression
                for key, field in zip(self.keys, self.fields, strict=True)
            }
        )
        self.fingerprint = hashlib.sha256(
            repr([(repr(k.expression), k.descending) for k in self.keys]).encode()
        ).hexdigest()[:12]

    # The cursor --------------------------------------------------------------------------------

    def encode(self, values) -> str:
        if any(value is None for value in values):
            raise ImproperlyConfigured("Keyset pagination: an order key is NULL.")
        payload = json.dumps({"o": self.fingerprint, "v": list(values)}, default=_exact)
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
            values = payload["v"]
            if payload["o"] != self.fingerprint or len(values) != len(self.keys):
                raise InvalidCursor(cursor)
            return [field.to_python(v) for field, v in zip(self.fields, values, strict=True)]
        except (
            binascii.Error,
            UnicodeError,
            ValueError,
            TypeError,
            KeyError,
            ValidationError,
        ) as error:
            raise InvalidCursor(cursor) from error

    # A page ------------------------------------------------------------------------------------

    def after(self, values) -> Q:
        """The rows after ``values`` in the order."""
        condition = Q()
        for position, key in enumerate(self.keys):
            step = {
                earlier.alias: value
                for earlier, value in zip(self.keys[:position], values, strict=False)
            }
            step[f"{key.alias}__{'lt' if key.descending else 'gt'}"] = values[position]
            condition |= Q(**step)
        first = self.keys[0]
        return Q(**{f"{first.alias}__{'lte' if first.descending else 'gte'}": values[0]}) & (
            condition
        )

    def page(self, cursor: str | None, limit: int) -> Page:
        rows = self.annotated
        if cursor:
            rows = rows.filter(self.after(self.decode(cursor)))
        found = list(
            rows.prefetch_related(None).values_list("pk", *(k.alias for k in self.keys))[
                : limit + 1
            ]
        )
        more = len(found) > limit
        found = found[:limit]
        next_cursor = self.encode(found[-1][1:]) if more else None
        return Page([row[0] for row in found], next_cursor)
