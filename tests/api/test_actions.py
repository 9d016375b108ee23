"""GET /api/v1/actions/ and /api/v1/actions/{slug}/: the catalogue's selections, every section
of a sheet, keyset pagination, published sheets only, a fixed number of queries."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.enums import PartnerRole
from actions.models import Action
from catalogue.records import parts
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    AttachmentFactory,
    FundingFactory,
    PartnerFactory,
    build_catalogue,
    dimension,
    public,
    territory,
    theme,
)
from tests.api.conftest import read_all
from tests.catalogue.unpublished import leaked, unpublished_sheets
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/actions/"
CATALOGUE = reverse("catalogue:action_list")


def catalogue_slugs(client, query: str) -> list[str]:
    """The slugs the catalogue page lists for ``query``, every page, in its order."""
    slugs, page = [], 1
    while True:
        response = client.get(f"{CATALOGUE}?{query}&page={page}")
        slugs += [action.slug for action in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return slugs
        page += 1


class TestTheCatalogueSelections:
    def test_a_theme_gives_the_same_eleven_sheets_as_the_catalogue(self, client, sample):
        response = client.get(ACTIONS, {"theme": "vacances-loisirs", "limit": 100})
        body = response.json()
        assert body["count"] == 11
        assert [item["slug"] for item in body["results"]] == catalogue_slugs(
            client, "theme=vacances-loisirs"
        )

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "departement=94",
            "theme=parentalite&theme=vacances-loisirs",
            "theme=vacances-loisirs&public=seniors",
            "region=11",
            "federation=federation-des-centres-sociaux-du-val-de-marne",
            "funder=caf",
            "status=finished",
            "dimension=citoyennete&territoire=une-commune",
            "initiative=un-groupe-dhabitants",
            "year_min=2018",
            "q=BARCELONE&theme=vacances-loisirs",
            "q=sejour&sort=relevance",
            "sort=title",
            "sort=departement",
            "theme=vacances-loisirs&theme=pas-un-slug!&year_max=deux-mille",
        ],
    )
    def test_every_filter_and_sort_lists_what_the_catalogue_lists(self, client, sample, query):
        items = read_all(client, f"{ACTIONS}?{query}&limit=4")
        assert [item["slug"] for item in items] == catalogue_slugs(client, query)

    def test_malformed_values_are_ignored_like_the_catalogue_and_reported(self, client, sample):
        body = client.get(ACTIONS, {"theme": "vacances-loisirs", "year_min": "vingt"}).json()
        assert body["count"] == 11
        assert list(body["ignored"]) == ["year_min"]


@pytest.fixture
def sejour():
    federation = FederationFactory(name="Fédération du Val-de-Marne", slug="fd-94")
    structure = StructureFactory(
        name="Centre social Élan",
        slug="elan",
        department=department("94"),
        federation=federation,
        commune="Ivry-sur-Seine",
        postcode="94200",
    )
    action = ActionFactory(
        title="Séjour à Barcelone",
        slug="sejour-a-barcelone",
        structure=structure,
        published=True,
        finished=True,
        dimension=dimension("citoyennete"),
        territory_scale=territory("un-quartier"),
        themes=[theme("vacances-loisirs"), theme("culture")],
        publics=[public("jeunesse")],
        total_budget=Decimal("6000.00"),
        volunteer_count=5,
        year=2023,
    )
    caf = PartnerFactory(caf=True)
    FundingFactory(action=action, funder=caf, amount=Decimal("3000.50"), year=2023, note="CLAS")
    FundingFactory(action=action, funder=PartnerFactory(name="Ville", slug="ville"), amount=1500)
    ActionPartnerFactory(action=action, partner=PartnerFactory(name="ANCV", slug="ancv"))
    ActionPartnerFactory(action=action, partner=caf, role=PartnerRole.FINANCIAL)
    AttachmentFactory(action=action, title="Programme", content_type="application/pdf")
    return action


class TestASheet:
    def test_every_part_of_the_published_format_in_its_order(self, client, sejour):
        item = client.get(f"{ACTIONS}sejour-a-barcelone/").json()
        assert list(item) == [part.name for part in parts()]

    def test_vocabularies_are_slugs_and_labels_and_places_are_codes_and_names(self, client, sejour):
        item = client.get(f"{ACTIONS}sejour-a-barcelone/").json()
        assert item["url"] == "http://testserver/actions/sejour-a-barcelone/"
        assert item["status"] == {"slug": "finished", "label": "Terminée"}
        assert item["dimension"] == {"slug": "citoyennete", "label": "Citoyenneté"}
        assert item["territory_scale"] == {"slug": "un-quartier", "label": "Un quartier"}
        assert item["themes"] == [
            {"slug": "vacances-loisirs", "label": "Vacances / loisirs"},
            {"slug": "culture", "label": "Culture"},
        ]
        assert item["publics"] == [{"slug": "jeunesse", "label": "Jeunesse"}]
        assert item["structure"] == {
            "slug": "elan",
            "name": "Centre social Élan",
            "url": "http://testserver/structures/elan/",
            "kind": {"slug": "centre_social", "label": "Centre social"},
            "commune": "Ivry-sur-Seine",
            "postcode": "94200",
            "departement": {"code": "94", "name": "Val-de-Marne"},
            "region": {"code": "11", "name": "Île-de-France"},
            "federation": {
                "slug": "fd-94",
                "name": "Fédération du Val-de-Marne",
                "url": "http://testserver/federations/fd-94/",
            },
        }

    def test_partners_files_numbers_and_funding_lines_with_their_total(self, client, sejour):
        item = client.get(f"{ACTIONS}sejour-a-barcelone/").json()
        assert [(p["slug"], p["role"]["slug"]) for p in item["partners"]] == [
            ("ancv", "action"),
            ("caf", "financial"),
        ]
        (attachment,) = item["attachments"]
        assert attachment["title"] == "Programme"
        assert attachment["url"].startswith("http://testserver/fichiers/")
        assert item["total_budget"] == 6000.0
        assert item["volunteer_count"] == 5
        assert item["staff_count"] is None
        assert item["year"] == 2023
        assert [(line["funder"]["slug"], line["amount"]) for line in item["fundings"]] == [
            ("caf", 3000.5),
            ("ville", 1500.0),
        ]
        assert item["fundings"][0]["year"] == 2023 and item["fundings"][0]["note"] == "CLAS"
        assert item["funding_total"] == 4500.5

    def test_labels_are_in_the_published_language_whatever_the_client_asks(self, client, sejour):
        item = client.get(f"{ACTIONS}sejour-a-barcelone/", HTTP_ACCEPT_LANGUAGE="en").json()
        assert item["status"]["label"] == "Terminée"

    def test_the_list_and_the_sheet_give_the_same_record(self, client, sejour):
        (listed,) = client.get(ACTIONS).json()["results"]
        assert listed == client.get(f"{ACTIONS}sejour-a-barcelone/").json()

    def test_an_unknown_sheet_is_a_404_problem(self, client, db):
        response = client.get(f"{ACTIONS}rien-ici/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


class TestOnlyPublishedData:
    def test_no_unpublished_sheet_partner_funder_or_person_in_the_list(self, client, sejour):
        secrets = unpublished_sheets(sejour.structure)
        response = client.get(ACTIONS, {"theme": "vacances-loisirs", "limit": 100})
        assert [item["slug"] for item in response.json()["results"]] == ["sejour-a-barcelone"]
        assert response.json()["count"] == 1
        assert leaked(response.content.decode(), secrets) == []

    def test_an_unpublished_sheet_is_not_found(self, client, sejour):
        secrets = unpublished_sheets(sejour.structure)
        for sheet in secrets.sheets:
            assert client.get(f"{ACTIONS}{sheet.slug}/").status_code == 404

    def test_a_sheet_sent_back_to_draft_leaves_the_api(self, client, sejour):
        Action.objects.filter(pk=sejour.pk).update(publication_status="draft")
        assert client.get(ACTIONS).json()["results"] == []
        assert client.get(f"{ACTIONS}sejour-a-barcelone/").status_code == 404


def cursor_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


class TestKeysetPagination:
    @pytest.fixture
    def twelve(self):
        structures = [StructureFactory(department=department(code)) for code in ("01", "94", "2A")]
        base = timezone.now()
        return [
            ActionFactory(
                title=f"Fiche {chr(ord('A') + (n * 5) % 12)}{n}",
                structure=structures[n % 3],
                published=True,
                # Two sheets per publication instant: ties broken by the primary key.
                published_at=base - timezone.timedelta(hours=n // 2),
            )
            for n in range(12)
        ]

    @pytest.mark.parametrize("sort", ["newest", "title", "departement"])
    def test_pages_follow_the_catalogue_order_without_gap_or_repeat(self, client, twelve, sort):
        items = read_all(client, ACTIONS, {"sort": sort, "limit": 5})
        assert [i["slug"] for i in items] == catalogue_slugs(client, f"sort={sort}")
        assert len({i["slug"] for i in items}) == 12

    def test_a_sheet_published_while_reading_neither_shifts_nor_repeats_a_page(
        self, client, twelve
    ):
        first = client.get(ACTIONS, {"limit": 5}).json()
        ActionFactory(title="Toute nouvelle", slug="toute-nouvelle", published=True)
        rest = read_all(client, first["next"])
        slugs = [i["slug"] for i in first["results"] + rest]
        assert "toute-nouvelle" not in slugs  # newer than the cursor: before it, not after
        assert sorted(slugs) == sorted(a.slug for a in twelve)

    def test_relevance_pages_cover_the_whole_search(self, client, twelve):
        items = read_all(client, ACTIONS, {"q": "fiche", "limit": 5})
        assert [i["slug"] for i in items] == catalogue_slugs(client, "q=fiche")
        assert len(items) == 12

    def test_the_last_page_has_no_next(self, client, twelve):
        body = client.get(ACTIONS, {"limit": 12}).json()
        assert len(body["results"]) == 12 and body["next"] is None

    @pytest.mark.parametrize("cursor", ["abc", "!!", "eyJvIjogMX0", "e30"])
    def test_a_cursor_this_api_did_not_make_is_a_400_problem(self, client, twelve, cursor):
        response = client.get(ACTIONS, {"cursor": cursor})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 400

    def test_a_cursor_of_another_sort_is_refused(self, client, twelve):
        cursor = cursor_of(client.get(ACTIONS, {"limit": 5, "sort": "title"}).json()["next"])
        assert client.get(ACTIONS, {"cursor": cursor, "sort": "newest"}).status_code == 400

    @pytest.mark.parametrize("limit", ["0", "101", "beaucoup"])
    def test_a_page_size_out_of_bounds_is_a_400_problem(self, client, db, limit):
        response = client.get(ACTIONS, {"limit": limit})
        assert response.status_code == 400
        assert response.json()["errors"][0]["parameter"] == "limit"


def test_the_list_costs_the_same_queries_for_5_and_60_sheets(client, django_assert_max_num_queries):
    structures = [action.structure for action in build_catalogue(5)]

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACTIONS, params).status_code == 200
        return len(captured)

    selections = [{"limit": 100}, {"theme": "culture", "sort": "title"}, {"q": "séjour"}]
    few = [queries(params) for params in selections]
    build_catalogue(55, structures=structures[:3])
    assert [queries(params) for params in selections] == few
    # 10 with the catalogue version (the list's Last-Modified).
    with django_assert_max_num_queries(10):
        client.get(ACTIONS, {"limit": 100})
