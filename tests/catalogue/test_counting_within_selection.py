"""Counting what a selection is made of (the observatory's figures), with its sidebar: each
option counts the sheets of the selection itself that have it, its own facet's filter applied,
and the tallies (years, structures) count the selection's sheets per value; the same on the
facet index (PostgreSQL) as by grouped queries, and the sidebar stays what it was."""

from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from catalogue.facets.counting import count_facets, count_structures
from catalogue.facets.declaration import Path, Tally
from catalogue.facets.declared import TALLIES, YEAR
from catalogue.filters import ActionFilterSet
from tests.actions.factories import ActionFactory, build_catalogue
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("catalogue")]

QUERIES = [
    "",
    "theme=culture",
    "theme=culture&theme=sante",
    "departement=94",
    "departement=94&public=seniors",
    "theme=culture&departement=94&status=ongoing",
    "q=séjour&theme=culture",
    "funder=caf&theme=parentalite",
    "year_min=2020&theme=culture",
    "theme=inconnu",
]


@shared_data(scope="module")
def catalogue():
    actions = build_catalogue(12)
    ActionFactory(title="Brouillon", themes=[actions[0].themes.first()])  # never counted
    return actions


def filterset(query: str, **kwargs) -> ActionFilterSet:
    return ActionFilterSet(data=QueryDict(query), queryset=Action.objects.catalogue(), **kwargs)


def facet_of(chosen: ActionFilterSet, name: str):
    return next(facet for facet in chosen.declared_facets if facet.name == name)


@pytest.mark.parametrize("query", QUERIES)
def test_each_option_counts_the_sheets_of_the_selection_that_have_it(catalogue, query):
    chosen = filterset(query, figures=TALLIES)
    selection = chosen.qs
    counts = chosen.counts
    assert set(counts.within) == {facet.name for facet in chosen.declared_facets}
    for facet in counts.within.values():
        for option in facet.options:
            expected = facet_of(chosen, facet.name).narrow(selection, [option.value]).count()
            assert option.count == expected, (facet.name, option.value)
    assert counts.tallies[YEAR.name] == Counter(action.year for action in selection)
    assert counts.total == selection.count()


@pytest.mark.parametrize("query", QUERIES)
def test_the_structures_running_the_sheets_by_kind_and_federation(catalogue, query):
    chosen = filterset(query, figures=TALLIES)

    def key(structure):
        return structure.kind, structure.federation.slug if structure.federation else None

    sheets = Counter(key(action.structure) for action in chosen.qs)
    structures = Counter(key(structure) for structure in {a.structure for a in chosen.qs})
    rows = count_structures(chosen.counts, chosen.selection)
    assert {(kind, slug): (n, m) for kind, slug, n, m in rows} == {
        key: (structures[key], sheets[key]) for key in sheets
    }


@pytest.mark.parametrize("query", QUERIES)
def test_the_sidebar_is_the_same_with_the_figures(catalogue, query):
    def sidebar(counts):
        return [(f.name, [(o.value, o.count, o.selected) for o in f.options]) for f in counts]

    plain, with_figures = filterset(query).counts, filterset(query, figures=TALLIES).counts
    assert sidebar(with_figures.facets) == sidebar(plain.facets)
    assert plain.total in (None, with_figures.total)  # grouped queries count it with figures


def test_within_a_theme_the_other_themes_count_the_sheets_with_both(catalogue):
    counts = filterset("theme=culture", figures=()).counts
    sidebar = {option.value: option.count for option in counts.facets[0].options}
    within = {option.value: option.count for option in counts.within["theme"].options}
    culture = filterset("theme=culture").qs.count()
    assert within["culture"] == sidebar["culture"] == culture
    # In the sidebar, another theme counts all its sheets; within, those that are also culture.
    assert sidebar["parentalite"] > within.get("parentalite", 0)
    assert counts.tallies == {}


def test_the_figures_cost_no_query_more_on_the_facet_index(catalogue, on_postgresql):
    def queries(**kwargs):
        with CaptureQueriesContext(connection) as captured:
            count_facets(filterset("theme=culture&departement=94", **kwargs).selection, **kwargs)
        return len(captured)

    # The same query counts the sidebar and the figures.
    assert queries(figures=TALLIES) == queries()


def test_a_tally_the_index_does_not_cover_is_counted_by_grouped_queries(catalogue):
    kinds = Tally("kinds", Path("structure__kind"))
    counts = filterset("theme=culture", figures=(YEAR, kinds)).counts
    expected = Counter(action.structure.kind for action in filterset("theme=culture").qs)
    assert counts.tallies["kinds"] == expected


def test_a_tally_of_an_unknown_key_kind_is_refused():
    with pytest.raises(ValueError, match="no key kind"):
        Tally("x", Path("year"), key="annee")
