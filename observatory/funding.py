"""The funding that the sheets of a selection declare, by group of funders: totals and medians.

The kinds of partner (``actions.enums.PartnerKind``) are grouped as the federations and the Caf
report funding (``actions.facet_keys.FUNDER_GROUPS``, which the facet index stores): the Caf;
the State; the local authorities (communes and intercommunalities, départements, régions); the
others (associations, companies and foundations, other partners). Each kind is in exactly one
group (a test checks it), so the groups' totals add up to the whole.

Amounts are the funding lines (``Funding``): a sheet's amount from a group is the sum of its
lines from funders of that group. A group's median is the median of those amounts over the
sheets that the group funds (a sheet without a line of the group is not counted as a zero);
the whole's median is that of the funded sheets' totals. Medians are the mean of the two middle
values for an even number of sheets, rounded to the cent.

One query. On PostgreSQL, each entry of the facet index holds its sheet's funding per group, in
cents (actions/sql/facet_index_v2.sql): sums, counts and medians (``percentile_cont``) are
taken over the selection's entries, found as the facet counting found them, without reading a
funding line (the whole catalogue: its totals in one row, its medians from the entries counted
per amount, without a sort). On
other databases (SQLite has no percentile function), the selection's lines are grouped by
sheet, one conditional sum per group, and the rows (one per funded sheet) summed and ranked in
Python.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from actions import facet_keys
from actions.enums import PartnerKind
from actions.models import FacetEntry, FacetFundingAmount, FacetFundingTotal, Funding
from catalogue.facets.counting import Selection
from catalogue.facets.indexed import Entries

CENT = Decimal("0.01")
WHOLE = "total"  # all the groups


@dataclass(frozen=True)
class FunderGroup:
    key: str  # also its column in the facet index: funding_<key>
    label: Promise
    kinds: tuple[PartnerKind, ...]


LABELS = {
    "caf": _("Caf"),
    "etat": _("État"),
    "collectivites": _("Collectivités territoriales"),
    "autres": _("Autres financeurs"),
}
FUNDER_GROUPS = tuple(
    FunderGroup(key, LABELS[key], kinds) for key, kinds in facet_keys.FUNDER_GROUPS.items()
)


@dataclass(frozen=True)
class Amounts:
    """What a group of funders (or all of them) gives: the total, the median per sheet funded
    (None: no sheet) and the number of sheets funded."""

    total: Decimal
    median: Decimal | None
    sheets: int


@dataclass(frozen=True)
class FundingFigures:
    groups: dict[str, Amounts]  # by group key, in the order of FUNDER_GROUPS
    whole: Amounts


def round_to_cent(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def funding_figures(selection: Selection, *, entries: Entries | None) -> FundingFigures:
    """The funding declared by the sheets of ``selection``, by group of funders. ``entries``:
    the selection's entries in the facet index, as the counting found them (``FacetCounts``)."""
    sheets = selection.narrowed(())
    if facet_keys.index_available(sheets.db):
        amounts = _from_index(selection, entries)
    else:
        amounts = _from_lines(sheets)
    whole = amounts.pop(WHOLE)
    return FundingFigures(groups=amounts, whole=whole)


def _from_index(selection: Selection, entries: Entries | None) -> dict[str, Amounts]:
    if entries is None:  # the counting did not read the index: the sheets, then
        sql, params = selection.narrowed(()).order_by().values("pk").query.sql_with_params()
        condition = f"entry.action_id IN ({sql})"
    else:
        condition, params = entries.condition, entries.params
    keys = [group.key for group in FUNDER_GROUPS] + [WHOLE]
    table = FacetEntry._meta.db_table
    if selection.everything:
        # The whole catalogue: its totals are one row of the index, each median the amount
        # (or the mean of the two) at the middle of the group's amounts counted in order.
        running = (
            "SELECT funder_group, cents, sum(sheets) OVER (PARTITION BY funder_group"
            f" ORDER BY cents) AS upto FROM {FacetFundingAmount._meta.db_table} WHERE sheets > 0"
        )
        measures = ", ".join(
            f"{key}_cents, (SELECT (min(cents) FILTER (WHERE upto >= ({key}_sheets + 1) / 2)"
            f" + min(cents) FILTER (WHERE upto >= {key}_sheets / 2 + 1)) / 2.0"
            f" FROM running WHERE funder_group = '{key}'), {key}_sheets"
            for key in keys
        )
        sql = (
            f"WITH running AS MATERIALIZED ({running})"
            f" SELECT {measures} FROM {FacetFundingTotal._meta.db_table}"
        )
        params = []
    else:
        measures = ", ".join(
            f"sum(funding_{key}), percentile_cont(0.5) WITHIN GROUP (ORDER BY funding_{key}),"
            f" count(funding_{key})"
            for key in keys
        )
        sql = f"SELECT {measures} FROM {table} entry WHERE {condition}"
    with connections[selection.sheets.db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() or (0, None, 0) * len(keys)  # no total row: nothing funded
    amounts = {}
    for index, key in enumerate(keys):
        total, median, funded = row[3 * index : 3 * index + 3]
        amounts[key] = Amounts(
            total=round_to_cent(Decimal(total or 0) / 100),
            median=None if median is None else round_to_cent(Decimal(str(median)) / 100),
            sheets=funded,
        )
    return amounts


def _from_lines(sheets: QuerySet) -> dict[str, Amounts]:
    keys = [group.key for group in FUNDER_GROUPS] + [WHOLE]
    per_sheet = (
        Funding.objects.filter(action__in=sheets.order_by().values("pk"))
        .order_by()
        .values("action")
        .annotate(
            **{
                group.key: Sum("amount", filter=Q(funder__kind__in=group.kinds))
                for group in FUNDER_GROUPS
            },
            **{WHOLE: Sum("amount")},
        )
        .values_list(*keys)
    )
    columns = list(zip(*per_sheet, strict=True)) or [()] * len(keys)
    return {key: _amounts(column) for key, column in zip(keys, columns, strict=True)}


def _amounts(values) -> Amounts:
    funded = sorted(value for value in values if value is not None)
    return Amounts(
        total=round_to_cent(sum(funded, Decimal(0))),
        median=round_to_cent(statistics.median(funded)) if funded else None,
        sheets=len(funded),
    )
