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

Relevance at national scale (PostgreSQL with the RUM extension: actions/sql/search_rum_v1.sql).
``ts_rank`` reads the vector of every match to rank them: a search with 6,000 matches at
100,000 sheets reads and decompresses 6,000 vectors (about 3 kB each) for a page of 20, and ten
times as many at a million. Where the database has the RUM index of the published sheets'
vectors (``uses_rum``), the catalogue page's relevance sort first takes the search's
``SEARCH_WINDOW`` best matches *in the index* (``ORDER BY search_vector <=> query LIMIT n``:
RUM keeps each word's positions and weights beside the sheet's id and ranks the matches from
them, reading the rows of the window only), then ranks that window with ``ts_rank`` exactly as
before (then the newest first, then pk). A search with fewer matches than the window lists the
same sheets in the same order on both paths; one with more lists its ``SEARCH_WINDOW`` best,
and the page says so (``ActionFilterSet.matches_count``); its count and facets still count
every match. Only the page is windowed (``windowed_search``): the CSV, the alerts' digests and
the API read every match, ranked with ``ts_rank``.

The trade-off (recall of the window): which matches enter it is decided by RUM's rank (cover
density, with the same weights A > B > C > D), not by ``ts_rank``; a sheet that ``ts_rank``
would place in the first pages is left out when RUM ranks it below the window's last. Both
rank a word of the title above one of the summary, so what is left out are matches in the
lower-weighted sections. RUM still ranks every match inside the index (a sort of their ids
and ranks, about a microsecond each): the cost grows with the matches, at a far smaller rate
than reading their vectors. Without the index (a managed database without the extension), the
search ranks every match with ``ts_rank``, as it always did, and lists them all.

SQLite (development and tests): every word of the query must appear in one of the same
sections or names, compared without accents and without case (an ``unaccent`` SQL function is
registered on each SQLite connection, so the ``__unaccent`` lookup of ``django.contrib.postgres``
works on both databases), uncut. The rank is the sum of the weights of the sections that
contain each word.
"""

import re
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When

from actions import sections
from federations.text import FRENCH_COLLATION, french_compare, strip_accents

SEARCH_CONFIG = "french_unaccent"

# Characters of each section in the vector (PostgreSQL); a frozen copy in search_vector_v2.sql.
MAX_SECTION_CHARS = 12_000
# PostgreSQL's default weights for ts_rank, reused by the SQLite ranking.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
MAX_TERMS = 8
RANK = "search_rank"
# The matches a relevance-sorted search lists where the RUM index ranks them (10 pages).
SEARCH_WINDOW = 200
RUM_INDEX = "action_search_vector_rum"  # actions/sql/search_rum_v1.sql

# {(database name, host, port): whether it has the RUM index}, read once per process.
_rum_indexes: dict[tuple, bool] = {}


def database_key(using: str) -> tuple:
    """The database the connection ``using`` reaches (the key of ``_rum_indexes``)."""
    settings = connections[using].settings_dict
    return (settings["NAME"], settings.get("HOST"), settings.get("PORT"))


def uses_rum(using: str) -> bool:
    """Whether the database ``using`` has the RUM index of the published sheets' vectors
    (PostgreSQL where the extension could be created: actions/migrations/0017). Read once per
    database and process, on the raw connection so that it never adds to a page's queries; a
    server given the index later is seen at the next restart (as after any migration)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    database = database_key(using)
    if database not in _rum_indexes:
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
            _rum_indexes[database] = cursor.fetchone()[0]
    return _rum_indexes[database]


def window_size(using: str) -> int | None:
    """How many matches a relevance-sorted search lists on the database ``using``: at most
    ``SEARCH_WINDOW`` where the RUM index ranks them, all of them (None) elsewhere."""
    return SEARCH_WINDOW if uses_rum(using) else None


class RumDistance(Func):
    """``vector <=> query``: RUM's distance of a vector to a query (the inverse of its rank),
    the order its index gives matches in."""

    arg_joiner = " <=> "
    template = "(%(expressions)s)"
    output_field = FloatField()


# SQLite calls ``unaccent()`` on every searched column of every sheet, for each query of a
# search page (about 3,200 calls on the 240 texts of the sample's 22 sheets): each text is
# unaccented once, while it stays among the last ones read.
_unaccent = lru_cache(maxsize=1024)(strip_accents)


def register_sqlite_functions(sender, connection, **kwargs):
    """``connection_created`` receiver: gives SQLite the ``unaccent()`` function of PostgreSQL
    and its French collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, _unaccent, deterministic=True)
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


def by_relevance(queryset: QuerySet, text: str, *, windowed: bool) -> QuerySet:
    """``queryset`` (a search for ``text``, see ``search``) in the order of relevance: the
    best rank first, then the newest, then pk; ``windowed`` and where the RUM index ranks the
    matches (``window_size``), only the ``SEARCH_WINDOW`` best of them (see the module's
    docstring). Only a page that lists results is windowed: an export, an alert's digest and
    the API read every match."""
    ranked = queryset.order_by(f"-{RANK}", "-published_at", "-pk")
    if not windowed or (size := window_size(queryset.db)) is None:
        return ranked
    query = SearchQuery(text.strip(), config=SEARCH_CONFIG, search_type="websearch")
    window = queryset.order_by(RumDistance(F("search_vector"), query)).values("pk")
    return ranked.filter(pk__in=window[:size])


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
