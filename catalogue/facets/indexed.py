"""Counting facets on the facet index (PostgreSQL): the facets it covers, in one query.

The index (tables ``FacetEntry`` and ``FacetPair``, kept exact by triggers: actions/sql/) gives
every published sheet the sorted array of its keys (actions/facet_keys.py). Counting within any
selection is one pass over those narrow rows (``unnest`` + ``GROUP BY``) for all facets at once,
instead of ten joins over 2 kB sheet rows; and the counts within the whole catalogue or within a
one-value filter (a theme, a département...) are read from ``FacetPair``, not counted.

The facets are grouped by what they count within (``_Group``): the selection for the facets
whose filter is not set, the selection without its own filter for each facet that is set.
The filters the index does not cover (the search, a structure, years, facets without a key)
restrict the entries counted: the selection's SQL without the covered facets' filters.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections

from actions.facet_keys import KIND_SHIFT, TOTAL, kind_range
from actions.models import FacetEntry, FacetPair
from federations.models import Federation, Structure

from .declaration import Facet, Tally


@dataclass(frozen=True)
class _Group:
    """What a group of facets counts within.

    Either a one-value filter, whose counts are read from ``FacetPair`` (``filter_key``; 0 for
    the whole catalogue), or the entries whose keys include one of each tuple of ``any_of``
    (several themes are alternatives, different facets all apply) and, when ``restricted``,
    whose sheets pass the filters the index does not cover.
    """

    filter_key: int | None = None
    any_of: tuple[tuple[int, ...], ...] = ()
    restricted: bool = False

    def entries(self, restriction: tuple[str, list] | None) -> "Entries":
        if self.filter_key == TOTAL:
            return Entries(TOTAL, "TRUE", [])
        if self.filter_key is not None:
            return Entries(self.filter_key, "entry.keys && %s::bigint[]", [[self.filter_key]])
        conditions = ["entry.keys && %s::bigint[]"] * len(self.any_of)
        params = [list(keys) for keys in self.any_of]
        if self.restricted:
            conditions.append(restriction[0])
            params += restriction[1]
        return Entries(None, " AND ".join(conditions) or "TRUE", params)


@dataclass(frozen=True)
class Entries:
    """A selection as the facet index finds it, for other figures read from the index: its
    entries, ``condition`` on ``entry`` (table FacetEntry) with its ``params``; and, when
    the pairs count it (the whole catalogue, a one-value filter), the pairs' ``filter_key``."""

    filter_key: int | None
    condition: str
    params: list


def count(
    selection, facets: list[Facet], tables: dict, tallies: list[Tally] | None = None
) -> tuple[dict[str, Counter], dict[str, Counter], int, Entries]:
    """{facet name: {option id: sheets}} for ``facets`` (all covered by the index) within
    ``selection`` (a facet that is set, without its own filter); with ``tallies`` (even
    empty), every facet and tally counted within the selection itself (see ``count_facets``);
    the selection's size; all in one query. And the selection's ``Entries``."""
    using = selection.sheets.db
    covered = {facet.name for facet in facets}
    active = [facet for facet in facets if selection.chosen[facet.name]]
    keys = {
        facet.name: tuple(
            facet.index_key(option)
            for option in facet.options.chosen_ids(
                selection.chosen[facet.name], tables.get(facet.name), using
            )
        )
        for facet in active
    }
    uncovered = selection.others or any(
        values for name, values in selection.chosen.items() if name not in covered
    )
    restriction = _restriction(selection.narrowed(covered)) if uncovered else None

    def within(without: Facet | None) -> _Group:
        rest = [facet for facet in active if facet is not without]
        if restriction is None and not rest:
            return _Group(filter_key=TOTAL)
        if restriction is None and len(rest) == 1 and rest[0].paired:
            (only,) = rest
            if len(keys[only.name]) == 1:
                return _Group(filter_key=keys[only.name][0])
        return _Group(
            any_of=tuple(keys[facet.name] for facet in sorted(rest, key=lambda f: f.name)),
            restricted=restriction is not None,
        )

    main = within(None)
    groups = defaultdict(list, {main: []})
    for facet in facets:
        groups[within(facet)].append(facet)
    counted_within = [] if tallies is None else [*active, *tallies]
    # The set facets and the tallies are counted within the selection too (its own group).
    counted = _count_groups({**groups, main: [*groups[main], *counted_within]}, restriction, using)
    counts = {
        facet.name: counted[group][facet.index_kind]
        for group, members in groups.items()
        for facet in members
    }
    within_counts = {}
    if tallies is not None:
        within_counts = {
            counted_facet.name: counted[main][counted_facet.index_kind]
            for counted_facet in [*facets, *tallies]
        }
    return counts, within_counts, counted[main][0][TOTAL], main.entries(restriction)


def _restriction(sheets) -> tuple[str, list]:
    """``sheets`` as an SQL condition on ``entry.action_id``."""
    try:
        sql, params = sheets.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "FALSE", []
    return f"entry.action_id IN ({sql})", list(params)


def _count_groups(
    groups: dict[_Group, list[Facet]], restriction: tuple[str, list] | None, using: str
) -> dict[_Group, dict[int, Counter]]:
    """{group: {key kind: {option id: sheets}}} for every group, in one query. Each group also
    counts the key ``TOTAL`` (kind 0): the size of its selection."""
    entries, pairs = FacetEntry._meta.db_table, FacetPair._meta.db_table
    branches, params = [], []
    for number, (group, facets) in enumerate(groups.items()):
        kinds = [TOTAL, *(facet.index_kind for facet in facets)]
        if group.filter_key is not None:
            branches.append(
                f"SELECT {number} AS grp, key, count FROM {pairs}"
                " WHERE filter_key = %s AND key >> 32 = ANY(%s) AND count > 0"
            )
            params += [group.filter_key, kinds]
            continue
        conditions = ["entry.keys && %s::bigint[]"] * len(group.any_of)
        params += [list(keys) for keys in group.any_of]
        # Keeping only the facets wanted costs a test per key: worth it for a group of one
        # or two facets (a facet whose own filter is set), not for the selection's facets.
        wanted = ""
        if len(facets) <= 2:
            wanted = " WHERE key >> 32 = ANY(%s)"
        # unnest() in the select list, not as a lateral join: a third cheaper.
        branches.append(
            f"SELECT {number}, key, COUNT(*) FROM (SELECT unnest(entry.keys) AS key"
            f" FROM {'restricted' if group.restricted else entries} entry"
            f" WHERE {' AND '.join(conditions) or 'TRUE'}) AS keys{wanted} GROUP BY key"
        )
        if wanted:
            params.append(kinds)
    sql = " UNION ALL ".join(branches)
    if any(group.restricted for group in groups):
        # The entries that pass the other filters (a search: thousands of ids), found once.
        sql = (
            f"WITH restricted AS MATERIALIZED (SELECT entry.keys FROM {entries} entry"
            f" WHERE {restriction[0]}) {sql}"
        )
        params = [*restriction[1], *params]
    group_of = list(groups)
    counts = {group: defaultdict(Counter) for group in groups}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        for number, key, n in cursor.fetchall():
            kind, option = divmod(key, 1 << KIND_SHIFT)
            counts[group_of[number]][kind][option] = n
    return counts


def count_structures(entries: Entries, using: str) -> list[tuple[str, str | None, int, int]]:
    """(kind, federation slug, structures, sheets) of the structures that run the sheets of
    ``entries``, by kind and federation, in one query: the sheets of each structure (its key,
    kind ``structure``) read from the pairs or counted over the entries, joined to the
    structures."""
    low, high = kind_range("structure")
    if entries.filter_key is not None:
        per_structure = (
            f"SELECT key, count AS n FROM {FacetPair._meta.db_table}"
            " WHERE filter_key = %s AND key >= %s AND key < %s AND count > 0"
        )
        params = [entries.filter_key, low, high]
    else:
        per_structure = (
            "SELECT key, COUNT(*) AS n FROM (SELECT unnest(entry.keys) AS key"
            f" FROM {FacetEntry._meta.db_table} entry WHERE {entries.condition}) AS keys"
            " WHERE key >= %s AND key < %s GROUP BY key"
        )
        params = [*entries.params, low, high]
    structures, federations = Structure._meta.db_table, Federation._meta.db_table
    sql = (
        f"SELECT structure.kind, federation.slug, COUNT(*), SUM(per_structure.n)"
        f" FROM ({per_structure}) AS per_structure"
        f" JOIN {structures} structure ON structure.id = per_structure.key - %s"
        f" LEFT JOIN {federations} federation ON federation.id = structure.federation_id"
        " GROUP BY 1, 2"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*params, low])
        return [(kind, slug, structures, int(sheets)) for kind, slug, structures, sheets in cursor]
