"""GET /api/v1/facets/: the counts of the catalogue's sidebar, for any selection."""

import pytest
from django.urls import reverse

from federations.models import Federation
from tests.catalogue.unpublished import leaked, unpublished_sheets
from tests.federations.factories import StructureFactory

pytestmark = pytest.mark.django_db

FACETS = "/api/v1/facets/"
CATALOGUE = reverse("catalogue:action_list")

SELECTIONS = [
    "",
    "theme=vacances-loisirs",
    "theme=vacances-loisirs&departement=94",
    "theme=parentalite&theme=vacances-loisirs",
    "public=seniors&status=ongoing",
    "region=11",
    "funder=caf",
    "dimension=citoyennete&territoire=une-commune",
    "q=séjour&year_min=2018",
    "federation=federation-des-centres-sociaux-du-val-de-marne&initiative=le-centre-social",
]


def sidebar(client, query: str) -> tuple[int, list]:
    response = client.get(f"{CATALOGUE}?{query}")
    facets = [
        {
            "name": facet.name,
            "label": str(facet.label),
            "options": [
                {"value": o.value, "label": o.label, "count": o.count, "selected": o.selected}
                for o in facet.options
            ],
        }
        for facet in response.context["filter"].facets
    ]
    return response.context["paginator"].count, facets


@pytest.mark.usefixtures("sample")
class TestTheSample:
    def test_ten_selections_count_as_the_catalogue_sidebar(self, client, sample):
        for query in SELECTIONS:
            body = client.get(f"{FACETS}?{query}").json()
            count, facets = sidebar(client, query)
            assert body["count"] == count, query
            assert body["facets"] == facets, query

    def test_the_facets_of_the_whole_catalogue(self, client, sample):
        body = client.get(FACETS).json()
        themes = next(facet for facet in body["facets"] if facet["name"] == "theme")
        assert body["count"] == 22
        assert {o["value"]: o["count"] for o in themes["options"]}["vacances-loisirs"] == 11

    def test_unpublished_sheets_and_their_partners_are_never_counted(self, client, sample):
        before = client.get(FACETS).content
        # A structure of a federation already listed: every federation is an option, 0 included
        # (a new one would be listed with 0, which is public data, not a leak).
        federation = Federation.objects.order_by("pk").first()
        secrets = unpublished_sheets(StructureFactory(federation=federation))
        response = client.get(FACETS, {"theme": "vacances-loisirs"})
        assert response.json()["count"] == 11
        assert client.get(FACETS).content == before
        assert leaked(response.content.decode(), secrets) == []

    def test_the_facets_cost_a_fixed_number_of_queries(
        self, client, sample, django_assert_max_num_queries
    ):
        # 13 with the catalogue version (the answer's Last-Modified).
        with django_assert_max_num_queries(13):
            client.get(FACETS, {"theme": "vacances-loisirs", "q": "séjour"})
