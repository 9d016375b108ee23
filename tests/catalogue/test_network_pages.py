"""Public pages of the network: départements, structures, federations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.actions.factories import ActionFactory, build_catalogue, theme
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


@pytest.fixture
def network():
    fd94 = FederationFactory(
        name="Fédération du Val-de-Marne",
        slug="fd-94",
        departments=[department("94")],
        description="Les centres sociaux du Val-de-Marne.",
    )
    la_plaine = StructureFactory(
        name="La Plaine", slug="la-plaine", department=department("94"), federation=fd94
    )
    vitry = StructureFactory(
        name="Centre social de Vitry", slug="vitry", department=department("94"), federation=fd94
    )
    corse = StructureFactory(name="Les Salines", slug="salines", department=department("2A"))
    sport = ActionFactory(
        title="Insertion des filles par le sport",
        structure=la_plaine,
        published=True,
        themes=[theme("sport"), theme("parentalite")],
    )
    sejour = ActionFactory(
        title="Séjour collectif",
        structure=la_plaine,
        published=True,
        themes=[theme("vacances-loisirs"), theme("parentalite")],
    )
    contes = ActionFactory(
        title="Veillées contes", structure=corse, published=True, themes=[theme("culture")]
    )
    draft = ActionFactory(
        title="Brouillon de Vitry", structure=vitry, themes=[theme("vacances-loisirs")]
    )
    return locals()


def get(client, name, *args):
    response = client.get(reverse(f"catalogue:{name}", args=args))
    assert response.status_code == 200
    return response, response.content.decode()


class TestDepartments:
    def test_list_groups_departements_by_region_with_published_counts(self, client, network):
        response, html = get(client, "department_list")
        counts = {d.code: d.action_count for d in response.context["departments"]}
        assert len(counts) == 101
        assert counts["94"] == 2  # the draft is not counted
        assert counts["2A"] == 1
        assert counts["75"] == 0
        assert html.index(">Corse</h2>") < html.index("Corse-du-Sud (2A)")
        assert html.index(">Île-de-France</h2>") < html.index("Val-de-Marne (94)")
        assert "<title>Départements · Fiches action</title>" in html

    def test_detail_lists_published_actions_structures_and_federations(self, client, network):
        response, html = get(client, "department_detail", "94")
        assert {a.title for a in response.context["actions"]} == {
            "Insertion des filles par le sport",
            "Séjour collectif",
        }
        assert "Brouillon de Vitry" not in html
        structures = {s.name: s.action_count for s in response.context["structures"]}
        assert structures == {"La Plaine": 2, "Centre social de Vitry": 0}
        assert [f.name for f in response.context["federations"]] == ["Fédération du Val-de-Marne"]
        assert "<h1>Val-de-Marne (94)</h1>" in html
        assert "Région Île-de-France" in html
        assert 'href="/actions/?departement=94"' in html

    def test_federations_of_a_departement_include_those_of_its_structures(self, client, network):
        other = FederationFactory(name="Fédération régionale")
        StructureFactory(department=department("94"), federation=other)
        response, _ = get(client, "department_detail", "94")
        assert {f.name for f in response.context["federations"]} == {
            "Fédération du Val-de-Marne",
            "Fédération régionale",
        }

    @pytest.mark.parametrize("code", ["2A", "2a"])
    def test_corsican_codes_are_accepted_in_any_case(self, client, network, code):
        response, _ = get(client, "department_detail", code)
        assert response.context["department"].code == "2A"

    def test_an_unknown_code_is_not_found(self, client):
        assert client.get(reverse("catalogue:department_detail", args=["20"])).status_code == 404


class TestStructures:
    def test_structure_page_shows_its_card_its_themes_and_its_published_actions(
        self, client, network
    ):
        response, html = get(client, "structure_detail", "la-plaine")
        assert "<h1>La Plaine</h1>" in html
        assert {a.title for a in response.context["actions"]} == {
            "Insertion des filles par le sport",
            "Séjour collectif",
        }
        themes = {t.slug: t.action_count for t in response.context["themes"]}
        assert themes == {"parentalite": 2, "sport": 1, "vacances-loisirs": 1}
        assert 'href="/actions/?structure=la-plaine&amp;theme=parentalite"' in html
        assert 'href="/federations/fd-94/">Fédération du Val-de-Marne</a>' in html

    def test_a_structure_without_published_action_still_has_a_page(self, client, network):
        response, html = get(client, "structure_detail", "vitry")
        assert response.context["paginator"].count == 0
        assert "Brouillon de Vitry" not in html
        assert "Aucune action publiée pour l’instant." in html

    def test_an_unknown_structure_is_not_found(self, client):
        assert client.get(reverse("catalogue:structure_detail", args=["x"])).status_code == 404


class TestFederations:
    def test_list_counts_structures_and_published_actions(self, client, network):
        FederationFactory(name="Fédération vide", slug="vide")
        response, html = get(client, "federation_list")
        rows = {
            f.slug: (f.structure_count, f.action_count) for f in response.context["federations"]
        }
        assert rows == {"fd-94": (2, 2), "vide": (0, 0)}
        assert "Val-de-Marne (94)" in html

    def test_detail_shows_departements_structures_actions_and_counts_by_theme(
        self, client, network
    ):
        response, html = get(client, "federation_detail", "fd-94")
        assert "<h1>Fédération du Val-de-Marne</h1>" in html
        assert "Les centres sociaux du Val-de-Marne." in html
        assert 'href="/departements/94/">Val-de-Marne (94)</a>' in html
        structures = {s.name: s.action_count for s in response.context["structures"]}
        assert structures == {"La Plaine": 2, "Centre social de Vitry": 0}
        themes = [(t.slug, t.action_count) for t in response.context["themes"]]
        assert themes == [("parentalite", 2), ("vacances-loisirs", 1), ("sport", 1)]
        assert response.context["paginator"].count == 2
        assert 'href="/actions/?federation=fd-94&amp;theme=parentalite"' in html

    def test_an_unknown_federation_is_not_found(self, client):
        response = client.get(reverse("catalogue:federation_detail", args=["x"]))
        assert response.status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_network_pages_cost_the_same_queries_for_5_and_60_actions(client):
    federation = FederationFactory(departments=[department("94"), department("2A")])
    structures = [
        StructureFactory(department=department("94"), federation=federation),
        StructureFactory(department=department("2A"), federation=federation),
        StructureFactory(department=department("31")),
    ]
    build_catalogue(5, structures=structures)
    urls = [
        reverse("catalogue:department_list"),
        reverse("catalogue:department_detail", args=["94"]),
        reverse("catalogue:structure_detail", args=[structures[0].slug]),
        reverse("catalogue:federation_list"),
        reverse("catalogue:federation_detail", args=[federation.slug]),
    ]
    few = [_queries(client, url) for url in urls]
    build_catalogue(55, structures=structures)
    FederationFactory.create_batch(3, departments=[department("13")])
    many = [_queries(client, url) for url in urls]
    assert many == few
    assert max(few) <= 8
