"""What crawlers and feed readers read: the Atom feed of a catalogue selection, sitemap.xml
and robots.txt."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.actions.factories import ActionFactory, build_catalogue, theme
from tests.catalogue.unpublished import leaked, unpublished_sheets
from tests.federations.factories import FederationFactory, StructureFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED = reverse("opendata:feed")


def feed_entries(client, params=None) -> tuple[ET.Element, list[str]]:
    response = client.get(FEED, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root, [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


class TestFeed:
    def test_the_newest_published_sheets_of_the_selection_first(self, client, db):
        now = timezone.now()
        ActionFactory(
            title="Ancienne",
            published=True,
            themes=[theme("culture")],
            published_at=now - timezone.timedelta(days=9),
        )
        ActionFactory(title="Récente", published=True, themes=[theme("culture")], published_at=now)
        ActionFactory(title="Autre thème", published=True, themes=[theme("sante")])
        root, titles = feed_entries(client, {"theme": "culture", "sort": "title"})
        assert titles == ["Récente", "Ancienne"]
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert links["self"] == "http://testserver/actions/feed/?theme=culture"
        assert links["alternate"] == "http://testserver/actions/?theme=culture"

    def test_an_entry_has_its_page_dates_structure_and_themes(self, client, db):
        structure = StructureFactory(name="Centre Élan")
        ActionFactory(
            title="Séjour",
            slug="sejour",
            structure=structure,
            published=True,
            summary="Un séjour.",
            themes=[theme("culture")],
        )
        root, _ = feed_entries(client)
        entry = next(root.iter(f"{ATOM}entry"))
        assert entry.find(f"{ATOM}id").text == "http://testserver/actions/sejour/"
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "Centre Élan"
        assert entry.find(f"{ATOM}published") is not None
        assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == ["Culture"]

    def test_no_unpublished_sheet_in_the_feed(self, client, db):
        ActionFactory(title="Publiée", published=True, themes=[theme("vacances-loisirs")])
        secrets = unpublished_sheets(StructureFactory())
        response = client.get(FEED, {"theme": "vacances-loisirs"})
        assert leaked(response.content.decode(), secrets) == []
        assert feed_entries(client, {"theme": "vacances-loisirs"})[1] == ["Publiée"]

    def test_the_catalogue_page_announces_the_feed_of_its_selection(self, client, db):
        html = client.get(reverse("catalogue:action_list"), {"theme": "culture"}).content.decode()
        assert 'type="application/atom+xml"' in html
        assert 'href="/actions/feed/?theme=culture"' in html

    def test_the_feed_costs_the_same_queries_for_5_and_60_sheets(self, client, db):
        structures = [action.structure for action in build_catalogue(5)]

        def queries():
            with CaptureQueriesContext(connection) as captured:
                client.get(FEED, {"theme": "culture"})
            return len(captured)

        few = queries()
        build_catalogue(55, structures=structures[:3])
        assert queries() == few <= 3


def locations(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


class TestSitemap:
    def test_the_index_lists_a_sitemap_per_kind_of_page(self, client, db):
        sections = locations(client, "/sitemap.xml")
        assert sections == [
            f"http://testserver/sitemap-{name}.xml"
            for name in ("pages", "actions", "structures", "departements", "federations")
        ]

    def test_every_public_page_and_no_unpublished_sheet(self, client, db):
        federation = FederationFactory(slug="fd-94")
        published = ActionFactory(slug="publiee", published=True, structure__federation=federation)
        secrets = unpublished_sheets(published.structure)
        sheets = locations(client, "/sitemap-actions.xml")
        assert sheets == ["http://testserver/actions/publiee/"]
        assert leaked(client.get("/sitemap-actions.xml").content.decode(), secrets) == []
        assert f"http://testserver/structures/{published.structure.slug}/" in locations(
            client, "/sitemap-structures.xml"
        )
        assert "http://testserver/departements/2A/" in locations(
            client, "/sitemap-departements.xml"
        )
        assert locations(client, "/sitemap-federations.xml") == [
            "http://testserver/federations/fd-94/"
        ]
        pages = locations(client, "/sitemap-pages.xml")
        assert {
            "http://testserver/",
            "http://testserver/donnees/",
            "http://testserver/api/v1/docs",
        } <= set(pages)

    def test_sheets_come_in_pages_of_bounded_size(self, client, db, monkeypatch):
        monkeypatch.setattr("opendata.sitemaps.SheetsSitemap.limit", 2)
        for n in range(5):
            ActionFactory(slug=f"fiche-{n}", published=True)
        index = locations(client, "/sitemap.xml")
        assert index.count("http://testserver/sitemap-actions.xml") == 1
        assert "http://testserver/sitemap-actions.xml?p=3" in index
        pages = [locations(client, f"/sitemap-actions.xml?p={p}") for p in (1, 2, 3)]
        assert [len(page) for page in pages] == [2, 2, 1]
        assert client.get("/sitemap-actions.xml?p=4").status_code == 404

    def test_each_sitemap_costs_the_same_queries_for_5_and_60_sheets(self, client, db):
        structures = [action.structure for action in build_catalogue(5)]
        urls = ["/sitemap.xml", *(f"/sitemap-{name}.xml" for name in ("actions", "structures"))]

        def queries():
            counts = []
            for url in urls:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counts.append(len(captured))
            return counts

        few = queries()
        build_catalogue(55, structures=structures[:3])
        assert queries() == few

    def test_a_sheet_has_its_last_modification(self, client, db):
        ActionFactory(slug="fiche", published=True)
        root = ET.fromstring(client.get("/sitemap-actions.xml").content)
        assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod") is not None


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for private in ("/admin/", "/espace/", "/comptes/", "/actions/?", "/api/"):
        assert f"Disallow: {private}" in lines
    assert "Allow: /api/v1/docs" in lines
