"""The public catalogue (/actions/) on catalogues of their own size: pages of twenty, and the
same number of queries for few or many sheets (test_catalogue.py: the rest, on one catalogue)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.actions.factories import build_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CATALOGUE = reverse("catalogue:action_list")


class TestPaginationAndSort:
    def test_twenty_results_a_page_and_links_keep_the_filters(self, client):
        build_catalogue(25)
        response = client.get(CATALOGUE, {"departement": ["94", "31", "2A"], "sort": "title"})
        assert len(response.context["object_list"]) == 20
        assert response.context["paginator"].count == 25
        html = response.content.decode()
        assert (
            'href="?departement=94&amp;departement=31&amp;departement=2A&amp;sort=title&amp;page=2"'
            in html
        )
        second = client.get(
            CATALOGUE, {"departement": ["94", "31", "2A"], "sort": "title", "page": 2}
        )
        assert len(second.context["object_list"]) == 5
        assert "Page 2 sur 2" in second.content.decode()


def _catalogue_queries(client, query: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(CATALOGUE, query).status_code == 200
    return len(captured)


class TestQueryCount:
    def test_catalogue_costs_the_same_queries_for_5_and_60_sheets(self, client):
        actions = build_catalogue(5)
        queries = [
            {},
            {"theme": ["parentalite", "culture"], "departement": ["94", "2A"], "sort": "title"},
            {"q": "séjour", "funder": "caf", "status": "ongoing", "year_min": "2016"},
            {"structure": actions[0].structure.slug, "region": "11", "public": "familles"},
            {
                "federation": actions[0].structure.federation.slug,
                "page": "1",
                "sort": "departement",
            },
        ]
        few = [_catalogue_queries(client, query) for query in queries]
        build_catalogue(55, structures=[action.structure for action in actions[:3]])
        many = [_catalogue_queries(client, query) for query in queries]
        assert many == few
        assert max(few) <= 15
