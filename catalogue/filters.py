"""The public catalogue's filters, sort and facet counts.

Every filter lives in the query string (``/actions/?theme=culture&departement=94``) so a filtered
view can be shared and bookmarked. Filter values are slugs and INSEE codes, validated by form
only (a value that matches nothing simply gives no result), because the options and their
counts are only known once the other filters have been applied: that is faceting.

Facets follow the usual rule: each option shows how many sheets the current selection would
give with that option, i.e. the counts of a facet ignore the facet's own filter (several themes
are combined with OR, different filters with AND). How they are counted: catalogue/facets.py.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import F, Func
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from actions.enums import ActionStatus
from actions.facet_keys import TOTAL, index_available
from actions.models import Action
from federations.models import Structure

from . import facets
from .search import search

SLUG = re.compile(r"^[-\w]+\Z", re.ASCII)
DEPARTMENT_CODE = re.compile(r"^(?:[0-9]{2,3}|2[AB])\Z")
REGION_CODE = re.compile(r"^[0-9]{2,3}\Z")


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

    @property
    def unit(self) -> str:
        """ "action(s)" after the count, for screen readers. Translated here rather than with
        ``blocktranslate`` in the template: hundreds of options are rendered per page."""
        return npgettext("option de filtre", "action", "actions", self.count)


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

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_initiative(self, queryset, name, value):
        return queryset.with_any("initiatives", [value])

    def filter_funder(self, queryset, name, value):
        return queryset.funded_by(value)

    def filter_nothing(self, queryset, name, value):
        return queryset

    # Filtering and sorting ------------------------------------------------------------------

    @property
    def values(self) -> dict:
        """The valid filter values (invalid ones are ignored, and reported on the form)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

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

    @cached_property
    def _chosen(self) -> dict[str, list[str]]:
        """The chosen values of every facet, as a list (none: an empty list)."""
        chosen = {}
        for spec in facets.SPECS:
            value = self.values.get(spec.name)
            if value in (None, "", []):
                chosen[spec.name] = []
            else:
                chosen[spec.name] = value if isinstance(value, list) else [str(value)]
        return chosen

    @cached_property
    def _counted(self) -> tuple[dict, dict[str, Counter], int | None]:
        """The facets' options, their counts, and the selection's size when the counting gave
        it (facet index)."""
        using = self.queryset.db
        choices = facets.load_choices(using)
        if index_available(using):
            counts, total = self._count_indexed(self._chosen, choices)
        else:
            counts, total = self._count_generic(self._chosen), None
        return choices, counts, total

    @property
    def result_count(self) -> int | None:
        """The number of sheets of the selection, when the facets counted it (PostgreSQL):
        the paginator need not count again."""
        return self._counted[2]

    @cached_property
    def facets(self) -> list[Facet]:
        """The facets beside the results, counted as actions/facets.py explains."""
        choices, counts, _ = self._counted
        result = []
        for spec in facets.SPECS:
            selected, counted = self._chosen[spec.name], counts[spec.name]
            if spec.name == "funder":
                options = facets.funder_choices(counted, selected, self.queryset.db)
            else:
                options = choices[spec.name]
            result.append(
                Facet(
                    spec.name,
                    self.filters[spec.name].label,
                    spec.widget,
                    [
                        FacetOption(
                            choice.value,
                            choice.label,
                            counted[choice.pk],
                            selected=choice.value in selected,
                        )
                        for choice in options
                        if spec.keep_empty or counted[choice.pk] or choice.value in selected
                    ],
                )
            )
        return result

    def _count_generic(self, chosen) -> dict[str, Counter]:
        """The facets whose filter is not set count within the selection, together; each
        facet that is set, within the selection without it."""
        unset = [spec for spec in facets.SPECS if not chosen[spec.name]]
        counts = facets.count_generic(unset, self.select(self.queryset))
        for spec in facets.SPECS:
            if chosen[spec.name]:
                selection = self.select(self.queryset, without={spec.name})
                counts.update(facets.count_generic([spec], selection))
        return counts

    def _count_indexed(self, chosen, choices) -> tuple[dict[str, Counter], int]:
        """Group the facets by what they count within (see facets.Within) and count every
        group in one query; also the selection's size."""
        using = self.queryset.db
        active = {name: values for name, values in chosen.items() if values}
        keys = facets.value_keys(active, choices, using)
        restriction = self._restriction()

        def within(without: str | None) -> facets.Within:
            rest = sorted(name for name in active if name != without)
            if restriction is None and not rest:
                return facets.Within(filter_key=TOTAL)
            if (
                restriction is None
                and len(rest) == 1
                and rest[0] in facets.PAIRED
                and len(keys[rest[0]]) == 1
            ):
                return facets.Within(filter_key=keys[rest[0]][0])
            return facets.Within(
                any_of=tuple(keys[name] for name in rest), restricted=restriction is not None
            )

        main = within(None)
        groups = defaultdict(list, {main: []})
        for spec in facets.SPECS:
            groups[within(spec.name)].append(spec)
        counted = facets.count_indexed(groups, restriction, using)
        counts = {
            spec.name: facets.per_facet(counted[group], spec)
            for group, specs in groups.items()
            for spec in specs
        }
        return counts, counted[main][TOTAL]

    def _restriction(self) -> tuple[str, list] | None:
        """The filters that are not facets (search, structure, years) as an SQL condition on
        ``entry.action_id`` for the facet index, or None when none is set."""
        others = {
            name
            for name, value in self.values.items()
            if value not in (None, "", []) and name != "sort" and name not in facets.SPECS_BY_NAME
        }
        if not others:
            return None
        selection = self.select(self.queryset, without=facets.SPECS_BY_NAME)
        try:
            sql, params = selection.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return "FALSE", []
        return f"entry.action_id IN ({sql})", list(params)

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
