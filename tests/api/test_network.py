"""The network and the vocabularies: structures, federations, départements, régions,
partners and one list per vocabulary, with their published sheets counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Public, Theme
from tests.actions.factories import ActionFactory, PartnerFactory, build_catalogue, theme
from tests.api.conftest import read_all
from tests.catalogue.unpublished import leaked, unpublished_sheets
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def network():
    federation = FederationFactory(
        name="Fédération du Val-de-Marne",
        slug="fd-94",
        departments=[department("94")],
        email="contact@fd94.example.org",
        website="https://fd94.example.org",
    )
    elan = StructureFactory(
        name="Élan",
        slug="elan",
        department=department("94"),
        federation=federation,
        address="1 rue de la Paix",
        siret="12345678900011",
        email="direction@elan.example.org",
    )
    lone = StructureFactory(name="Seule", slug="seule", department=department("2A"), evs=True)
    ActionFactory(structure=elan, published=True, themes=[theme("culture")])
    ActionFactory(structure=elan, published=True, themes=[theme("culture"), theme("sante")])
    return elan, lone, federation


class TestStructures:
    def test_every_structure_with_its_place_federation_and_published_sheets(self, client, network):
        items = read_all(client, f"{API}structures/")
        assert [s["slug"] for s in items] == ["elan", "seule"]
        elan = items[0]
        assert elan["action_count"] == 2
        assert elan["departement"] == {"code": "94", "name": "Val-de-Marne"}
        assert elan["region"] == {"code": "11", "name": "Île-de-France"}
        assert elan["federation"]["slug"] == "fd-94"
        assert elan["address"] == "1 rue de la Paix" and elan["siret"] == "12345678900011"
        assert items[1]["kind"] == {"slug": "evs", "label": "Espace de vie sociale"}
        assert items[1]["federation"] is None and items[1]["action_count"] == 0

    def test_no_email_address_is_published(self, client, network):
        for url in (f"{API}structures/", f"{API}structures/elan/", f"{API}federations/"):
            assert "@" not in client.get(url).content.decode(), url

    def test_pages_of_structures_follow_their_slugs(self, client, db):
        for n in range(7):
            StructureFactory(slug=f"centre-{n}")
        items = read_all(client, f"{API}structures/", {"limit": 3})
        assert [s["slug"] for s in items] == [f"centre-{n}" for n in range(7)]

    def test_a_structure_and_a_404_problem(self, client, network):
        assert client.get(f"{API}structures/elan/").json()["action_count"] == 2
        response = client.get(f"{API}structures/inconnue/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    def test_unpublished_sheets_are_not_counted(self, client, network):
        elan, *_ = network
        unpublished_sheets(elan)
        assert client.get(f"{API}structures/elan/").json()["action_count"] == 2


class TestTerritoriesAndFederations:
    def test_federations_with_their_departements_and_sheets(self, client, network):
        (federation,) = client.get(f"{API}federations/").json()
        assert federation["slug"] == "fd-94"
        assert federation["departements"] == [{"code": "94", "name": "Val-de-Marne"}]
        assert federation["website"] == "https://fd94.example.org"
        assert federation["action_count"] == 2
        assert "email" not in federation

    def test_every_departement_and_region_with_its_insee_code(self, client, network):
        departements = client.get(f"{API}departements/").json()
        assert len(departements) == 101
        val_de_marne = next(d for d in departements if d["code"] == "94")
        assert val_de_marne["action_count"] == 2
        assert val_de_marne["region"] == {"code": "11", "name": "Île-de-France"}
        assert val_de_marne["url"] == "http://testserver/departements/94/"
        regions = client.get(f"{API}regions/").json()
        assert len(regions) == 18
        assert next(r for r in regions if r["code"] == "11")["action_count"] == 2


class TestVocabularies:
    @pytest.mark.parametrize(
        "name", ["themes", "publics", "dimensions", "initiatives", "territoires"]
    )
    def test_each_vocabulary_of_the_published_format_has_its_list(self, client, db, name):
        entries = client.get(f"{API}{name}/").json()
        assert entries and all(
            set(e) == {"slug", "label", "position", "action_count"} for e in entries
        )

    def test_themes_in_their_order_with_published_sheets_counted(self, client, network):
        themes = client.get(f"{API}themes/").json()
        assert [t["slug"] for t in themes] == list(Theme.objects.values_list("slug", flat=True))
        counts = {t["slug"]: t["action_count"] for t in themes}
        assert counts["culture"] == 2 and counts["sante"] == 1 and counts["parentalite"] == 0
        assert len(client.get(f"{API}publics/").json()) == Public.objects.count()


class TestPartners:
    def test_no_partner_private_to_a_federation(self, client, network):
        elan, *_ = network
        secrets = unpublished_sheets(elan)
        PartnerFactory(name="Jamais nommé", slug="jamais-nomme", private_to=FederationFactory())
        named = PartnerFactory(name="Nommé", slug="nomme")
        ActionFactory(structure=elan, published=True).fundings.create(funder=named, amount=10)
        response = client.get(f"{API}partners/")
        assert [p["slug"] for p in response.json()["results"]] == ["nomme"]
        assert leaked(response.content.decode(), secrets) == []


def test_each_list_costs_the_same_queries_for_5_and_60_sheets(client):
    lists = ["structures/", "federations/", "departements/", "regions/", "themes/", "partners/"]
    structures = [action.structure for action in build_catalogue(5)]

    def queries():
        counts = []
        for name in lists:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{API}{name}").status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    StructureFactory.create_batch(20, federation=structures[0].federation)
    build_catalogue(55, structures=structures[:3])
    assert queries() == few
    assert max(few) <= 3
