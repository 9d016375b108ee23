"""The funding that the sheets of a selection declare, by kind of funder: totals and medians.

The kinds of partner (``actions.enums.PartnerKind``) are grouped as the federations and the Caf
report funding: the Caf; the State; the local authorities (communes and intercommunalities,
départements, régions); the others (associations, companies and foundations, other partners).
Each kind is in exactly one group (``FUNDER_GROUPS``; a test checks it), so the groups' totals
add up to the whole.

Amounts are the funding lines (``Funding``): a sheet's amount from a group is the sum of its
lines from funders of that group. A group's median is the median of those amounts over the
sheets that the group funds (a sheet without a line of the group is not counted as a zero);
the whole's median is that of the funded sheets' totals. Medians are the mean of the two middle
values for an even number of sheets, rounded to the cent.

One query: the selection's lines grouped by sheet, one conditional sum per group. On PostgreSQL
the same statement sums, counts and takes the medians (``percentile_cont``) over those rows; on
other databases (SQLite has no percentile function) the rows, one per funded sheet, are read
and summed and ranked in Python.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from actions.enums import PartnerKind
from actions.models import Funding

CENT = Decimal("0.01")
WHOLE = "whole"


@dataclass(frozen=True)
class FunderGroup:
    key: str
    label: Promise
    kinds: tuple[PartnerKind, ...]


FUNDER_GROUPS = (
    FunderGroup("caf", _("Caf"), (PartnerKind.CAF,)),
    FunderGroup("etat", _("État"), (PartnerKind.ETAT,)),
    FunderGroup(
        "collectivites",
        _("Collectivités territoriales"),
        (PartnerKind.COMMUNE, PartnerKind.DEPARTEMENT, PartnerKind.REGION),
    ),
    FunderGroup(
        "autres",
        _("Autres financeurs"),
        (PartnerKind.ASSOCIATION, PartnerKind.COMPANY, PartnerKind.OTHER),
    ),
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


class Median(Aggregate):
    """PostgreSQL's continuous median."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def funding_figures(sheets: QuerySet) -> FundingFigures:
    """The funding declared by ``sheets`` (a QuerySet of sheets), by group of funders."""
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
    )
    if connections[per_sheet.db].vendor == "postgresql":
        row = per_sheet.aggregate(
            **{
                f"{key}_{measure}": function(key)
                for key in keys
                for measure, function in (("total", Sum), ("median", Median), ("sheets", Count))
            }
        )
        amounts = {
            key: Amounts(
                total=cents(row[f"{key}_total"] or 0),
                median=None if row[f"{key}_median"] is None else cents(row[f"{key}_median"]),
                sheets=row[f"{key}_sheets"],
            )
            for key in keys
        }
    else:
        columns = list(zip(*per_sheet.values_list(*keys), strict=True)) or [()] * len(keys)
        amounts = {key: _amounts(column) for key, column in zip(keys, columns, strict=True)}
    whole = amounts.pop(WHOLE)
    return FundingFigures(groups=amounts, whole=whole)


def _amounts(values) -> Amounts:
    funded = sorted(value for value in values if value is not None)
    return Amounts(
        total=cents(sum(funded, Decimal(0))),
        median=cents(statistics.median(funded)) if funded else None,
        sheets=len(funded),
    )
