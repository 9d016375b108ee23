"""The public filters and sorts of the catalogue (``ActionFilterSet``) and of the structure
directory (``StructureFilterSet``): validation, selection, order, and the chips of the active
filters.

Every filter lives in the query string (``/actions/?theme=culture&departement=94``) so a filtered
view can be shared and bookmarked. Filter values are slugs and INSEE codes, validated by form
only (a value that matches nothing simply gives no result), because the options and their
counts are only known once the other filters have been applied: that is faceting.

The facets' filters follow from their declarations (catalogue/facets/declared.py); the other
filters (search, structure, years, sort) are declared here. The facets are counted by
catalogue/facets/counting.py, from the ``selection`` a filter set describes. What both filter
sets share (the facets' filters, the selection, the chips) is ``FacetedFilterSet``.
"""

from dataclasses import dataclass
from functools import cached_property

import django_filters
from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from actions.models import Action
from federations.models import Structure
from federations.text import in_french

from .facets import declared
from .facets.counting import (
    CountedFacet,
    FacetCounts,
    Selection,
    count_facets,
    load_tables,
    sheets_unit,
)
from .facets.declaration import DEPARTMENT_CODE, SLUG, Facet, Reference, Tally
from .search import by_relevance, search, search_structures, window_size


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"
    DEPARTMENT = "departement"
    CHOICES = [
        (RELEVANCE, _("Pertinence")),
        (NEWEST, _("Les plus récentes")),
        (TITLE, _("Titre")),
        (DEPARTMENT, _("Département")),
    ]


def _normalize_value(value: str) -> str:
    value = value.strip()
    return value.upper() if DEPARTMENT_CODE.match(value.upper()) else value


def _matches_slug(value: str) -> bool:
    return bool(SLUG.match(value))


class ValueListField(forms.MultipleChoiceField):
    """Several values of one parameter (``theme=a&theme=b``). Malformed values are dropped,
    the others kept: one bad value in a shared link does not cancel the whole filter."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, valid=_matches_slug, **kwargs):
        self.valid = valid
        super().__init__(**kwargs)

    def to_python(self, value):
        values = [_normalize_value(v) for v in super().to_python(value)]
        return list(dict.fromkeys(v for v in values if self.valid_value(v)))

    def valid_value(self, value):
        return self.valid(value)


def is_known_structure(value: str) -> bool:
    return _matches_slug(value) and Structure.objects.filter(slug=value).exists()


class ValueField(forms.ChoiceField):
    """One well-formed value (a slug, a code, a choice)."""

    def __init__(self, *, valid=_matches_slug, **kwargs):
        self.valid = valid
        super().__init__(**kwargs)

    def to_python(self, value):
        return _normalize_value(super().to_python(value))

    def valid_value(self, value):
        return self.valid(value)


class FacetFilter(django_filters.Filter):
    """The filter of a declared facet: one value, or several (alternatives) for a checkbox
    facet, well-formed as its options say; the sheets are narrowed by the facet.

    The options of a reference table are already read (the filter set's ``tables``), so the
    sheets are narrowed by the ids of the chosen rows, not by their slugs or codes: a join to
    the table on a slug hides the value from the planner, which then expects a few dozen sheets
    where there are thousands and picks a plan for that (two themes, a public and a status:
    160 ms at 100,000 sheets to pick a page's ids, 1 ms on ids; docs/benchmarks.md)."""

    def __init__(self, facet: Facet):
        self.facet = facet
        self.field_class = ValueListField if facet.multiple else ValueField
        super().__init__(label=facet.label, valid=facet.options.valid)

    def filter(self, qs, value):
        if value in (None, "", []):
            return qs
        values = value if isinstance(value, list) else [value]
        if isinstance(self.facet.options, Reference):
            table = self.parent.tables.get(self.facet.name, [])
            ids = self.facet.options.chosen_ids(values, table, qs.db)
            return self.facet.reach.narrow(qs, "pk", ids)
        return self.facet.narrow(qs, values)


class ValueFilter(django_filters.Filter):
    field_class = ValueField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1950)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


SHOWN_VALUE_CHARS = 60  # of an ignored value, in its notice


@dataclass
class Ignored:
    """A filter value given but ignored, and why (shown to the person: "Filtre ignoré :
    Thèmes « xyz » : valeur inconnue")."""

    name: str
    label: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("Filtre ignoré : %(label)s « %(value)s » : %(reason)s") % {
            "label": self.label,
            "value": Truncator(self.value).chars(SHOWN_VALUE_CHARS),
            "reason": self.reason,
        }


@dataclass
class Chip:
    """An active filter, shown with a link that removes it."""

    label: str
    value: str
    remove_url: str


class FacetedFilterSet(django_filters.FilterSet):
    """Filters made of a search (``q``, declared by each filter set with its own label), the
    declared facets and other filters, all in the query string; ``qs`` is the sorted
    selection, ``selection`` what its facets count within, ``counts`` the facets counted; with
    ``figures`` (tallies, e.g. ``declared.TALLIES``), ``counts`` also has what the selection
    is made of (see ``count_facets``).

    A subclass declares ``q`` (with ``method="filter_search"``) and its other filters, and
    says which facets it has (``declared_facets_default``, read when the filter set is made),
    how it searches (``search``), how it sorts (``order``), the chips of its other filters
    (``other_chips``) and what its counts count (``unit``).
    """

    unit = staticmethod(sheets_unit)

    def __init__(self, data=None, queryset=None, *, facets=None, figures=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.declared_facets: tuple[Facet, ...] = tuple(
            self.declared_facets_default() if facets is None else facets
        )
        self.figures: tuple[Tally, ...] | None = None if figures is None else tuple(figures)
        # The search first, then the facets in their order, then the other filters.
        filters = {"q": self.filters.pop("q")}
        for facet in self.declared_facets:
            filters[facet.name] = FacetFilter(facet)
            filters[facet.name].model, filters[facet.name].parent = self.queryset.model, self
        self.filters = {**filters, **self.filters}

    def declared_facets_default(self) -> tuple[Facet, ...]:
        """The facets when none are given (each subclass: its ``declared`` tuple)."""
        raise NotImplementedError

    def search(self, queryset, text: str):
        """``queryset`` narrowed to what matches ``text`` (each subclass: its search)."""
        raise NotImplementedError

    def order(self, queryset):
        """``queryset`` in the order the ``sort`` parameter asks (each subclass: its sorts)."""
        raise NotImplementedError

    def other_chips(self) -> list["Chip"]:
        """The chips of the filters that are neither the search nor a facet."""
        return []

    def filter_search(self, queryset, name, value):
        return self.search(queryset, value)

    def filter_nothing(self, queryset, name, value):
        return queryset

    # Filtering and sorting ------------------------------------------------------------------

    @cached_property
    def values(self) -> dict:
        """The filter values that apply. The others are ignored, the rest of the selection
        applies, and they are reported (``ignored``): for every filter, a value that is not
        well-formed; for a facet, a value that names none of its options too (an unknown
        theme does not empty the selection, as an unknown région does not)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        values = dict(self.form.cleaned_data)
        for facet in self.declared_facets:
            given = values.get(facet.name)
            given = [] if given in (None, "") else given if isinstance(given, list) else [given]
            table = self.tables.get(facet.name, []) if given else []
            known = facet.known(given, table=table, rows=self.queryset)
            kept = [value for value in given if value in known]
            values[facet.name] = kept if facet.multiple else (kept[0] if kept else "")
        return values

    @cached_property
    def tables(self) -> dict:
        """The options of the facets from a reference table, read once (``load_tables``) for
        checking the values given and for counting."""
        return load_tables(self.declared_facets, self.queryset.db)

    @cached_property
    def ignored(self) -> list["Ignored"]:
        """The values given but ignored (see ``values``), in the order of the filters."""
        if not self.is_bound:
            return []
        values, ignored = self.values, []
        for name, filter_ in self.filters.items():
            if name in self.form.errors and not isinstance(filter_, FacetFilter):
                reason = " ".join(self.form.errors[name])
                ignored.append(Ignored(name, str(filter_.label), self.data.get(name), reason))
                continue
            if not isinstance(filter_, FacetFilter):
                continue
            kept = values[name] if isinstance(values[name], list) else [values[name]]
            for value in dict.fromkeys(self.data.getlist(name)):
                if value.strip() and _normalize_value(value) not in kept:
                    ignored.append(
                        Ignored(name, str(filter_.label), value, str(_("valeur inconnue")))
                    )
        return ignored

    def select(self, queryset, *, without=()):
        """``queryset`` restricted by every filter but those named in ``without`` (and
        unsorted)."""
        for name, value in self.values.items():
            if name != "sort" and name not in without:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        return self.order(self.select(queryset))

    @property
    def narrows(self) -> bool:
        """Whether any filter applies (the sort aside): else the selection is every row."""
        return any(
            value not in (None, "", []) for name, value in self.values.items() if name != "sort"
        )

    @property
    def searching(self) -> bool:
        return bool(self.values.get("q"))

    # The selection, for the facets' counts ----------------------------------------------------

    @cached_property
    def selection(self) -> Selection:
        """What the facets count within (see catalogue/facets/counting.py)."""
        chosen = {}
        for facet in self.declared_facets:
            value = self.values.get(facet.name)
            if value in (None, "", []):
                chosen[facet.name] = []
            else:
                chosen[facet.name] = value if isinstance(value, list) else [str(value)]
        others = any(
            value not in (None, "", []) and name != "sort" and name not in chosen
            for name, value in self.values.items()
        )
        return Selection(
            sheets=self.queryset,
            facets=self.declared_facets,
            chosen=chosen,
            narrowed=lambda without: self.select(self.queryset, without=without),
            others=others,
            unit=self.unit,
            tables=self.tables,
        )

    @cached_property
    def counts(self) -> FacetCounts:
        return count_facets(self.selection, figures=self.figures)

    @property
    def facets(self) -> list[CountedFacet]:
        """The facets beside the results, with their options counted."""
        return self.counts.facets

    @property
    def result_count(self) -> int | None:
        """The number of rows of the selection, when the facets counted it (facet index on
        PostgreSQL; grouped queries with ``figures``): the paginator need not count again."""
        return self.counts.total

    # Active filters ---------------------------------------------------------------------------

    @cached_property
    def chips(self) -> list["Chip"]:
        chips = []
        if self.searching:
            chips.append(Chip(str(_("Recherche")), f"« {self.values['q']} »", self._without("q")))
        for facet in self.facets:
            for option in facet.selected:
                chips.append(
                    Chip(str(facet.label), option.label, self._without(facet.name, option.value))
                )
        return chips + self.other_chips()

    def _without(self, name: str, value: str | None = None) -> str:
        """The query string of the current view without one filter (or one of its values)."""
        data = self.data.copy()
        data.pop("page", None)
        if value is None:
            data.pop(name, None)
        else:
            data.setlist(name, [v for v in data.getlist(name) if _normalize_value(v) != value])
        query = data.urlencode()
        return f"?{query}" if query else "?"

    @property
    def query_string(self) -> str:
        """The current filters, for links that keep them (CSV export)."""
        data = self.data.copy()
        data.pop("page", None)
        return data.urlencode()


class ActionFilterSet(FacetedFilterSet):
    """The catalogue's filters. Any view (the catalogue, the observatory, the API) uses them
    the same way: ``ActionFilterSet(data=request.GET, queryset=Action.objects.catalogue())``,
    then ``qs`` is the sorted selection, ``selection`` what it counts within and ``counts`` its
    facets counted (``counts.total``: its size, on PostgreSQL). ``facets`` defaults to the
    declared ones (``declared.FACETS``, read when the filter set is made); ``figures`` as
    ``FacetedFilterSet``'s (the observatory's)."""

    q = django_filters.CharFilter(
        label=_("Rechercher une action"),
        method="filter_search",
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("parentalité, séjour seniors, Caf…")}
        ),
    )
    # An unknown structure is ignored and reported like any filter's unknown value (``values``).
    structure = ValueFilter(
        field_name="structure__slug",
        label=_("Structure"),
        valid=is_known_structure,
        error_messages={"invalid_choice": _("valeur inconnue")},
    )
    year_min = YearFilter(field_name="year", lookup_expr="gte", label=_("Depuis l'année"))
    year_max = YearFilter(field_name="year", lookup_expr="lte", label=_("Jusqu'à l'année"))
    sort = django_filters.ChoiceFilter(
        choices=Sort.CHOICES, method="filter_nothing", empty_label=None, label=_("Trier par")
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, windowed_search: bool = False, **kwargs):
        """``windowed_search``: a relevance-sorted search lists its window only (the
        catalogue page: catalogue/search.py, ``by_relevance``)."""
        self.windowed_search = windowed_search
        super().__init__(*args, **kwargs)

    def declared_facets_default(self):
        return declared.FACETS

    def search(self, queryset, text):
        return search(queryset, text)

    @property
    def sort_key(self) -> str:
        chosen = self.values.get("sort")
        if chosen == Sort.RELEVANCE and not self.searching:
            chosen = None
        return chosen or (Sort.RELEVANCE if self.searching else Sort.NEWEST)

    @property
    def sort_options(self) -> list[tuple[str, str, bool]]:
        """(value, label, selected) of the sorts that apply (relevance only when searching)."""
        key = self.sort_key
        return [
            (value, label, value == key)
            for value, label in Sort.CHOICES
            if value != Sort.RELEVANCE or self.searching
        ]

    def order(self, queryset):
        key = self.sort_key
        if key == Sort.RELEVANCE:
            return by_relevance(queryset, self.values["q"], windowed=self.windowed_search)
        if key == Sort.TITLE:
            return queryset.order_by(in_french("title"), "pk")
        if key == Sort.DEPARTMENT:
            return queryset.order_by("structure__department__code", "title", "pk")
        return queryset.order_by("-published_at", "-pk")

    @property
    def window(self) -> int | None:
        """How many matches the results list at most: a relevance-sorted search's window
        where the RUM index ranks them (catalogue/search.py, ``by_relevance``); else None."""
        if not self.windowed_search or self.sort_key != Sort.RELEVANCE:
            return None
        return window_size(self.queryset.db)

    @property
    def result_count(self) -> int | None:
        """The rows listed: the selection's size (``FacetedFilterSet``), at most the window
        of a windowed search (``matches_count`` is then the number of its matches)."""
        total, window = self.counts.total, self.window
        if total is not None and window is not None:
            return min(total, window)
        return total

    @property
    def matches_count(self) -> int | None:
        """The number of matches of a windowed search that has more than its window, shown
        beside the sheets listed; None otherwise."""
        total, window = self.counts.total, self.window
        if total is not None and window is not None and total > window:
            return total
        return None

    def other_chips(self) -> list["Chip"]:
        chips = []
        if slug := self.values.get("structure"):
            name = Structure.objects.filter(slug=slug).values_list("name", flat=True).first()
            chips.append(Chip(str(_("Structure")), name or slug, self._without("structure")))
        for name in ("year_min", "year_max"):
            if self.values.get(name) is not None:
                chips.append(
                    Chip(str(self.filters[name].label), str(self.values[name]), self._without(name))
                )
        return chips


def structures_unit(count: int) -> str:
    """ "structure(s)": what an option's count counts in the directory, for screen readers."""
    return npgettext("option de filtre", "structure", "structures", count)


class StructureFilterSet(FacetedFilterSet):
    """The structure directory's filters (``/structures/``): a search on the name and the
    commune, the directory's facets (``declared.STRUCTURE_FACETS``, counting structures), in
    the order of their names in French (``in_french``)."""

    q = django_filters.CharFilter(
        label=_("Rechercher une structure"),
        method="filter_search",
        max_length=200,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("nom, commune…")}),
    )

    unit = staticmethod(structures_unit)

    class Meta:
        model = Structure
        fields = []

    def declared_facets_default(self):
        return declared.STRUCTURE_FACETS

    def search(self, queryset, text):
        return search_structures(queryset, text)

    def order(self, queryset):
        return queryset.order_by(in_french("name"), "pk")
