"""The paths whose cost grew with the catalogue keep their answers: several facets at once
narrowed by ids, the sorts read from their indexes, pages reached up to a depth, and the whole
catalogue's CSV written once per catalogue version."""

import csv
import io

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from catalogue.csv_export import StoredExports
from catalogue.facets.declared import FACETS
from catalogue.filters import ActionFilterSet
from catalogue.pagination import DeferredJoinPaginator
from tests.actions.factories import ActionFactory, build_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CATALOGUE = reverse("catalogue:action_list")
CSV_URL = reverse("catalogue:action_export")
EXCEL_URL = reverse("catalogue:action_export_excel")
SEVERAL_FACETS = "theme=culture&theme=sante&public=seniors&status=ongoing&departement=94"


def filterset(query: str) -> ActionFilterSet:
    return ActionFilterSet(data=QueryDict(query), queryset=Action.objects.catalogue())


class TestSeveralFacetsNarrowedByIds:
    def test_the_same_sheets_as_narrowing_by_slugs_and_codes(self):
        build_catalogue(12)
        chosen = filterset(SEVERAL_FACETS)
        by_values = Action.objects.catalogue()
        for facet in FACETS:
            if values := chosen.data.getlist(facet.name):
                by_values = facet.narrow(by_values, values)

        expected = set(by_values.values_list("pk", flat=True))
        assert expected  # the selection is not empty: the comparison means something
        assert set(chosen.qs.values_list("pk", flat=True)) == expected

    def test_the_page_reads_no_vocabulary_by_its_slug(self, client):
        build_catalogue(12)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{CATALOGUE}?{SEVERAL_FACETS}")

        assert response.status_code == 200
        sheets = [q["sql"] for q in captured if 'FROM "actions_action"' in q["sql"]]
        assert sheets
        for sql in sheets:
            assert '"actions_theme"."slug"' not in sql
            assert '"actions_public"."slug"' not in sql
            assert '"federations_department"."code" IN' not in sql

    def test_an_unknown_value_is_still_ignored(self, client):
        build_catalogue(6)
        response = client.get(CATALOGUE, {"theme": ["culture", "inconnu"]})

        assert response.context["paginator"].count == filterset("theme=culture").qs.count()
        assert "inconnu" in response.content.decode()


@pytest.mark.usefixtures("on_postgresql")
def test_the_title_sort_walks_its_index():
    """The index's expression is the one the sort orders by (seen with sorts disabled)."""
    ids = ActionFilterSet(data={"sort": "title"}, queryset=Action.objects.published()).qs
    sql, params = ids.values_list("pk", flat=True)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "action_published_title_fr_idx" in plan
    assert "Sort" not in plan


class TestDeepPages:
    @pytest.fixture
    def shallow(self, monkeypatch):
        """Page numbers reach the first 20 results: the first page."""
        monkeypatch.setattr(DeferredJoinPaginator, "max_depth", 20)

    def test_a_page_beyond_the_depth_is_refused_with_ways_to_narrow(
        self, client, shallow, django_assert_max_num_queries
    ):
        build_catalogue(25)
        with django_assert_max_num_queries(10):
            response = client.get(CATALOGUE, {"status": "ongoing", "sort": "title", "page": 2})

        assert response.status_code == 400
        said = (
            "Page trop lointaine",
            "la page 2 est au-delà",
            'href="/actions/?status=ongoing&amp;sort=title"',  # narrow the filters
            'href="?status=ongoing&amp;sort=title&amp;page=1"',  # the last page reached
            'href="/actions/export.csv?status=ongoing&amp;sort=title"',  # the selection's CSV
        )
        html = response.content.decode()
        assert [text for text in said if text not in html] == []

    def test_the_pages_reached_say_that_more_results_exist(self, client, shallow):
        build_catalogue(25)
        response = client.get(CATALOGUE)

        assert response.status_code == 200
        assert response.context["paginator"].count == 25
        assert response.context["paginator"].num_pages == 1
        assert "Les pages montrent les 20 premières actions de la sélection" in (
            response.content.decode()
        )

    def test_a_page_beyond_the_selection_is_still_not_found(self, client, shallow):
        build_catalogue(25)
        assert client.get(CATALOGUE, {"page": 3}).status_code == 404

    def test_within_the_depth_nothing_is_said(self, client):
        build_catalogue(25)
        second = client.get(CATALOGUE, {"page": 2})

        assert second.status_code == 200
        assert "Les pages montrent" not in second.content.decode()


def stored_files(settings) -> list[str]:
    directory = settings.EXPORT_CACHE_DIR
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


class TestWholeCatalogueCsv:
    def test_written_once_then_sent_from_its_file(self, client, settings):
        build_catalogue(7)
        first = client.get(CSV_URL)
        written = b"".join(first.streaming_content)
        assert len(stored_files(settings)) == 1

        with CaptureQueriesContext(connection) as captured:
            again = client.get(CSV_URL)
            sent = b"".join(again.streaming_content)

        assert sent == written
        assert len(list(csv.reader(io.StringIO(written.decode())))) == 1 + 7
        assert again["Content-Disposition"] == 'attachment; filename="fiches-action.csv"'
        assert again["Content-Type"] == "text/csv; charset=utf-8; header=present"
        assert not any('FROM "actions_action_themes"' in q["sql"] for q in captured)

    def test_each_form_and_sort_has_its_file(self, client, settings):
        build_catalogue(3)
        plain = b"".join(client.get(CSV_URL).streaming_content)
        excel = b"".join(client.get(EXCEL_URL).streaming_content)
        by_title = b"".join(client.get(CSV_URL, {"sort": "title"}).streaming_content)

        assert len(stored_files(settings)) == 3
        assert excel.startswith("\ufeff".encode())
        assert b"".join(client.get(EXCEL_URL).streaming_content) == excel
        assert b"".join(client.get(CSV_URL).streaming_content) == plain
        assert sorted(by_title.splitlines()[1:]) == sorted(plain.splitlines()[1:])

    def test_a_filtered_selection_is_never_stored(self, client, settings):
        build_catalogue(3)
        b"".join(client.get(CSV_URL, {"theme": "culture"}).streaming_content)

        assert stored_files(settings) == []

    def test_an_interrupted_download_leaves_no_file(self, tmp_path, rf):
        exports = StoredExports(tmp_path)
        path = exports.path(rf.get(CSV_URL), variant="newest", excel=False)
        sent = exports._kept(iter(["a,b\r\n", "c,d\r\n"]), path)
        next(sent)
        sent.close()  # the client went away

        assert list(tmp_path.iterdir()) == []

    def test_a_file_of_an_earlier_version_is_removed_by_the_next(self, tmp_path, rf):
        exports = StoredExports(tmp_path)
        (tmp_path / "0-0123.csv").write_text("old")  # versions start at 1
        path = exports.path(rf.get(CSV_URL), variant="newest", excel=False)

        list(exports._kept(iter(["a,b\r\n"]), path))

        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
        assert path.read_bytes() == b"a,b\r\n"


@pytest.mark.django_db(transaction=True)
def test_a_write_is_in_the_next_whole_catalogue_csv(client, settings):
    """The file is keyed by the catalogue version, which every committed write moves."""
    build_catalogue(2)
    before = b"".join(client.get(CSV_URL).streaming_content).decode()
    ActionFactory(title="Jardin partagé des Lilas", published=True)

    after = b"".join(client.get(CSV_URL).streaming_content).decode()

    assert "Jardin partagé des Lilas" not in before
    assert "Jardin partagé des Lilas" in after
    assert len(stored_files(settings)) == 1
