"""Full-text search: PostgreSQL's French configuration, and the SQLite fallback.

The module is ``db_sensitive``: ``./scripts/test`` runs it on both databases; the tests using
the ``on_postgresql`` fixture are skipped on SQLite.
"""

import pytest
from django.db import connection
from django.urls import reverse

from actions.models import Action
from catalogue.search import search
from tests.actions.factories import ActionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CATALOGUE = reverse("catalogue:action_list")


@pytest.fixture
def barcelone():
    return ActionFactory(
        title="Séjour Autofinancé Barcelone",
        summary="Un groupe de jeunes prépare un voyage en Espagne.",
        experience="Actions d'autofinancement toute l'année.",
        perspectives="Reconduire le séjour.",
        published=True,
    )


def found(text: str) -> list[str]:
    return list(search(Action.objects.published(), text).values_list("title", flat=True))


def listed(client, text: str) -> list[str]:
    response = client.get(CATALOGUE, {"q": text})
    return [action.title for action in response.context["object_list"]]


class TestOnBothDatabases:
    @pytest.mark.parametrize("text", ["barcelone", "Barcelone", "BARCELONE"])
    def test_case_does_not_matter(self, client, barcelone, text):
        assert listed(client, text) == ["Séjour Autofinancé Barcelone"]

    @pytest.mark.parametrize("text", ["autofinance", "AUTOFINANCÉ", "sejour", "séjour barcelone"])
    def test_accents_do_not_matter(self, barcelone, text):
        assert found(text) == ["Séjour Autofinancé Barcelone"]

    def test_vacance_finds_sheets_that_say_vacances(self):
        ActionFactory(title="Départ en vacances pour tous", published=True)
        assert found("vacance") == ["Départ en vacances pour tous"]

    def test_every_text_section_is_searched(self, barcelone):
        assert found("reconduire") == ["Séjour Autofinancé Barcelone"]
        assert found("espagne") == ["Séjour Autofinancé Barcelone"]

    def test_every_word_must_match(self, barcelone):
        assert found("barcelone espagne") == ["Séjour Autofinancé Barcelone"]
        assert found("barcelone lisbonne") == []

    def test_unpublished_sheets_are_never_found(self, client):
        ActionFactory(title="Séjour Barcelone en préparation")
        assert found("barcelone") == []
        assert listed(client, "barcelone") == []

    def test_title_beats_summary_beats_other_sections(self):
        blank = {"experience": "", "description": "", "published": True}
        ActionFactory(title="Atelier", summary="", perspectives="Un jardin partagé", **blank)
        ActionFactory(title="Rencontre", summary="Au jardin partagé", **blank)
        ActionFactory(title="Jardin partagé", summary="", **blank)
        ranked = (
            search(Action.objects.published(), "jardin")
            .order_by("-search_rank")
            .values_list("title", flat=True)
        )
        assert list(ranked) == ["Jardin partagé", "Rencontre", "Atelier"]

    def test_relevance_is_the_default_sort_when_searching(self, client):
        ActionFactory(title="Atelier", summary="Préparer la fête du quartier.", published=True)
        ActionFactory(title="Fête du quartier", summary="", published=True)
        assert listed(client, "fête") == ["Fête du quartier", "Atelier"]

    def test_blank_search_lists_everything(self, client, barcelone):
        assert listed(client, "   ") == ["Séjour Autofinancé Barcelone"]

    def test_punctuation_alone_finds_nothing_without_error(self, client, barcelone):
        response = client.get(CATALOGUE, {"q": "«»!?"})
        assert response.status_code == 200
        assert response.context["paginator"].count == 0


class TestOnPostgreSQL:
    def test_french_stemming_matches_other_forms_of_a_word(self, on_postgresql):
        ActionFactory(title="Une vacance scolaire bien remplie", published=True)
        ActionFactory(title="Séjours familles", published=True)
        assert found("vacances") == ["Une vacance scolaire bien remplie"]
        assert found("séjour") == ["Séjours familles"]

    def test_the_vector_is_kept_up_to_date_by_the_database(self, on_postgresql):
        action = ActionFactory(title="Atelier", published=True)
        # Bulk writes bypass save(): the trigger still maintains the vector.
        Action.objects.filter(pk=action.pk).update(title="Atelier couture")
        Action.objects.bulk_create(
            [Action(title="Sortie couture", slug="sortie-couture", structure=action.structure)]
        )
        assert found("couture") == ["Atelier couture"]
        assert set(search(Action.objects.all(), "couture").values_list("title", flat=True)) == {
            "Atelier couture",
            "Sortie couture",
        }

    def test_search_uses_the_weighted_vector_and_its_gin_index(self, on_postgresql):
        ActionFactory(
            title="Barcelone",
            summary="Voyage",
            structure__name="Vaise",
            experience="Autofinancement",
            description="",
            perspectives="Espagne",
            published=True,
        )
        vector = Action.objects.values_list("search_vector", flat=True).get()
        # Positions follow the published format's order (actions/sections.py): the structure's
        # name comes right after the title, then the summary.
        assert vector == "'autofinanc':4C 'barcelon':1A 'espagn':5 'vais':2B 'voyag':3B"
        # (weight D, which PostgreSQL leaves unlabelled: every field's weight is in
        # tests/actions/test_search_vector.py)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'action_search_vector_gin'"
            )
            assert "USING gin (search_vector)" in cursor.fetchone()[0]
            cursor.execute("SELECT to_tsvector('french_unaccent', 'Séjours Éducatifs')")
            assert cursor.fetchone()[0] == "'educ':2 'sejour':1"


class TestOnSQLite:
    def test_unaccent_lookup_works_on_sqlite_connections(self, barcelone):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite only")
        assert Action.objects.filter(title__unaccent__icontains="AUTOFINANCE").exists()
        assert Action.objects.filter(title__unaccent__icontains="Barcélone").exists()
