"""Counting within a selection (the observatory's figures): each option counts the sheets of
the selection itself that have it, its own facet's filter applied, on the facet index
(PostgreSQL) as by grouped queries; tallies count the values no facet has."""

import pytest
from django.http import QueryDict

from actions.models import Action
from catalogue.facets.counting import Tally, count_facets, tally
from catalogue.filters import ActionFilterSet
from federations.enums import StructureKind
from tests.actions.factories import ActionFactory, build_catalogue
from tests.federations.factories import StructureFactory, department

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    actions = build_catalogue(12)
    ActionFactory(title="Brouillon", themes=[actions[0].themes.first()])  # never counted
    return actions


def filterset(query: str) -> ActionFilterSet:
    return ActionFilterSet(data=QueryDict(query), queryset=Action.objects.catalogue())


@pytest.mark.parametrize(
    "query",
    [
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
    ],
)
def test_each_option_counts_the_sheets_of_the_selection_that_have_it(catalogue, query):
    chosen = filterset(query)
    selection = chosen.qs
    counts = count_facets(chosen.selection, within_selection=True)
    for facet in counts.facets:
        for option in facet.options:
            expected = facet_of(chosen, facet.name).narrow(selection, [option.value]).count()
            assert option.count == expected, (facet.name, option.value)
    if counts.total is not None:
        assert counts.total == selection.count()


def facet_of(chosen: ActionFilterSet, name: str):
    return next(facet for facet in chosen.declared_facets if facet.name == name)


def test_within_a_theme_the_other_themes_count_the_sheets_with_both(catalogue):
    chosen = filterset("theme=culture")
    sidebar = {o.value: o.count for o in chosen.counts.facets[0].options}
    within = count_facets(chosen.selection, within_selection=True).facets[0]
    within = {option.value: option.count for option in within.options}
    culture = chosen.qs.count()
    assert within["culture"] == sidebar["culture"] == culture
    # In the sidebar, another theme counts all its sheets; within, those that are also culture.
    assert sidebar["parentalite"] > within.get("parentalite", 0)


class TestTally:
    def test_sheets_and_structures_per_value_of_a_path(self):
        centre = StructureFactory(department=department("94"))
        evs = StructureFactory(evs=True)
        other_evs = StructureFactory(evs=True)
        ActionFactory(structure=centre, published=True, year=2021)
        ActionFactory(structure=centre, published=True, year=2021)
        ActionFactory(structure=evs, published=True, year=2022)
        ActionFactory(structure=other_evs, published=True, year=None)
        ActionFactory(structure=other_evs, year=2021)  # a draft
        sheets = Action.objects.published()
        assert tally(sheets, "year") == {2021: Tally(2), 2022: Tally(1), None: Tally(1)}
        assert tally(sheets, "structure__kind", structures=True) == {
            StructureKind.CENTRE_SOCIAL: Tally(sheets=2, structures=1),
            StructureKind.EVS: Tally(sheets=2, structures=2),
        }

    def test_a_many_valued_path_is_refused(self):
        with pytest.raises(ValueError, match="single-valued"):
            tally(Action.objects.all(), "themes")
