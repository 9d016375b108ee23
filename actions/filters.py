"""The public catalogue's filters, sort and facet counts.

Every filter lives in the query string (``/actions/?theme=culture&departement=94``) so a filtered
view can be shared and bookmarked. Filter values are slugs and INSEE codes, validated by form
only (a value that matches nothing simply gives no result), because the options and their
counts are only known once the other filters have been applied: that is faceting.

Facets follow the usual rule: each option shows how many sheets the current selection would
give with that option, i.e. the counts of a facet ignore the facet's own filter (several themes
are combined with OR, different filters with AND). Each facet costs one grouped query.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from federations.models import Department, Federation, Region, Structure

from .enums import ActionStatus
from .models import Action, Dimension, Initiative, Public, TerritoryScale, Theme
from .selection import Frozen, freeze

SLUG = re.compile(r"^[-\w]+\Z", re.ASCII)
DEPARTMENT_CODE = re.compile(r"^(?:[0-9]{2,3}|2[AB])\Z")
REGION_CODE = re.compile(r"^[0-9]{2,3}\Z")
# The funder facet lists the most frequent funders of the selection (and the chosen one):
# thousands of communes fund sheets at national scale.
FUNDER_OPTIONS = 50
UNFILTERED_FACETS_CACHE_KEY = "actions:catalogue:unfiltered-facets:v1"


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


class ValueListField(forms.MultipleChoiceField):
    """Several values of one parameter (``theme=a&theme=b``). Malformed values are dropped,
    the others kept: one bad value in a shared link does not cancel the whole filter."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, pattern=SLUG, **kwargs):
        self.pattern = pattern
        super().__init__(**kwargs)

    def to_python(self, value):
        values = [_normalize_value(v) for v in super().to_python(value)]
        return list(dict.fromkeys(v for v in values if self.valid_value(v)))

    def valid_value(self, value):
        return bool(self.pattern.match(value))


class ValueField(forms.ChoiceField):
    """One well-formed value (a slug, a code)."""

    def __init__(self, *, pattern=SLUG, **kwargs):
        self.pattern = pattern
        super().__init__(**kwargs)

    def to_python(self, value):
        return _normalize_value(super().to_python(value))

    def valid_value(self, value):
        return bool(self.pattern.match(value))


class ValueListFilter(django_filters.Filter):
    field_class = ValueListField

    def __init__(self, *args, relation=None, **kwargs):
        self.relation = relation
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.relation:
            return qs.with_any(self.relation, value)
        return qs.filter(**{f"{self.field_name}__in": value})


class ValueFilter(django_filters.Filter):
    field_class = ValueField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1950)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False

    @property
    def disabled(self) -> bool:
        return not self.count and not self.selected


@dataclass
class Facet:
    name: str
    label: str
    widget: str  # "checkbox", "radio" or "select"
    options: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


@dataclass
class Chip:
    """An active filter, shown with a link that removes it."""

    label: str
    value: str
    remove_url: str


def _vocabulary_options(rows):
    return [(row.slug, row.name, row.action_count) for row in rows]


class ActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher une action"),
        method="filter_search",
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("parentalité, séjour seniors, Caf…")}
        ),
    )
    theme = ValueListFilter(relation="themes", label=_("Thèmes"))
    public = ValueListFilter(relation="publics", label=_("Publics"))
    dimension = ValueFilter(field_name="dimension__slug", label=_("Dimension"))
    initiative = ValueFilter(method="filter_initiative", label=_("À l'initiative de"))
    territoire = ValueFilter(field_name="territory_scale__slug", label=_("Territoire concerné"))
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label=_("Statut"), empty_label=_("Tous")
    )
    departement = ValueListFilter(
        field_name="structure__department__code", pattern=DEPARTMENT_CODE, label=_("Départements")
    )
    region = ValueFilter(
        field_name="structure__department__region__code", pattern=REGION_CODE, label=_("Région")
    )
    federation = ValueFilter(field_name="structure__federation__slug", label=_("Fédération"))
    structure = ValueFilter(field_name="structure__slug", label=_("Structure"))
    funder = ValueFilter(method="filter_funder", label=_("Financeur"))
    year_min = YearFilter(field_name="year", lookup_expr="gte", label=_("Depuis l'année"))
    year_max = YearFilter(field_name="year", lookup_expr="lte", label=_("Jusqu'à l'année"))
    sort = django_filters.ChoiceFilter(
        choices=Sort.CHOICES, method="filter_nothing", empty_label=None, label=_("Trier par")
    )

    class Meta:
        model = Action
        fields = []

    # Facets shown beside the results, in this order: (filter, widget, options loader).
    # A loader gets the selection without the facet's own filter and the selected values, and
    # returns (value, label, count) triples. Long lists (themes, départements, regions,
    # federations, funders) leave out the options that would give nothing; short ones keep
    # them, shown disabled.
    FACETS = (
        (
            "theme",
            "checkbox",
            lambda qs, selected: [
                option
                for option in _vocabulary_options(qs.facet_counts(Theme, "themes"))
                if option[2] or option[0] in selected
            ],
        ),
        (
            "public",
            "checkbox",
            lambda qs, _: _vocabulary_options(qs.facet_counts(Public, "publics")),
        ),
        ("status", "radio", lambda qs, _: ActionFilterSet.status_options(qs)),
        (
            "departement",
            "checkbox",
            lambda qs, selected: [
                (row.code, f"{row.name} ({row.code})", row.action_count)
                for row in qs.facet_counts(Department, "structure__department")
                if row.action_count or row.code in selected
            ],
        ),
        (
            "region",
            "select",
            lambda qs, selected: [
                (row.code, row.name, row.action_count)
                for row in qs.facet_counts(Region, "structure__department__region")
                if row.action_count or row.code in selected
            ],
        ),
        (
            "federation",
            "select",
            lambda qs, selected: [
                (row.slug, row.name, row.action_count)
                for row in qs.facet_counts(Federation, "structure__federation")
                if row.action_count or row.slug in selected
            ],
        ),
        (
            "dimension",
            "select",
            lambda qs, _: _vocabulary_options(qs.facet_counts(Dimension, "dimension")),
        ),
        (
            "initiative",
            "select",
            lambda qs, _: _vocabulary_options(qs.facet_counts(Initiative, "initiatives")),
        ),
        (
            "territoire",
            "select",
            lambda qs, _: _vocabulary_options(qs.facet_counts(TerritoryScale, "territory_scale")),
        ),
        (
            "funder",
            "select",
            lambda qs, selected: _vocabulary_options(
                qs.funder_counts(include=selected, limit=FUNDER_OPTIONS)
            ),
        ),
    )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_initiative(self, queryset, name, value):
        return queryset.with_any("initiatives", [value])

    def filter_funder(self, queryset, name, value):
        return queryset.funded_by(value)

    def filter_nothing(self, queryset, name, value):
        return queryset

    @staticmethod
    def status_options(queryset):
        counts = queryset.status_counts()
        return [(value, label, counts.get(value, 0)) for value, label in ActionStatus.choices]

    # Filtering and sorting ------------------------------------------------------------------

    @property
    def values(self) -> dict:
        """The valid filter values (invalid ones are ignored, and reported on the form)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    def select(self, queryset, *, without: str | None = None):
        """``queryset`` restricted by every filter but ``without`` (and unsorted).

        For a facet (``without`` given), the search is applied as the ids of the matching
        sheets, found once per page: each of the ten facet queries would otherwise run the
        full-text match again, which costs more than the rest of the page at national scale.
        """
        for name, value in self.values.items():
            if name in {without, "sort"}:
                continue
            if name == "q" and without is not None and value:
                queryset = queryset.filter(pk__in=self.search_matches)
            else:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @cached_property
    def search_matches(self):
        """The published sheets that match the search (for ``pk__in``)."""
        matches = self.filters["q"].filter(self.queryset, self.values["q"])
        return freeze(matches).ids

    @property
    def narrowed(self) -> bool:
        """Whether any filter (or a search) narrows the catalogue."""
        return any(
            value not in (None, "", []) for name, value in self.values.items() if name != "sort"
        )

    @cached_property
    def frozen_selection(self) -> Frozen:
        """The current selection, read once: most facets count within it (every facet whose
        own filter is not set), and running its filters again in each of their queries would
        cost more than the rest of the page. Its size is also the paginator's count."""
        return freeze(self.select(self.queryset))

    def filter_queryset(self, queryset):
        return self.order(self.select(queryset))

    @property
    def searching(self) -> bool:
        return bool(self.values.get("q"))

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
            return queryset.order_by("-search_rank", "-published_at", "-pk")
        if key == Sort.TITLE:
            return queryset.order_by(Lower(Func(F("title"), function="UNACCENT")), "pk")
        if key == Sort.DEPARTMENT:
            return queryset.order_by("structure__department__code", "title", "pk")
        return queryset.order_by("-published_at", "-pk")

    # Facets and active filters ----------------------------------------------------------------

    def _selected(self, name) -> list[str]:
        value = self.values.get(name)
        if value in (None, "", []):
            return []
        return value if isinstance(value, list) else [str(value)]

    @cached_property
    def facets(self) -> list[Facet]:
        """The facets beside the results.

        Those of the unfiltered catalogue - the page everyone lands on, whose ten counts over
        every published sheet are the dearest of all (~0.7 s at 100,000 sheets) - are kept
        ``CATALOGUE_FACETS_CACHE_SECONDS`` in the cache (0: never): a publication shows in its
        counts that much later. The results and their number are never cached, nor the
        facets of a filtered selection.
        """
        seconds = getattr(settings, "CATALOGUE_FACETS_CACHE_SECONDS", 0)
        if seconds and not self.narrowed:
            return cache.get_or_set(UNFILTERED_FACETS_CACHE_KEY, self._count_facets, seconds)
        return self._count_facets()

    def _count_facets(self) -> list[Facet]:
        facets = []
        for name, widget, load in self.FACETS:
            selected = self._selected(name)
            if selected or not self.narrowed:
                selection = self.select(self.queryset, without=name)
            else:  # the facet's own filter is not set: it counts within the whole selection
                selection = self.queryset.filter(pk__in=self.frozen_selection.ids)
            options = [
                FacetOption(value, label, count, selected=value in selected)
                for value, label, count in load(selection, selected)
            ]
            facets.append(Facet(name, self.filters[name].label, widget, options))
        return facets

    @cached_property
    def chips(self) -> list[Chip]:
        chips = []
        if self.searching:
            chips.append(Chip(str(_("Recherche")), f"« {self.values['q']} »", self._without("q")))
        for facet in self.facets:
            for option in facet.selected:
                chips.append(
                    Chip(str(facet.label), option.label, self._without(facet.name, option.value))
                )
        if slug := self.values.get("structure"):
            name = Structure.objects.filter(slug=slug).values_list("name", flat=True).first()
            chips.append(Chip(str(_("Structure")), name or slug, self._without("structure")))
        for name in ("year_min", "year_max"):
            if self.values.get(name) is not None:
                chips.append(
                    Chip(str(self.filters[name].label), str(self.values[name]), self._without(name))
                )
        return chips

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
