"""A facet is one declaration: a throw-away facet declared here filters, is counted (by grouped
queries, on SQLite and on PostgreSQL alike, since the facet index does not cover it), shows in
the sidebar and as a chip, and restricts the counts of the facets the index covers."""

import pytest
from django.urls import reverse

from actions.enums import PartnerRole
from actions.models import Partner
from catalogue.facets import declared
from catalogue.facets.declaration import CHECKBOX, RADIO, Choices, Facet, Path, Reference
from federations.enums import StructureKind
from federations.models import Federation, Structure
from tests.actions.factories import ActionFactory, ActionPartnerFactory, PartnerFactory, theme
from tests.catalogue.counted import nonzero
from tests.federations.factories import StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CATALOGUE = reverse("catalogue:action_list")

STRUCTURE_KIND = Facet(
    "type_structure", "Type de structure", RADIO, Choices(StructureKind), Path("structure__kind")
)
PARTNER = Facet(
    "partenaire",
    "Partenaire",
    CHECKBOX,
    Reference(Partner),
    Path("partners"),
)


@pytest.fixture
def with_throwaway_facets(monkeypatch):
    monkeypatch.setattr(declared, "FACETS", (*declared.FACETS, STRUCTURE_KIND, PARTNER))


@pytest.fixture
def sheets():
    centre = StructureFactory(kind=StructureKind.CENTRE_SOCIAL)
    evs = StructureFactory(kind=StructureKind.EVS)
    ancv = PartnerFactory(name="ANCV", slug="ancv")
    mairie = PartnerFactory(name="Mairie", slug="mairie")
    PartnerFactory(name="Sans fiche", slug="sans-fiche")
    culture = ActionFactory(structure=centre, published=True, themes=[theme("culture")])
    sport = ActionFactory(structure=centre, published=True, themes=[theme("sport")])
    jardin = ActionFactory(structure=evs, published=True, themes=[theme("culture")])
    draft = ActionFactory(structure=evs, themes=[theme("sport")])
    ActionPartnerFactory(action=culture, partner=ancv)
    ActionPartnerFactory(action=culture, partner=ancv, role=PartnerRole.FINANCIAL)  # once
    ActionPartnerFactory(action=jardin, partner=ancv)
    ActionPartnerFactory(action=sport, partner=mairie)
    ActionPartnerFactory(action=draft, partner=mairie)
    return {"culture": culture, "sport": sport, "jardin": jardin}


def counts(response, name) -> dict[str, int]:
    facet = next(f for f in response.context["filter"].facets if f.name == name)
    return {option.value: option.count for option in facet.options}


def titles(response) -> set[str]:
    return {action.title for action in response.context["object_list"]}


@pytest.mark.usefixtures("with_throwaway_facets")
class TestAThrowAwayFacet:
    def test_its_options_are_counted_over_the_published_sheets(self, client, sheets):
        response = client.get(CATALOGUE)
        assert counts(response, "type_structure") == {"centre_social": 2, "evs": 1, "other": 0}
        # Every option is listed, those giving nothing too.
        assert counts(response, "partenaire") == {"ancv": 2, "mairie": 1, "sans-fiche": 0}

    def test_it_shows_in_the_sidebar(self, client, sheets):
        html = client.get(CATALOGUE).content.decode()
        assert '<legend class="fs-6 fw-semibold">Type de structure</legend>' in html
        assert 'name="type_structure" value="evs"' in html
        assert 'name="partenaire" value="ancv"' in html

    def test_it_filters_and_ignores_its_own_filter_in_its_counts(self, client, sheets):
        response = client.get(CATALOGUE, {"type_structure": "evs"})
        assert titles(response) == {sheets["jardin"].title}
        assert response.context["paginator"].count == 1
        assert counts(response, "type_structure") == {"centre_social": 2, "evs": 1, "other": 0}

    def test_the_other_facets_count_within_its_filter(self, client, sheets):
        """On PostgreSQL, the facets the index covers are restricted by it."""
        response = client.get(CATALOGUE, {"type_structure": "centre_social"})
        assert nonzero(counts(response, "theme")) == {"culture": 1, "sport": 1}
        assert nonzero(counts(response, "partenaire")) == {"ancv": 1, "mairie": 1}
        response = client.get(CATALOGUE, {"type_structure": "evs", "theme": "culture"})
        assert nonzero(counts(response, "theme")) == {"culture": 1}
        assert nonzero(counts(response, "partenaire")) == {"ancv": 1}

    def test_several_values_of_a_checkbox_facet_are_alternatives(self, client, sheets):
        response = client.get(CATALOGUE, {"partenaire": ["ancv", "mairie"]})
        assert len(titles(response)) == 3
        response = client.get(CATALOGUE, {"partenaire": "mairie", "type_structure": "evs"})
        assert titles(response) == set()

    def test_a_chosen_value_is_a_chip(self, client, sheets):
        response = client.get(CATALOGUE, {"type_structure": "evs", "partenaire": "ancv"})
        chips = {
            (chip.label, chip.value): chip.remove_url for chip in response.context["filter"].chips
        }
        assert chips[("Type de structure", "Espace de vie sociale")] == "?partenaire=ancv"
        assert chips[("Partenaire", "ANCV")] == "?type_structure=evs"

    def test_an_unknown_choice_is_ignored(self, client, sheets):
        response = client.get(CATALOGUE, {"type_structure": "archipel"})
        assert response.status_code == 200
        assert len(titles(response)) == 3


def test_without_the_declaration_the_parameter_means_nothing(client, sheets):
    response = client.get(CATALOGUE, {"type_structure": "evs"})
    assert len(titles(response)) == 3
    assert "type_structure" not in {facet.name for facet in response.context["filter"].facets}


class TestDeclarations:
    def test_a_path_tells_whether_a_sheet_has_several_values(self):
        assert Path("themes").many
        assert Path("partners").many
        assert not Path("structure__department__region").many
        assert not Path("status").many

    @pytest.mark.parametrize("path", ["fundings__funder", "structure__federation__departments"])
    def test_a_path_through_a_many_valued_relation_is_refused(self, path):
        with pytest.raises(ValueError, match="only a many-to-many field"):
            Path(path)

    def test_a_key_kind_the_facet_index_does_not_have_is_refused(self):
        with pytest.raises(ValueError, match="no key kind"):
            Facet("kind", "Type", RADIO, Choices(StructureKind), Path("structure__kind"), key="x")

    def test_an_unknown_widget_is_refused(self):
        with pytest.raises(ValueError, match="unknown widget"):
            Facet("kind", "Type", "slider", Choices(StructureKind), Path("structure__kind"))

    def test_every_declared_facet_has_its_own_parameter(self):
        for facets in (declared.FACETS, declared.STRUCTURE_FACETS):
            names = [facet.name for facet in facets]
            assert len(names) == len(set(names))

    def test_a_path_may_start_from_a_structure(self):
        assert not Path("department__region", Structure).many
        assert Path("department__region", Structure).root is Structure

    def test_a_many_valued_path_needs_a_queryset_that_narrows_it(self):
        with pytest.raises(ValueError, match="has no with_any"):
            Path("departments", Federation)

    def test_a_facet_counting_structures_has_no_facet_index_key(self):
        with pytest.raises(ValueError, match="counts sheets only"):
            Facet(
                "kind", "Type", RADIO, Choices(StructureKind), Path("kind", Structure), key="status"
            )

    def test_the_directory_facets_count_structures_and_none_is_on_the_index(self):
        assert {facet.reach.root for facet in declared.STRUCTURE_FACETS} == {Structure}
        assert {facet.key for facet in declared.STRUCTURE_FACETS} == {None}
