"""The figures of the observatory as data: one ``Dataset`` feeds a chart (or the map), the HTML
table next to it and its CSV download, so the three can never disagree.

A dataset is a small table: one label column (a theme, a year, a département) and one or more
value columns (a count, or an amount in euros, e.g. the total and the median of the funding
declared per kind of funder). ``None`` is "no data", which is not zero.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from actions.formatting import format_euros

Number = int | Decimal


class Unit(Enum):
    COUNT = "count"
    EUROS = "euros"


class ChartKind(Enum):
    """How ``charts.render`` draws a dataset: bars for categories, columns for a series."""

    BARS = "bars"
    COLUMNS = "columns"


@dataclass(frozen=True)
class Column:
    header: str
    unit: Unit = Unit.COUNT

    def format(self, value: Number | None) -> str:
        if value is None:
            return _("pas de données")
        if self.unit is Unit.EUROS:
            return format_euros(value)
        return number_format(value, force_grouping=True)


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Number | None, ...]
    # A stable identifier: the département code for the map, a slug or a year otherwise.
    key: str = ""
    href: str | None = None


@dataclass(frozen=True)
class Dataset:
    # Identifies the figure in the page (element ids) and names its CSV file.
    slug: str
    title: str
    label_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    description: str = ""
    chart: ChartKind = ChartKind.BARS
    # The column that the chart (or the map) draws; the table and the CSV have them all.
    charted: int = 0

    def __post_init__(self):
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", self.slug):
            raise ValueError(f"{self.slug!r}: a slug names element ids and a file")
        if not 0 <= self.charted < len(self.columns):
            raise ValueError(f"{self.slug}: no column {self.charted} to chart")
        for row in self.rows:
            if len(row.values) != len(self.columns):
                raise ValueError(f"{self.slug}: {row.label!r} has not one value per column")

    @property
    def charted_column(self) -> Column:
        return self.columns[self.charted]

    def charted_value(self, row: Row) -> Number | None:
        return row.values[self.charted]

    def formatted(self, row: Row) -> list[str]:
        """The row's values as the page shows them (grouped digits, euros)."""
        return [
            column.format(value) for column, value in zip(self.columns, row.values, strict=True)
        ]

    def table(self) -> list[tuple[Row, list[str]]]:
        """Each row with its formatted values, for the HTML table."""
        return [(row, self.formatted(row)) for row in self.rows]

    def charted_text(self, row: Row) -> str:
        return self.charted_column.format(self.charted_value(row))

    def summary(self, row: Row) -> str:
        """ "Nord (59) — fiches publiées : 12": what a chart says of a row in words."""
        return _("%(label)s — %(header)s : %(value)s") % {
            "label": row.label,
            "header": self.charted_column.header,
            "value": self.charted_text(row),
        }
