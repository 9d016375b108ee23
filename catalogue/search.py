"""Full-text search over action sheets, on PostgreSQL and on SQLite; the structure directory's
search (``search_structures``) is at the end; SQLite gets the French collation here
(federations/text.py).

What a sheet is found by (the weights of the published format's sections, ``actions.sections``:
``weighted_paths()``): its text sections, and the names it links to:
its structure's ("ADESIR" finds the sheets of that structure), its themes' and its partners'
(the partners of the action and its funders, from the partnerships and the funding lines).
The weights rank the results: the title (A) first; then the summary and the structure's name
(B): a sheet is run by its structure, but a word of the title says more about it than the
structure's name, which all its sheets share; then the description of the experience and the
sheet's themes (C), keywords chosen from a short list; then the other sections and the
partners' names (D), which many sheets share.

Partners' names and privacy: only published sheets are searched (the catalogue searches
``Action.objects.catalogue()``), so a partner's name is found only through a published sheet
that names it, whose public page shows that name too. A partner linked to a published sheet is
public by definition (a partner typed in a federation's draft is private to it until a
published sheet names it: the rule of ``Partner.objects.public()``), so the vector of a
published sheet makes nothing private findable. The vector of a draft holds its partners' names
too, and no public query reads drafts.

PostgreSQL: ``Action.search_vector`` is a weighted ``tsvector`` kept exact by database triggers
(actions/sql/search_vector_v*.sql, the latest rendered from the declaration by
``actions.search_vector.render_sql``): on every write of
a sheet, and when a name it includes changes (a structure, a partner or a theme renamed) or a
link to a theme or a partner is added, removed or moved. It is built with the
``french_unaccent`` text search configuration (French stemming after accent removal), so
"vacance" finds "Vacances" and "sejour" finds "Séjour", indexed with GIN, and results are
ranked with ``ts_rank``. Each section is cut to its first ``MAX_SECTION_CHARS`` characters in
the vector: PostgreSQL refuses a vector of more than 1 MB of distinct words, which would make
the write of a sheet fail; the cap keeps the whole vector below that, whatever the text (a
sheet's longest section is a few thousand characters).

SQLite (development and tests): every word of the query must appear in one of the same
sections or names, compared without accents and without case (an ``unaccent`` SQL function is
registered on each SQLite connection, so the ``__unaccent`` lookup of ``django.contrib.postgres``
works on both databases), uncut. The rank is the sum of the weights of the sections that
contain each word.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

from actions import sections
from federations.text import FRENCH_COLLATION, french_compare, strip_accents

SEARCH_CONFIG = "french_unaccent"

# Characters of each section in the vector (PostgreSQL); a frozen copy in search_vector_v2.sql.
MAX_SECTION_CHARS = 12_000
# PostgreSQL's default weights for ts_rank, reused by the SQLite ranking.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
MAX_TERMS = 8
RANK = "search_rank"


def register_sqlite_functions(sender, connection, **kwargs):
    """``connection_created`` receiver: gives SQLite the ``unaccent()`` function of PostgreSQL
    and its French collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, strip_accents, deterministic=True)
        connection.connection.create_collation(FRENCH_COLLATION, french_compare)


def search_terms(text: str) -> list[str]:
    """The words of a query, without punctuation (SQLite fallback)."""
    return re.findall(r"\w+", text or "")[:MAX_TERMS]


def postgresql_search(queryset: QuerySet, text: str) -> QuerySet:
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return queryset.filter(search_vector=query).annotate(
        **{RANK: SearchRank(F("search_vector"), query)}
    )


def _contains(queryset: QuerySet, path: str, term: str) -> Q:
    """The rows of ``queryset`` whose ``path`` contains ``term`` (SQLite fallback). Through a
    to-many relation (themes, partners), a subquery: a join would repeat a row per match."""
    lookup = {f"{path}__unaccent__icontains": term}
    field = queryset.model._meta.get_field(path.split("__")[0])
    if field.many_to_many or field.one_to_many:
        return Q(pk__in=queryset.model._base_manager.filter(**lookup).values("pk"))
    return Q(**lookup)


def sqlite_search(queryset: QuerySet, text: str) -> QuerySet:
    terms = search_terms(text)
    if not terms:
        return queryset.annotate(**{RANK: Value(0.0, output_field=FloatField())}).none()
    rank = Value(0.0)
    for term in terms:
        anywhere = Q()
        for weight, fields in sections.weighted_paths().items():
            in_group = Q()
            for field in fields:
                in_group |= _contains(queryset, field, term)
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
