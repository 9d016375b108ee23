"""Facet counts of the public catalogue: which facets exist, how they are counted, and the facet
index that makes the counts cheap on PostgreSQL at national scale.

Each option of a facet shows how many sheets the current selection would give with that
option: the counts of a facet ignore the facet's own filter (see actions/filters.py). So a page
counts within up to a few selections: the selection itself, for every facet whose filter is
not set, and, for each facet that is set, the selection without it.

Two ways to count, same answers (tests compare them):

- Anywhere (SQLite, small data): grouped queries over each selection, the facets a sheet has
  one value of together, one per many-to-many facet (``count_generic``).
- PostgreSQL: the facet index of migration 0005. Every published sheet has one
  ``FacetEntry``, the sorted array of its *keys*: ``kind << 32 | id`` for each theme, public,
  status, département, région, federation, dimension, initiative, territory and funder
  (``KINDS``), plus the key 0 that every sheet carries. Counting within any selection is then
  one pass over narrow rows (``unnest`` + ``GROUP BY``) for all facets at once, instead of ten
  joins over 2 kB sheet rows. And ``FacetPair`` holds, for every pair of keys, how many
  sheets carry both: the counts within the whole catalogue (pairs with key 0) and within a
  one-value filter (a theme, a département...) are read, not counted. Database triggers keep
  both exact on every write; ``deferred_index`` suspends them for a bulk load.

On PostgreSQL all the counting of a page is one query, plus one for the labels and one for
the funders' names (and one for a chosen funder's key).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connections, models
from django.db.models import Count

from actions.enums import ActionStatus, PartnerRole
from actions.facet_keys import KINDS, STATUS_CODES, TOTAL, facet_key, kind_range
from actions.models import (
    ActionPartner,
    Dimension,
    Funding,
    Initiative,
    Partner,
    Public,
    TerritoryScale,
    Theme,
)
from federations.models import Department, Federation, Region

# The funder facet lists the most frequent funders of the selection (and the chosen one):
# thousands of communes fund sheets at national scale.
FUNDER_OPTIONS = 50


@dataclass(frozen=True)
class FacetSpec:
    """A facet of the catalogue: its filter's name, widget, and where its options come from.

    ``model`` rows are the options (``value_field`` in the query string); ``path`` leads from
    a sheet to them. Long lists leave out the options that would give nothing
    (``keep_empty=False``); short ones keep them, shown disabled.
    """

    name: str
    widget: str  # "checkbox", "radio" or "select"
    model: type[models.Model] | None = None
    path: str = ""
    value_field: str = "slug"
    keep_empty: bool = True
    many: bool = False  # a sheet can have several values (many-to-many)

    @property
    def kind(self) -> int:
        return KINDS[self.name]


# Beside the results, in this order.
SPECS = (
    FacetSpec("theme", "checkbox", Theme, "themes", keep_empty=False, many=True),
    FacetSpec("public", "checkbox", Public, "publics", many=True),
    FacetSpec("status", "radio", path="status"),  # options: ActionStatus
    FacetSpec(
        "departement", "checkbox", Department, "structure__department", "code", keep_empty=False
    ),
    FacetSpec(
        "region", "select", Region, "structure__department__region", "code", keep_empty=False
    ),
    FacetSpec("federation", "select", Federation, "structure__federation", keep_empty=False),
    FacetSpec("dimension", "select", Dimension, "dimension"),
    FacetSpec("initiative", "select", Initiative, "initiatives", many=True),
    FacetSpec("territoire", "select", TerritoryScale, "territory_scale"),
    FacetSpec("funder", "select", Partner, keep_empty=False, many=True),  # FUNDER_OPTIONS
)
SPECS_BY_NAME = {spec.name: spec for spec in SPECS}
# Facets whose one-value filter has its counts in FacetPair (all but funders: thousands).
PAIRED = frozenset(KINDS) - {"funder"}


@dataclass(frozen=True)
class Choice:
    pk: int
    value: str
    label: str


# Options ------------------------------------------------------------------------------------


def load_choices(using: str) -> dict[str, list[Choice]]:
    """Every option of the facets with a reference table (not funders), in each table's
    order, in one query."""
    branches = []
    for spec in SPECS:
        if spec.model is None or spec.model is Partner:
            continue
        opts = spec.model._meta
        order = ", ".join(
            f"{opts.get_field(name.lstrip('-')).column}{' DESC' if name[0] == '-' else ''}"
            for name in opts.ordering
        )
        value = opts.get_field(spec.value_field).column
        code = ", code" if spec.model is Department else ", ''"
        branches.append(
            f"SELECT {spec.kind} AS kind, {opts.pk.column} AS pk, {value} AS value, name{code},"
            f" ROW_NUMBER() OVER (ORDER BY {order}) AS position FROM {opts.db_table}"
        )
    sql = " UNION ALL ".join(branches) + " ORDER BY kind, position"
    names = {spec.kind: spec.name for spec in SPECS}
    choices: dict[str, list[Choice]] = defaultdict(list)
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        for kind, pk, value, name, code, _ in cursor.fetchall():
            label = f"{name} ({code})" if code else name
            choices[names[kind]].append(Choice(pk, value, label))
    choices["status"] = [
        Choice(STATUS_CODES[value], value, str(label)) for value, label in ActionStatus.choices
    ]
    return choices


def funder_choices(counts: Counter, selected: list[str], using: str) -> list[Choice]:
    """The chosen funders, and the most frequent ones of ``counts`` up to ``FUNDER_OPTIONS``,
    most frequent first."""
    top = [pk for pk, n in counts.most_common() if n][:FUNDER_OPTIONS]
    rows = Partner.objects.using(using).filter(models.Q(pk__in=top) | models.Q(slug__in=selected))
    rows = sorted(rows, key=lambda row: (row.slug not in selected, -counts[row.pk], row.name))
    rows = sorted(rows[:FUNDER_OPTIONS], key=lambda row: (-counts[row.pk], row.name))
    return [Choice(row.pk, row.slug, row.name) for row in rows]


# Counting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Within:
    """What a group of facets counts within, on the facet index.

    Either a one-value filter, whose counts are read from ``FacetPair`` (``filter_key``; 0 for
    the whole catalogue), or the sheets whose keys include one of each tuple of ``any_of``
    (several themes are alternatives, different facets all apply) and, when ``restricted``,
    that pass the filters that are not facets (the search, a structure, years).
    """

    filter_key: int | None = None
    any_of: tuple[tuple[int, ...], ...] = ()
    restricted: bool = False


def count_generic(specs: list[FacetSpec], selection: models.QuerySet) -> dict[str, Counter]:
    """{facet name: {option pk: sheets of ``selection``}} for ``specs``, on any database.

    The facets a sheet has one value of (status, département, dimension...) are counted
    together, grouped by their combinations; each many-to-many facet costs one query, the
    funders one more.
    """
    rows = selection.order_by()
    counts = {spec.name: Counter() for spec in specs}
    single = [spec for spec in specs if not spec.many]
    if single:
        paths = [spec.path for spec in single]
        for *values, n in rows.values_list(*paths).annotate(n=Count("pk")):
            for spec, value in zip(single, values, strict=True):
                if spec.name == "status":
                    value = STATUS_CODES.get(value)
                if value is not None:
                    counts[spec.name][value] += n
    for spec in specs:
        if spec.name == "funder":
            counts[spec.name] = _count_funders(rows)
        elif spec.many:
            grouped = rows.values_list(spec.path).annotate(n=Count("pk"))
            counts[spec.name] = Counter({pk: n for pk, n in grouped if pk is not None})
    return counts


def _count_funders(rows: models.QuerySet) -> Counter:
    """A sheet counts once per funder, whether through funding lines or a partnership."""
    lines = (
        Funding.objects.filter(action__in=rows.values("pk"))
        .order_by()
        .values_list("action_id", "funder_id")
    )
    partnerships = (
        ActionPartner.objects.filter(action__in=rows.values("pk"), role=PartnerRole.FINANCIAL)
        .order_by()
        .values_list("action_id", "partner_id")
    )
    return Counter(partner for _, partner in lines.union(partnerships))


def count_indexed(
    groups: dict[Within, list[FacetSpec]], restriction: tuple[str, list], using: str
) -> dict[Within, Counter]:
    """{group: {key: sheets}} for every group, from the facet index, in one query. Each group
    also counts the key ``TOTAL``: the size of its selection. ``restriction`` is the SQL
    condition on ``entry.action_id`` (and its parameters) of the groups that are
    ``restricted``."""
    branches, params = [], []
    for number, (within, specs) in enumerate(groups.items()):
        kinds = [TOTAL, *(spec.kind for spec in specs)]
        if within.filter_key is not None:
            branches.append(
                f"SELECT {number} AS grp, key, count FROM actions_facetpair"
                " WHERE filter_key = %s AND key >> 32 = ANY(%s) AND count > 0"
            )
            params += [within.filter_key, kinds]
            continue
        conditions = ["entry.keys && %s::bigint[]"] * len(within.any_of)
        params += [list(keys) for keys in within.any_of]
        # Keeping only the facets wanted costs a test per key: worth it for a group of one
        # or two facets (a facet whose own filter is set), not for the selection's facets.
        wanted = ""
        if len(specs) <= 2:
            wanted = " WHERE key >> 32 = ANY(%s)"
        # unnest() in the select list, not as a lateral join: a third cheaper.
        branches.append(
            f"SELECT {number}, key, COUNT(*) FROM (SELECT unnest(entry.keys) AS key"
            f" FROM {'restricted' if within.restricted else 'actions_facetentry'} entry"
            f" WHERE {' AND '.join(conditions) or 'TRUE'}) AS keys{wanted} GROUP BY key"
        )
        if wanted:
            params.append(kinds)
    sql = " UNION ALL ".join(branches)
    if any(within.restricted for within in groups):
        # The entries that pass the other filters (a search: thousands of ids), found once.
        sql = (
            "WITH restricted AS MATERIALIZED (SELECT entry.keys FROM actions_facetentry entry"
            f" WHERE {restriction[0]}) {sql}"
        )
        params = [*restriction[1], *params]
    within_of = list(groups)
    counts = {within: Counter() for within in groups}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        for number, key, n in cursor.fetchall():
            counts[within_of[number]][key] = n
    return counts


def per_facet(counts: Counter, spec: FacetSpec) -> Counter:
    """The counts of one facet's options (by pk) among a group's keys."""
    low, high = kind_range(spec.name)
    return Counter({key - low: n for key, n in counts.items() if low <= key < high})


def value_keys(values: dict[str, list[str]], choices: dict[str, list[Choice]], using: str):
    """{facet name: the keys of its chosen values} (a value that matches nothing has none)."""
    keys = {}
    for name, chosen in values.items():
        if name == "funder":
            pks = Partner.objects.using(using).filter(slug__in=chosen).values_list("pk", flat=True)
        else:
            pks = [choice.pk for choice in choices[name] if choice.value in chosen]
        keys[name] = tuple(facet_key(name, pk) for pk in pks)
    return keys
