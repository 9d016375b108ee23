"""Full-text search over action sheets, on PostgreSQL and on SQLite.

PostgreSQL: ``Action.search_vector`` is a weighted ``tsvector`` kept up to date by a database
trigger (actions/sql/search_vector_v1.sql), built with the ``french_unaccent`` text search
configuration (French stemming after accent removal), so "vacance" finds "Vacances" and "sejour"
finds "Séjour". It is indexed with GIN and results are ranked with ``ts_rank``: the title
(weight A) beats the summary (B), which beats the description of the experience (C) and the
other sections (D).

SQLite (development and tests): every word of the query must appear in one of the same
sections, compared without accents and without case (an ``unaccent`` SQL function is registered
on each SQLite connection, so the ``__unaccent`` lookup of ``django.contrib.postgres`` works on
both databases). The rank is the sum of the weights of the sections that contain each word.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

SEARCH_CONFIG = "french_unaccent"

# Sections searched, by weight. actions/sql/search_vector_v1.sql holds a frozen copy of this
# list in its trigger.
WEIGHTED_FIELDS: dict[str, tuple[str, ...]] = {
    "A": ("title",),
    "B": ("summary",),
    "C": ("experience", "description"),
    "D": (
        "end_reason",
        "financial_resources",
        "people_mobilised",
        "result_territory",
        "result_centre",
        "result_residents",
        "limits",
        "perspectives",
    ),
}
# PostgreSQL's default weights for ts_rank, reused by the SQLite ranking.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
MAX_TERMS = 8
RANK = "search_rank"


def strip_accents(text: str | None) -> str | None:
    """What PostgreSQL's ``unaccent`` does for French text: "Séjour" -> "Sejour", "œ" -> "oe"."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.translate(LIGATURES)


LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


# The ICU French collation that PostgreSQL creates with every cluster (built with ICU, as
# Debian's is): names in the order of a French dictionary, "Élan" between "eau" and "ferme".
# SQLite gets a collation of the same name (``french_order``), so ``Collate(F("name"),
# FRENCH_COLLATION)`` sorts on both databases.
FRENCH_COLLATION = "fr-x-icu"


def french_order(left: str, right: str) -> int:
    """What ``fr-x-icu`` compares first, for SQLite: the letters without accents nor case
    ("Élan" < "ferme"), then the accents and case, so equal names keep a stable order."""

    def key(text):
        return strip_accents(text).casefold(), text.casefold(), text

    return (key(left) > key(right)) - (key(left) < key(right))


def register_sqlite_functions(sender, connection, **kwargs):
    """``connection_created`` receiver: gives SQLite the ``unaccent()`` function of PostgreSQL
    and its French collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, strip_accents, deterministic=True)
        connection.connection.create_collation(FRENCH_COLLATION, french_order)


def search_terms(text: str) -> list[str]:
    """The words of a query, without punctuation (SQLite fallback)."""
    return re.findall(r"\w+", text or "")[:MAX_TERMS]


def postgresql_search(queryset: QuerySet, text: str) -> QuerySet:
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return queryset.filter(search_vector=query).annotate(
        **{RANK: SearchRank(F("search_vector"), query)}
    )


def sqlite_search(queryset: QuerySet, text: str) -> QuerySet:
    terms = search_terms(text)
    if not terms:
        return queryset.annotate(**{RANK: Value(0.0, output_field=FloatField())}).none()
    rank = Value(0.0)
    for term in terms:
        anywhere = Q()
        for weight, fields in WEIGHTED_FIELDS.items():
            in_group = Q()
            for field in fields:
                in_group |= Q(**{f"{field}__unaccent__icontains": term})
            anywhere |= in_group
            rank += Case(When(in_group, then=Value(WEIGHTS[weight])), default=Value(0.0))
        queryset = queryset.filter(anywhere)
    return queryset.annotate(**{RANK: Value(0.0, output_field=FloatField()) + rank})


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Actions of ``queryset`` matching ``text``, annotated with ``search_rank``."""
    text = (text or "").strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return postgresql_search(queryset, text)
    return sqlite_search(queryset, text)


def search_structures(queryset: QuerySet, text: str) -> QuerySet:
    """Structures of ``queryset`` whose name or commune contains every word of ``text``,
    ignoring case and accents, on both databases (a few thousand short names: no index). A
    text without any word finds nothing, as for sheets."""
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    for term in terms:
        queryset = queryset.filter(
            Q(name__unaccent__icontains=term) | Q(commune__unaccent__icontains=term)
        )
    return queryset
