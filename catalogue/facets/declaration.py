"""What a facet is made of: where its options come from (``Reference``, ``Choices``,
``MostFrequent``, ``YesNo``, ``Values``) and how a counted row reaches its values (``Path``,
``FundedBy``). A ``Facet`` puts them together with its parameter, label and widget; a ``Tally``
is a value that is counted without being a facet. catalogue/facets/declared.py declares the
catalogue's facets and tallies with them, and the structure directory's facets.

The counted rows are sheets, unless a ``Path`` says otherwise (``root``): the directory's
facets count structures.
"""

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, Value, Window
from django.db.models.expressions import Combinable
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from actions.facet_keys import KINDS, facet_key, kind_range, paired
from actions.models import Action
from federations.text import french_ordering, french_sort_key

# Well-formed values of the query string.
SLUG = re.compile(r"^[-\w]+\Z", re.ASCII)
DEPARTMENT_CODE = re.compile(r"^(?:[0-9]{2,3}|2[AB])\Z")
REGION_CODE = re.compile(r"^[0-9]{2,3}\Z")

CHECKBOX, RADIO, SELECT = "checkbox", "radio", "select"


@dataclass(frozen=True)
class Choice:
    """One option of a facet: ``id`` identifies it in the counts (a row's primary key, a status
    code), ``value`` in the query string."""

    id: Hashable
    value: str
    label: str


# Where the options come from -------------------------------------------------------------------
#
# Every source answers the same questions: is a value well-formed (``valid``), which option does
# a value counted by grouped queries stand for (``id_of``), which options do chosen values name
# (``chosen_ids``), which options are listed (``listed``), and which of some well-formed values
# name an option at all (``known``; ``reached(values)``: those the counted rows take, for
# options that are the rows' own values). ``table`` is what ``Reference.table_rows`` read: the
# options of every facet listing a reference table, read with the others in one query.


@dataclass(frozen=True)
class Reference:
    """Every row of a reference table is an option, in the table's ``Meta.ordering`` (names in
    French order: ``french_ordering``).

    ``value_field`` is the option's value in the query string (well-formed when it matches
    ``pattern``); ``label`` the expression shown (the row's name by default).
    """

    data_labels = True  # names from the data: French on every page

    model: type[models.Model]
    value_field: str = "slug"
    label: Combinable = field(default_factory=lambda: F("name"))
    pattern: re.Pattern = SLUG

    def valid(self, value: str) -> bool:
        return bool(self.pattern.match(value))

    def id_of(self, counted):
        return counted

    def table_rows(self, position: int) -> models.QuerySet:
        """(``position``, pk, value, label, rank) of every row, for the one query that reads all
        the reference tables (``load_tables``)."""
        return (
            self.model._default_manager.order_by()
            .annotate(
                facet_position=Value(position),
                option_label=self.label,
                option_rank=Window(RowNumber(), order_by=french_ordering(self.model)),
            )
            .values_list("facet_position", "pk", self.value_field, "option_label", "option_rank")
        )

    def chosen_ids(self, values, table, using) -> list:
        return [choice.id for choice in table if choice.value in values]

    def listed(self, table, counts, selected, using) -> list[Choice]:
        return table

    def known(self, values, table, using, reached) -> set[str]:
        return {choice.value for choice in table} & set(values)


@dataclass(frozen=True)
class Choices:
    """The options of a ``TextChoices`` field, in its order. ``codes`` gives each value its id
    in the facet index (actions/facet_keys.py); without it, a value is its own id."""

    data_labels = False  # labels translated with the page

    choices: type[models.TextChoices]
    codes: Mapping[str, int] | None = None
    value_field = None  # the path reaches the value itself

    def valid(self, value: str) -> bool:
        return value in self.choices.values

    def id_of(self, counted):
        return self.codes.get(counted) if self.codes is not None else counted

    def chosen_ids(self, values, table, using) -> list:
        return [self.id_of(value) for value in values]

    def listed(self, table, counts, selected, using) -> list[Choice]:
        return [
            Choice(self.id_of(value), value, str(label)) for value, label in self.choices.choices
        ]

    def known(self, values, table, using, reached) -> set[str]:
        return {value for value in values if self.valid(value)}


@dataclass(frozen=True)
class MostFrequent:
    """Options from a table too long to list (thousands of communes fund sheets): the ``limit``
    most frequent options of the selection, most frequent first, and the chosen ones."""

    data_labels = True  # names from the data: French on every page

    model: type[models.Model]
    limit: int
    value_field: str = "slug"
    label_field: str = "name"
    pattern: re.Pattern = SLUG
    # The QuerySet method giving the rows a public page may name (``Partner.objects.public()``:
    # a partner typed in a draft is not named, even when its slug is asked for).
    public_rows: str = ""

    def valid(self, value: str) -> bool:
        return bool(self.pattern.match(value))

    def id_of(self, counted):
        return counted

    def _rows(self, using):
        rows = self.model._default_manager.using(using)
        return getattr(rows, self.public_rows)() if self.public_rows else rows

    def chosen_ids(self, values, table, using) -> list:
        rows = self._rows(using)
        return list(rows.filter(**{f"{self.value_field}__in": values}).values_list("pk", flat=True))

    def listed(self, table, counts: Counter, selected, using) -> list[Choice]:
        top = [pk for pk, n in counts.most_common(self.limit) if n]
        rows = list(
            self._rows(using)
            .filter(models.Q(pk__in=top) | models.Q(**{f"{self.value_field}__in": selected}))
            .values_list("pk", self.value_field, self.label_field)
        )
        # The chosen ones first when cutting at the limit, then in the order shown.
        rows.sort(
            key=lambda row: (row[1] not in selected, -counts[row[0]], french_sort_key(row[2]))
        )
        rows = sorted(
            rows[: self.limit], key=lambda row: (-counts[row[0]], french_sort_key(row[2]))
        )
        return [Choice(*row) for row in rows]

    def known(self, values, table, using, reached) -> set[str]:
        rows = self._rows(using).filter(**{f"{self.value_field}__in": values})
        return set(rows.values_list(self.value_field, flat=True))


@dataclass(frozen=True)
class YesNo:
    """The two answers of a yes/no field (a nullable ``BooleanField``: the rows without an
    answer are under neither option). Their values are "1" and "0", which the field reads as
    True and False when a query filters on them."""

    data_labels = False  # labels translated with the page

    yes: str
    no: str
    value_field = None  # the path reaches the value itself

    def valid(self, value: str) -> bool:
        return value in ("1", "0")

    def id_of(self, counted):
        return {True: "1", False: "0"}.get(counted)

    def chosen_ids(self, values, table, using) -> list:
        return list(values)

    def listed(self, table, counts, selected, using) -> list[Choice]:
        return [Choice("1", "1", str(self.yes)), Choice("0", "0", str(self.no))]

    def known(self, values, table, using, reached) -> set[str]:
        return {value for value in values if self.valid(value)}


@dataclass(frozen=True)
class Values:
    """The values a short text column takes among the counted rows (a management mode written
    as the structure directory writes it): each value is an option, its own label, in
    French order; blank values are no option. A value longer
    than the column (``max_length``) is not well-formed."""

    data_labels = True  # names from the data: French on every page

    max_length: int
    value_field = None  # the path reaches the value itself

    def valid(self, value: str) -> bool:
        return 0 < len(value) <= self.max_length

    def id_of(self, counted):
        return counted or None

    def chosen_ids(self, values, table, using) -> list:
        return list(values)

    def listed(self, table, counts: Counter, selected, using) -> list[Choice]:
        values = {value for value, n in counts.items() if n} | set(selected)
        return [Choice(value, value, value) for value in sorted(values, key=french_sort_key)]

    def known(self, values, table, using, reached) -> set[str]:
        return reached(values)


# How a counted row reaches its values ----------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """The values are reached through a field path from a counted row, a sheet unless ``root``
    is another model: a column (``status``), a chain of foreign keys (``structure__department``)
    or a many-to-many field of the row (``themes``): then a row can have several values
    (``many``, read from the model), and its QuerySet narrows them (``with_any``, which sheets
    have). A longer path through a many-valued relation is refused."""

    path: str
    root: type[models.Model] = Action
    many: bool = field(init=False)  # a row can have several values

    def __post_init__(self):
        model, fields = self.root, []
        for name in self.path.split("__"):
            fields.append(model._meta.get_field(name))
            model = fields[-1].related_model
        if any(f.many_to_many or f.one_to_many for f in fields[1:]) or fields[0].one_to_many:
            raise ValueError(f"path {self.path}: only a many-to-many field may be many-valued")
        many = fields[0].many_to_many
        if many and not hasattr(self.root._default_manager, "with_any"):
            raise ValueError(f"path {self.path}: {self.root.__name__} has no with_any to narrow")
        object.__setattr__(self, "many", many)

    def narrow(self, queryset, value_field: str | None, values: list[str]):
        if self.many:
            return queryset.with_any(self.path, values, value_field=value_field)
        lookup = f"{self.path}__{value_field}" if value_field else self.path
        return queryset.filter(**{f"{lookup}__in": values})

    def count(self, rows) -> Counter:
        """{value: rows of ``rows``} for a many-valued path, in one query. (Single-valued
        paths are counted together by the grouped backend.)"""
        # distinct: a sheet linked twice to one value (a partner in two roles) counts once.
        grouped = rows.values_list(self.path).annotate(n=Count("pk", distinct=True))
        return Counter({value: n for value, n in grouped if value is not None})


@dataclass(frozen=True)
class FundedBy:
    """The partners that fund a sheet: through a funding line or a financial partnership (the
    rule of ``ActionQuerySet.funded_by``). A partner counts once per sheet."""

    many = True
    root = Action

    def narrow(self, queryset, value_field: str, values: list[str]):
        return queryset.funded_by(values)

    def count(self, rows) -> Counter:
        return Counter(funder for _, funder in rows.funder_links())


# The facet -------------------------------------------------------------------------------------


class IndexKey:
    """Where the facet index (PostgreSQL) counts a declaration by its ``key`` kind."""

    def check_key(self, what: str) -> None:
        """Refuse a ``key`` kind the index does not have, or one on rows other than sheets."""
        if self.key is None:
            return
        if self.key not in KINDS:
            raise ValueError(f"{what} {self.name}: the facet index has no key kind {self.key!r}")
        if self.reach.root is not Action:
            raise ValueError(f"{what} {self.name}: the facet index counts sheets only")

    @property
    def index_kind(self) -> int:
        return KINDS[self.key]

    def index_key(self, option_id: int) -> int:
        return facet_key(self.key, option_id)

    @property
    def index_range(self) -> tuple[int, int]:
        return kind_range(self.key)


@dataclass(frozen=True)
class Facet(IndexKey):
    """A facet of the catalogue, declared once: its filter, its options and their counts, the
    chips and the sidebar all follow from it (see the package docstring).

    ``name`` is its query-string parameter; ``widget`` how the sidebar shows it (a checkbox
    list lets several values be chosen, as alternatives; a radio list or a select one).
    ``key`` is the kind of its keys in the facet index (actions/facet_keys.py): None for a
    facet the index does not cover, which the grouped backend then counts on every database.
    The index holds sheets: a facet counting other rows (``reach.root``) has no key.
    Every option is listed, those that would give nothing too (shown as such, still
    choosable), but for the sources that list only what the selection has (``MostFrequent``,
    ``Values``). ``all_label`` is the option that leaves the facet unset, agreeing with the
    gender of its label ("Toutes" for "Région").
    """

    name: str
    label: str
    widget: str
    options: Reference | Choices | MostFrequent | YesNo | Values
    reach: Path | FundedBy
    key: str | None = None
    all_label: str = _("Tous")

    def __post_init__(self):
        if self.widget not in (CHECKBOX, RADIO, SELECT):
            raise ValueError(f"facet {self.name}: unknown widget {self.widget!r}")
        self.check_key("facet")

    @property
    def multiple(self) -> bool:
        """Whether several values may be chosen at once (alternatives)."""
        return self.widget == CHECKBOX

    def narrow(self, queryset, values: Iterable[str]):
        """``queryset`` restricted to the rows with any of ``values``."""
        return self.reach.narrow(queryset, self.options.value_field, list(values))

    def option_id(self, counted):
        """The option that a value counted by grouped queries stands for."""
        return self.options.id_of(counted)

    def known(self, values: list[str], *, table: list[Choice], rows) -> set[str]:
        """Those of ``values`` (well-formed) that name one of its options; ``rows``: every row
        the facet counts (for options that are the rows' own values)."""
        if not values:
            return set()

        def reached(values):
            path = self.reach.path
            return set(rows.filter(**{f"{path}__in": values}).values_list(path, flat=True))

        return self.options.known(values, table, rows.db, reached)

    @property
    def paired(self) -> bool:
        """Whether the index counts the sheets of each of its values with every other key
        (``FacetPair``), so that a one-value filter on this facet is read, not counted."""
        return self.key is not None and paired(self.key)


@dataclass(frozen=True)
class Tally(IndexKey):
    """A value of the sheets that is counted within a selection without being a facet (no
    filter, no sidebar, no options listed): the figures of the observatory (years, structures).
    ``count_facets(selection, figures=...)`` counts it with the facets: on the facet index when
    it has a ``key`` kind, by grouped queries otherwise. Its counts are by value (a year, a
    structure's id)."""

    name: str
    reach: Path
    key: str | None = None

    def __post_init__(self):
        self.check_key("tally")

    def option_id(self, counted):
        return counted
