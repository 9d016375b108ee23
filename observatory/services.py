"""The figures of a selection of the catalogue, and of a network page (a federation, a
département): the numbers that observatory/datasets.py turns into charts, tables and CSV.

Every count comes from the catalogue's counting service (catalogue/facets/counting.py): the
facets and the years counted within the selection with its sidebar, and the structures running
its sheets (on the facet index on PostgreSQL, by grouped queries elsewhere); the money from
observatory/funding.py, over the entries that counting found. Only published sheets are
counted. Each function costs a fixed number of queries, whatever the number of sheets (the
tests assert it).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict

from actions.models import Action
from catalogue.facets.counting import CountedFacet, Within, count_structures, option_counts
from catalogue.facets.declared import DEPARTEMENT, FEDERATION, REGION, TALLIES, YEAR
from catalogue.filters import ActionFilterSet
from federations.models import Department, Federation, Structure

from .funding import FundingFigures, funding_figures


@dataclass(frozen=True)
class Structures:
    """Structures (of a kind, of a federation) and the published sheets they run."""

    structures: int = 0
    sheets: int = 0


@dataclass(frozen=True)
class Figures:
    """What the sheets of a selection are made of."""

    facets: dict[str, CountedFacet]  # every facet, counted within the selection
    tallies: dict[str, Counter]  # the sheets per year
    total: int
    funding: FundingFigures

    def counts(self, facet_name: str) -> dict[str, int]:
        """{option value: sheets} of one facet (options without sheets may be left out)."""
        return {option.value: option.count for option in self.facets[facet_name].options}

    @property
    def years(self) -> dict[int, int]:
        return dict(self.tallies[YEAR.name])

    @property
    def undated(self) -> int:
        return self.total - sum(self.years.values())

    @property
    def year_range(self) -> tuple[int, int] | None:
        return (min(self.years), max(self.years)) if self.years else None


def figures_of(filterset: ActionFilterSet) -> Figures:
    """The figures of the filter set's selection, counted with its sidebar (``figures``)."""
    counted = filterset.counts
    return Figures(
        facets=counted.within,
        tallies=counted.tallies,
        total=counted.total,
        funding=funding_figures(filterset.selection, entries=counted.entries),
    )


def with_figures(data: QueryDict, queryset: QuerySet) -> ActionFilterSet:
    """The catalogue's filters of ``data``, counting the figures the observatory shows."""
    return ActionFilterSet(data=data, queryset=queryset, figures=TALLIES)


# The observatory's selection ------------------------------------------------------------------


@dataclass(frozen=True)
class SelectionFigures(Figures):
    # The structures running the selection's sheets, by kind and by federation slug (None:
    # without a federation).
    kinds: dict[str, Structures]
    federations: dict[str | None, Structures]
    departments: list[tuple[str, str]]  # (code, name) of every département, for the map

    @property
    def structures(self) -> int:
        return sum(counted.structures for counted in self.kinds.values())


def selection_figures(filterset: ActionFilterSet) -> SelectionFigures:
    """The figures of the selection of ``filterset`` (made by ``with_figures``) that the
    observatory shows."""
    figures = figures_of(filterset)
    structures = {"kind": Counter(), "federation": Counter()}
    sheets = {"kind": Counter(), "federation": Counter()}
    for kind, federation, of_structures, of_sheets in count_structures(
        filterset.counts, filterset.selection
    ):
        for of, key in (("kind", kind), ("federation", federation)):
            structures[of][key] += of_structures
            sheets[of][key] += of_sheets

    def by(of: str) -> dict:
        return {key: Structures(n, sheets[of][key]) for key, n in structures[of].items()}

    return SelectionFigures(
        facets=figures.facets,
        tallies=figures.tallies,
        total=figures.total,
        funding=figures.funding,
        kinds=by("kind"),
        federations=by("federation"),
        departments=list(Department.objects.values_list("code", "name")),
    )


# The network pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkFigures(Figures):
    """The figures of a federation or a département: its published sheets' figures, its
    structures by kind (all of them, whether they publish or not) and the départements of its
    map with their published sheets (``action_count``)."""

    structure_kinds: dict[str, Structures]
    territory: list[Department]


def network_figures(
    query: str, *, structures: list[Structure], territory: QuerySet
) -> NetworkFigures:
    """The figures of the selection of the catalogue that ``query`` (``federation=<slug>``)
    describes, through the catalogue's filters (the observatory of that query shows the same).
    ``structures`` are the network's structures, each annotated with ``action_count`` (the
    page lists them: counting them by kind costs no query); ``territory`` the départements of
    its map, annotated the same way."""
    figures = figures_of(with_figures(QueryDict(query), Action.objects.published()))
    of_kind, sheets = Counter(), Counter()
    for structure in structures:
        of_kind[structure.kind] += 1
        sheets[structure.kind] += structure.action_count
    kinds = {kind: Structures(n, sheets[kind]) for kind, n in of_kind.items()}
    return NetworkFigures(
        facets=figures.facets,
        tallies=figures.tallies,
        total=figures.total,
        funding=figures.funding,
        structure_kinds=kinds,
        territory=list(territory),
    )


def federation_territory(federation: Federation) -> QuerySet:
    """The départements a federation covers and those where its structures are, with the
    federation's published sheets in each."""
    return (
        option_counts(DEPARTEMENT, Within.value(FEDERATION, federation))
        .filter(Q(pk__in=federation.departments.all()) | Q(structures__federation=federation))
        .distinct()
    )


def region_territory(department: Department) -> QuerySet:
    """The départements of ``department``'s région, with the published sheets of each."""
    region = department.region
    return option_counts(DEPARTEMENT, Within.value(REGION, region)).filter(region=region)
