"""The home page and the themes page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.actions.factories import ActionFactory, build_catalogue, theme
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


@pytest.fixture
def published():
    federation = FederationFactory()
    la_plaine = StructureFactory(department=department("94"), federation=federation)
    ajaccio = StructureFactory(department=department("2A"))
    ActionFactory(
        title="Séjour", structure=la_plaine, published=True, themes=[theme("vacances-loisirs")]
    )
    ActionFactory(
        title="Café des parents",
        structure=la_plaine,
        published=True,
        themes=[theme("parentalite"), theme("vacances-loisirs")],
    )
    ActionFactory(title="Veillées", structure=ajaccio, published=True, themes=[theme("culture")])
    ActionFactory(title="Brouillon", structure=ajaccio, themes=[theme("sante")])


class TestHome:
    def test_home_has_a_search_box_leading_to_the_catalogue(self, client, published):
        html = client.get(reverse("catalogue:home")).content.decode()
        assert 'action="/actions/" role="search"' in html
        assert 'name="q"' in html
        assert 'for="id_q"' in html

    def test_home_shows_headline_figures_of_published_sheets(self, client, published):
        response = client.get(reverse("catalogue:home"))
        assert response.context["figures"] == {
            "actions": 3,
            "structures": 2,
            "departments": 2,
            "federations": 1,
        }
        assert "actions publiées" in response.content.decode()

    def test_home_lists_themes_with_counts_and_links(self, client, published):
        response = client.get(reverse("catalogue:home"))
        counts = {t.slug: t.action_count for t in response.context["themes"]}
        assert counts["vacances-loisirs"] == 2
        assert counts["sante"] == 0
        html = response.content.decode()
        assert 'href="/actions/?theme=vacances-loisirs">Vacances / loisirs' in html
        assert "?theme=sante" not in html

    def test_home_lists_the_latest_published_sheets_newest_first(self, client, published):
        response = client.get(reverse("catalogue:home"))
        assert [a.title for a in response.context["latest"]] == [
            "Veillées",
            "Café des parents",
            "Séjour",
        ]
        assert "Brouillon" not in response.content.decode()

    def test_home_without_any_sheet(self, client):
        html = client.get(reverse("catalogue:home")).content.decode()
        assert "Aucune action n’est encore publiée." in html


class TestThemes:
    def test_every_theme_is_listed_with_its_count(self, client, published):
        response = client.get(reverse("catalogue:theme_list"))
        themes = {t.slug: t.action_count for t in response.context["themes"]}
        assert len(themes) == 27
        assert themes["vacances-loisirs"] == 2
        assert themes["sante"] == 0  # only a draft
        html = response.content.decode()
        assert 'href="/actions/?theme=parentalite">Parentalité</a>' in html
        assert "<title>Thèmes · Fiches action</title>" in html

    def test_themes_keep_the_order_of_the_published_format(self, client, published):
        slugs = [t.slug for t in client.get(reverse("catalogue:theme_list")).context["themes"]]
        assert slugs[:3] == ["parentalite", "vacances-loisirs", "culture"]


def test_home_and_themes_cost_the_same_queries_for_5_and_60_sheets(client):
    structures = [action.structure for action in build_catalogue(5)]
    urls = [reverse("catalogue:home"), reverse("catalogue:theme_list")]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            counts.append(len(captured))
        return counts

    few = queries()
    build_catalogue(55, structures=structures[:3])
    assert queries() == few
    assert max(few) <= 5
