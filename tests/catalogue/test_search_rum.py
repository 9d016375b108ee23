"""The catalogue's relevance sort on both PostgreSQL paths (catalogue/search.py): with the RUM
index (``rum``: the test server has the extension, scripts/_postgres.sh) and without it
(``without_rum``: a managed database without the extension, the path of today). Both give the
same sheets in the same order while a search has fewer matches than the window; with more, the
page lists the window's best and says how many match in all."""

import pytest
from django.db import connection
from django.urls import reverse

from actions.models import Action
from catalogue import search as full_text
from catalogue.filters import ActionFilterSet
from tests.actions.factories import ActionFactory
from tests.sample import load_sample
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CATALOGUE = reverse("catalogue:action_list")
PLAIN = {"summary": "", "experience": "", "description": "", "perspectives": "", "published": True}


@pytest.fixture
def rum(on_postgresql):
    if not full_text.uses_rum("default"):
        pytest.skip("the RUM extension is not installed on this server")


@pytest.fixture
def without_rum(on_postgresql, monkeypatch):
    """The database as one without the extension is seen (the index is only looked up)."""
    monkeypatch.setitem(full_text._rum_indexes, full_text.database_key("default"), False)


@pytest.fixture(params=["rum", "without_rum"])
def either_path(request):
    request.getfixturevalue(request.param)
    return request.param


def listed(client, text: str, **params) -> list[str]:
    response = client.get(CATALOGUE, {"q": text, **params})
    assert response.status_code == 200
    return [action.title for action in response.context["object_list"]]


def ranked_ids(text: str) -> list[int]:
    filterset = ActionFilterSet(
        data={"q": text}, queryset=Action.objects.catalogue(), windowed_search=True
    )
    return list(filterset.qs.values_list("pk", flat=True))


class TestTheIndex:
    def test_the_rum_index_exists_where_the_extension_is_installed(self, on_postgresql):
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name='rum')")
            available = cursor.fetchone()[0]
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [full_text.RUM_INDEX]
            )
            row = cursor.fetchone()
        assert full_text.uses_rum("default") is available
        if available:
            assert "USING rum (search_vector)" in row[0]
            assert "WHERE ((publication_status)::text = 'published'::text)" in row[0]

    def test_the_relevance_window_is_ordered_inside_the_rum_index(self, rum):
        ActionFactory(title="Jardin partagé", **PLAIN)
        sql, params = (
            ActionFilterSet(
                data={"q": "jardin"}, queryset=Action.objects.catalogue(), windowed_search=True
            )
            .qs.values("pk")
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            # A table of one row is read whole; the plan of a large one, shown on this one.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            # Nor a sort of the matches read through another index (the catalogue's sort
            # indexes cover its published sheets too): the window's order must come from RUM.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        assert f"Index Scan using {full_text.RUM_INDEX}" in plan
        assert "Order By: (search_vector <=>" in plan

    def test_sqlite_has_no_window(self):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite only")
        assert full_text.window_size("default") is None


@shared_data(scope="class")
def sample():

    load_sample()


@pytest.mark.usefixtures("sample")
class TestTheSampleOnBothPaths:
    """The sample fixture (22 published sheets): every search, ranked with and without the
    RUM index, gives the same sheets in the same order (fewer matches than the window)."""

    QUERIES = [
        "séjour",
        "séjour familles",
        "vacances",
        "accompagnement scolarité",
        '"séjour collectif"',  # a phrase
        "séjour -familles",  # a negation
        "séjour or vacances",
        "parentalité",
    ]

    @pytest.mark.parametrize("text", QUERIES)
    def test_the_same_sheets_in_the_same_order(self, on_postgresql, monkeypatch, text):
        if not full_text.uses_rum("default"):
            pytest.skip("the RUM extension is not installed on this server")
        with_rum = ranked_ids(text)
        monkeypatch.setitem(full_text._rum_indexes, full_text.database_key("default"), False)
        assert with_rum
        assert ranked_ids(text) == with_rum

    def test_a_phrase_finds_its_words_side_by_side_only(self, client, either_path):
        assert listed(client, '"séjour collectif"') == [
            "Les vacances ça se prépare : séjour collectif familles",
            "Séjour collectif famille sénior",
        ]

    def test_a_negation_leaves_out_the_sheets_with_that_word(self, client, either_path):
        with_familles = set(listed(client, "séjour familles"))
        without = set(listed(client, "séjour -familles"))
        assert with_familles and without
        assert not with_familles & without
        assert "Séjour culturel en Espagne" in without


class TestTheWindow:
    @pytest.fixture
    def jardins(self):
        """Two sheets with the word in their title, three with it in a lower section."""
        for title in ("Jardin partagé", "Jardin des enfants"):
            ActionFactory(title=title, **PLAIN)
        for title in ("Atelier", "Rencontre", "Sortie"):
            ActionFactory(title=title, **{**PLAIN, "perspectives": "Un jardin au printemps."})

    def test_a_search_with_more_matches_lists_the_best_of_its_window(
        self, client, rum, monkeypatch, jardins
    ):
        monkeypatch.setattr(full_text, "SEARCH_WINDOW", 2)
        response = client.get(CATALOGUE, {"q": "jardin"})
        titles = [action.title for action in response.context["object_list"]]
        assert sorted(titles) == ["Jardin des enfants", "Jardin partagé"]
        assert response.context["paginator"].count == 2
        # The heading counts every match; the page says only the best are listed.
        assert response.context["filter"].matches_count == 5
        content = response.content.decode()
        assert "5 actions" in content
        assert 'id="fenetre-recherche"' in content
        # The facets count every match too.
        assert response.context["filter"].counts.total == 5

    def test_other_sorts_list_every_match(self, client, rum, monkeypatch, jardins):
        monkeypatch.setattr(full_text, "SEARCH_WINDOW", 2)
        for sort in ("newest", "title", "departement"):
            response = client.get(CATALOGUE, {"q": "jardin", "sort": sort})
            assert response.context["paginator"].count == 5
            assert len(response.context["object_list"]) == 5
            assert 'id="fenetre-recherche"' not in response.content.decode()

    def test_the_export_reads_every_match(self, client, rum, monkeypatch, jardins):
        monkeypatch.setattr(full_text, "SEARCH_WINDOW", 2)
        response = client.get(reverse("catalogue:action_export"), {"q": "jardin"})
        rows = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
        assert len(rows) == 1 + 5

    def test_without_the_index_every_match_is_listed(
        self, client, without_rum, monkeypatch, jardins
    ):
        monkeypatch.setattr(full_text, "SEARCH_WINDOW", 2)
        response = client.get(CATALOGUE, {"q": "jardin"})
        assert response.context["paginator"].count == 5
        assert len(response.context["object_list"]) == 5
        assert response.context["filter"].matches_count is None

    def test_a_windowed_search_costs_the_same_queries(
        self, client, either_path, jardins, django_assert_max_num_queries
    ):
        client.get(CATALOGUE, {"q": "jardin"})
        with django_assert_max_num_queries(6):
            client.get(CATALOGUE, {"q": "jardin"})
