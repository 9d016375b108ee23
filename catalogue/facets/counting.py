"""The counting service: how many published sheets each option of each facet gives.

Two backends, same answers (tests compare them): grouped queries (catalogue/facets/grouped.py),
on any database and for any facet, and the facet index (catalogue/facets/indexed.py), on
PostgreSQL for the facets it covers. ``count_facets`` counts a selection of the catalogue (its
sidebar, and with ``figures`` what the selection is made of); ``option_counts``,
``count_per`` and ``headline_figures`` count the rows of the network pages and the home page;
``count_structures`` the structures running a selection's sheets.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import npgettext

from actions.facet_keys import TOTAL, index_available
from actions.models import Action, FacetPair
from federations.text import french_ordering

from . import declared, grouped, indexed
from .declaration import Choice, Facet, Reference, Tally

# A selection of the catalogue and its sidebar ------------------------------------------------


def sheets_unit(count: int) -> str:
    """ "action(s)": what an option's count counts in the catalogue, for screen readers."""
    return npgettext("option de filtre", "action", "actions", count)


@dataclass(frozen=True)
class Selection:
    """What the facets count within: ``sheets`` narrowed by the chosen values of ``facets``
    and by other filters (``others``: a search, a structure, years).

    ``sheets`` are the rows counted: the catalogue's sheets, or the directory's structures
    (its facets reach their values from a structure: ``Path(..., root=Structure)``); ``unit``
    names them after a count. ``chosen`` has every facet's chosen values (an empty list when
    unset); ``narrowed(names)`` is ``sheets`` narrowed by every filter but those of the facets
    named. ``ActionFilterSet`` and ``StructureFilterSet`` build one from a query string (their
    ``selection``).
    """

    sheets: QuerySet
    facets: tuple[Facet, ...]
    chosen: Mapping[str, list[str]]
    narrowed: Callable[[Collection[str]], QuerySet]
    others: bool = False
    unit: Callable[[int], str] = sheets_unit
    # The options of the facets from a reference table (``load_tables``), when already read.
    tables: Mapping[str, list[Choice]] | None = None

    @property
    def everything(self) -> bool:
        """Whether nothing narrows the sheets (the whole catalogue)."""
        return not self.others and not any(self.chosen.values())


@dataclass
class FacetOption:
    """``unit``: "action(s)" (the selection's ``unit``) after the count, for screen readers.
    Translated here rather than with ``blocktranslate`` in the template: hundreds of options
    are rendered per page."""

    value: str
    label: str
    count: int
    selected: bool = False
    unit: str = ""

    @property
    def empty(self) -> bool:
        """Whether choosing it would give nothing (shown as such, still choosable)."""
        return not self.count and not self.selected


@dataclass
class CountedFacet:
    """A facet as the sidebar shows it: its options with their counts."""

    name: str
    label: str
    widget: str
    options: list[FacetOption] = field(default_factory=list)
    all_label: str = ""  # the option that leaves it unset ("Tous", "Toutes")
    data_labels: bool = False  # option labels from the data: French on every page

    # A list longer than this shows its first options, the others behind "show all".
    LONG = 30
    SHOWN = 12

    @property
    def long(self) -> bool:
        return len(self.options) > self.LONG

    @property
    def first(self) -> list[FacetOption]:
        return self.options[: self.SHOWN] if self.long else self.options

    @property
    def rest(self) -> list[FacetOption]:
        return self.options[self.SHOWN :] if self.long else []

    @property
    def rest_selected(self) -> bool:
        return any(option.selected for option in self.rest)

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


@dataclass
class FacetCounts:
    facets: list[CountedFacet]
    total: int | None  # the selection's size, when the counting gave it (facet index)
    # The selection as the facet index found it, when the counting read the index: other
    # figures of the selection read from it (its structures, its funding) need not find it
    # again.
    entries: indexed.Entries | None = None
    # With figures (see count_facets): every facet counted within the selection, by name, and
    # the tallies ({value: sheets}).
    within: dict[str, CountedFacet] = field(default_factory=dict)
    tallies: dict[str, Counter] = field(default_factory=dict)


def count_facets(selection: Selection, *, figures: Collection[Tally] | None = None) -> FacetCounts:
    """Every facet of ``selection`` with its options and their counts: each option shows how
    many rows (sheets, structures) the selection would give with that option, ignoring the
    facet's own filter.

    With ``figures`` (tallies, possibly none: the observatory), also every facet counted within
    the selection itself, its own filter applied (``FacetCounts.within``): how the selection's
    sheets spread over the options, rather than what each option would give instead. Within
    ``theme=culture``, the option "culture" then counts the whole selection and the others the
    sheets that have both themes; a facet that is not set counts the same either way. And each
    tally within the selection (``FacetCounts.tallies``).

    Facets (and tallies) the index covers are counted on it on PostgreSQL, in one query; the
    others, and all of them elsewhere, by grouped queries. Plus one query for the reference
    tables' options and one per facet with ``MostFrequent`` options (twice with figures).
    With figures, ``count_structures`` counts the structures of the selection too.
    """
    using = selection.sheets.db
    tables = selection.tables
    if tables is None:
        tables = load_tables(selection.facets, using)
    on_index = index_available(using)
    covered = [facet for facet in selection.facets if on_index and facet.key is not None]
    others = [facet for facet in selection.facets if not on_index or facet.key is None]
    tallies = None if figures is None else list(figures)
    on_tallies = [] if tallies is None else [t for t in tallies if on_index and t.key is not None]
    off_tallies = None if tallies is None else [t for t in tallies if t not in on_tallies]
    counts, within, total, entries = {}, {}, None, None
    if covered:
        counts, within, total, entries = indexed.count(
            selection, covered, tables, None if tallies is None else on_tallies
        )
    if others or off_tallies:
        more, more_within, more_total = grouped.count(selection, others, off_tallies)
        counts.update(more)
        within.update(more_within)
        total = total if total is not None else more_total
    sidebar = {
        facet.name: _counted(
            facet, tables.get(facet.name, []), counts[facet.name], selection, using
        )
        for facet in selection.facets
    }
    figured = {}
    if tallies is not None:
        figured = {
            facet.name: (
                sidebar[facet.name]
                if not selection.chosen[facet.name]
                else _counted(
                    facet, tables.get(facet.name, []), within[facet.name], selection, using
                )
            )
            for facet in selection.facets
        }
    return FacetCounts(
        facets=list(sidebar.values()),
        total=total,
        entries=entries,
        within=figured,
        tallies={tally.name: within[tally.name] for tally in tallies or ()},
    )


def load_tables(facets: Collection[Facet], using: str) -> dict[str, list[Choice]]:
    """{facet name: its options} for the facets whose options are a reference table
    (``Reference``), each in its table's order, in one query."""
    facets = list(facets)
    sources = tuple(
        (position, facet.options)
        for position, facet in enumerate(facets)
        if isinstance(facet.options, Reference)
    )
    if not sources:
        return {}
    tables = defaultdict(list)
    with connections[using].cursor() as cursor:
        cursor.execute(*_tables_query(sources, using))
        for position, pk, value, label, _ in cursor.fetchall():
            tables[facets[position].name].append(Choice(pk, value, label))
    return tables


@lru_cache(maxsize=32)
def _tables_query(sources: tuple[tuple[int, Reference], ...], using: str) -> tuple[str, tuple]:
    """The SQL and parameters of ``load_tables``' query: the same for the same reference tables
    on the same database, so built once per process (the ORM took longer to build this union
    of a dozen windowed queries than the database to run it: docs/benchmarks.md). Its columns
    are integers and texts, which need no converter."""
    first, *rest = [reference.table_rows(position).using(using) for position, reference in sources]
    rows = first.union(*rest, all=True).order_by("facet_position", "option_rank")
    return rows.query.get_compiler(using).as_sql()


def _counted(facet: Facet, table, counts: Counter, selection: Selection, using) -> CountedFacet:
    selected = selection.chosen[facet.name]
    options = facet.options.listed(table, counts, selected, using)
    return CountedFacet(
        facet.name,
        facet.label,
        facet.widget,
        [
            FacetOption(
                choice.value,
                choice.label,
                counts[choice.id],
                selected=choice.value in selected,
                unit=selection.unit(counts[choice.id]),
            )
            for choice in options
        ],
        all_label=facet.all_label,
        data_labels=facet.options.data_labels,
    )


# The network pages and the home page ---------------------------------------------------------


@dataclass(frozen=True)
class Within:
    """Published sheets that a page counts within, and the facet-index key that all of them and
    only them carry (``TOTAL``: every published sheet), when there is one.

    With a key, PostgreSQL reads the counts from the facet index: the whole catalogue's counts
    cost no more than a structure's. Without one, they are counted from the sheets' side.
    """

    sheets: QuerySet
    key: int | None = None

    @classmethod
    def catalogue(cls) -> "Within":
        return cls(Action.objects.published(), TOTAL)

    @classmethod
    def value(cls, facet: Facet, row) -> "Within":
        """The published sheets with one value of ``facet``: ``row``, one of its options."""
        sheets = facet.narrow(Action.objects.published(), [getattr(row, facet.options.value_field)])
        return cls(sheets, facet.index_key(row.pk) if facet.paired else None)


def option_counts(facet: Facet, within: Within) -> QuerySet:
    """The rows of ``facet``'s reference table, annotated with ``action_count``."""
    rows = facet.options.model._default_manager.all()
    return count_per(rows, facet.reach.path, within, facet=facet)


def count_per(rows: QuerySet, path: str, within: Within, *, facet: Facet | None = None):
    """``rows`` (themes, départements, structures...) annotated with ``action_count``: how many
    sheets of ``within`` reach each row through ``path`` (from a sheet); 0 for none. Ordered as
    ``rows`` or its model, names in French order (Django leaves ``Meta.ordering`` out of grouped
    queries).

    Counted from the sheets' side, one correlated subquery per row: a structure's page counts
    the themes of its twenty sheets without reading the others'. When ``within`` has a key and
    ``facet`` (the facet of ``rows``) is covered by the facet index, PostgreSQL reads the counts
    from the index instead.
    """
    sheets = within.sheets
    if (
        within.key is not None
        and facet is not None
        and facet.key is not None
        and index_available(sheets.db)
    ):
        pairs = FacetPair.objects.filter(
            filter_key=within.key, key=OuterRef("pk") + facet.index_key(0)
        )
        count = Subquery(pairs.values("count"))
    else:
        count = Subquery(
            sheets.filter(**{path: OuterRef("pk")})
            .order_by()
            .values(path)
            .annotate(n=Count("pk"))
            .values("n")
        )
    return rows.annotate(action_count=Coalesce(count, 0)).order_by(
        *rows.query.order_by or french_ordering(rows.model)
    )


def headline_figures(within: Within) -> dict[str, int]:
    """How many sheets of ``within``, and how many structures, départements and federations
    run them. With a key, PostgreSQL counts all but the structures from the facet index."""
    departments, federations = declared.DEPARTEMENT, declared.FEDERATION
    sheets = within.sheets
    if within.key is None or not index_available(sheets.db):
        return sheets.order_by().aggregate(
            actions=Count("pk"),
            structures=Count("structure", distinct=True),
            departments=Count(departments.reach.path, distinct=True),
            federations=Count(federations.reach.path, distinct=True),
        )

    def of(facet):
        low, high = facet.index_range
        return Q(key__gte=low, key__lt=high)

    figures = FacetPair.objects.filter(filter_key=within.key, count__gt=0).aggregate(
        actions=Coalesce(Sum("count", filter=Q(key=TOTAL)), 0),
        departments=Count("key", filter=of(departments)),
        federations=Count("key", filter=of(federations)),
    )
    figures["structures"] = sheets.order_by().aggregate(n=Count("structure", distinct=True))["n"]
    return figures


def count_structures(counts: FacetCounts, selection: Selection) -> list[tuple]:
    """(kind, federation slug or None, structures, sheets): the structures that run the sheets
    of ``selection`` (counted as ``counts``), grouped by kind and federation. On the facet index
    (each sheet's structure is a key), from what the counting found; elsewhere, one grouped
    query."""
    if counts.entries is not None:
        return indexed.count_structures(counts.entries, selection.sheets.db)
    rows = (
        selection.narrowed(())
        .order_by()
        .values_list("structure__kind", "structure__federation__slug")
    )
    return list(rows.annotate(structures=Count("structure", distinct=True), sheets=Count("pk")))
