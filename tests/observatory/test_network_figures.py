"""« Le réseau en chiffres » on a federation's and a département's page: published sheets only,
the network's structures by kind, themes, funders, funding, years, and the map of the
territory; CSV of each figure; a fixed number of queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import resolve, reverse

from actions.enums import PartnerKind, PartnerRole
from observatory import views
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    build_catalogue,
    theme,
)
from tests.federations.factories import FederationFactory, StructureFactory, department
from tests.observatory.helpers import parse, tag
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


@shared_data(scope="class")
def network():
    """A federation of the 94 with structures in and out of its départements, published,
    draft, submitted and refused sheets, funding lines (built once per class)."""
    fd94 = FederationFactory(slug="fd-94", departments=[department("94")])
    plaine = StructureFactory(department=department("94"), federation=fd94)
    vitry = StructureFactory(department=department("94"), federation=fd94, evs=True)
    # A structure of the federation outside the départements it covers.
    paris = StructureFactory(department=department("75"), federation=fd94)
    StructureFactory(department=department("94"), federation=fd94, evs=True)  # publishes none
    StructureFactory(department=department("94"))  # another network
    caf = PartnerFactory(caf=True)
    ville = PartnerFactory(name="Ville de Vitry", slug="vitry", kind=PartnerKind.COMMUNE)
    sejour = ActionFactory(
        structure=plaine, published=True, year=2019, themes=[theme("vacances-loisirs")]
    )
    jardin = ActionFactory(
        structure=vitry,
        published=True,
        finished=True,
        year=2024,
        themes=[theme("vacances-loisirs"), theme("culture")],
    )
    ActionFactory(structure=paris, published=True, year=2021, themes=[theme("culture")])
    for hidden in ({}, {"submitted": True}, {"rejected": True}):
        draft = ActionFactory(structure=plaine, year=2030, themes=[theme("sante")], **hidden)
        FundingFactory(action=draft, funder=caf, amount=99_999)
    FundingFactory(action=sejour, funder=caf, amount=3000)
    FundingFactory(action=sejour, funder=ville, amount=500)
    FundingFactory(action=jardin, funder=caf, amount=1000)
    ActionPartnerFactory(action=jardin, partner=ville, role=PartnerRole.FINANCIAL)
    return fd94


def federation_page(client, query=""):
    response = client.get(f"{reverse('catalogue:federation_detail', args=['fd-94'])}?{query}")
    assert response.status_code == 200
    return response


def rows(response, slug) -> dict[str, tuple]:
    return {row.key: row.values for row in response.context["datasets"][slug].rows}


@pytest.mark.usefixtures("network")
class TestFederationPage:
    def test_the_catalogue_address_is_answered_with_the_figures(self, client, network):
        url = reverse("catalogue:federation_detail", args=["fd-94"])
        assert resolve(url).func.view_class is views.FederationFiguresView
        url = reverse("catalogue:department_detail", args=["94"])
        assert resolve(url).func.view_class is views.DepartmentFiguresView
        html = federation_page(client).content.decode()
        assert '<h2 class="h3 mb-0" id="titre-reseau-chiffres">Le réseau en chiffres</h2>' in html
        # The catalogue's page is still all there.
        assert "3 actions publiées" in html

    def test_only_published_sheets_count_anywhere(self, client, network):
        response = federation_page(client)
        html = response.content.decode()
        assert rows(response, "etat") == {"ongoing": (2,), "finished": (1,)}
        assert "sante" not in rows(response, "themes")
        assert "2030" not in html and "99\u202f999" not in html
        figures = {figure.label: figure.value for figure in response.context["key_figures"]}
        assert figures["actions publiées"] == "3"
        assert figures["années des actions"] == "2019 – 2024"

    def test_structures_by_kind_count_the_whole_network(self, client, network):
        response = federation_page(client)
        assert rows(response, "structures") == {
            "centre_social": (2, 2),
            "evs": (2, 1),
            "other": (0, 0),
        }
        figures = {figure.label: figure.value for figure in response.context["key_figures"]}
        assert figures["structures"] == "4"

    def test_themes_funders_and_funding(self, client, network):
        response = federation_page(client)
        assert rows(response, "themes") == {"vacances-loisirs": (2,), "culture": (2,)}
        funding = rows(response, "financements")
        assert funding["caf"] == (Decimal("4000.00"), Decimal("2000.00"), 2)
        assert funding["collectivites"] == (Decimal("500.00"), Decimal("500.00"), 1)
        assert funding["etat"] == (Decimal("0.00"), None, 0)
        # Funders by sheets funded: a financial partnership counts, as in the catalogue.
        assert rows(response, "financeurs") == {"caf": (2,), "vitry": (2,)}
        funders = response.context["datasets"]["financeurs"]
        assert funders.rows[0].href == "/actions/?federation=fd-94&funder=caf"
        figures = {figure.label: figure.value for figure in response.context["key_figures"]}
        assert figures["de financements déclarés"] == "4\u202f500 €"
        # Two funded sheets, 3,500 € and 1,000 €: the mean of the two.
        assert figures["médiane par fiche financée"] == "2\u202f250 €"

    def test_the_map_is_the_territory(self, client, network):
        response = federation_page(client)
        assert response.context["territory"] == ["75", "94"]
        html = response.content.decode()
        start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="choropleth"')
        svg = parse(html[start : html.index("</svg>", start) + len("</svg>")])
        links = {a.get("data-code"): a.get("href") for a in svg.iter(tag("a"))}
        assert links == {"75": "/departements/75/", "94": "/departements/94/"}
        assert rows(response, "departements") == {"75": (1,), "94": (2,)}

    def test_the_same_selection_in_the_observatory(self, client, network):
        html = federation_page(client).content.decode()
        assert 'href="/observatoire/?federation=fd-94">' in html
        observatory = client.get(reverse("observatory:index"), {"federation": "fd-94"})
        assert rows(observatory, "themes") == rows(federation_page(client), "themes")

    def test_each_figure_as_csv(self, client, network):
        response = federation_page(client, "csv=financeurs")
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert table == [["Financeur", "Fiches financées"], ["Caf", "2"], ["Ville de Vitry", "2"]]
        assert federation_page(client, "page=1").status_code == 200
        assert client.get("/federations/fd-94/?csv=inconnu").status_code == 404

    def test_an_unknown_federation_is_still_not_found(self, client):
        assert client.get(reverse("catalogue:federation_detail", args=["x"])).status_code == 404


@pytest.mark.usefixtures("network")
class TestDepartmentPage:
    def test_the_map_is_the_region_with_the_published_sheets_of_each(self, client, network):
        ActionFactory(structure=StructureFactory(department=department("93")), published=True)
        response = client.get(reverse("catalogue:department_detail", args=["94"]))
        territory = response.context["territory"]
        assert territory == ["75", "77", "78", "91", "92", "93", "94", "95"]
        values = rows(response, "departements")
        assert values["94"] == (2,) and values["93"] == (1,) and values["75"] == (1,)
        assert values["77"] == (0,)

    def test_figures_of_the_departement(self, client, network):
        response = client.get(reverse("catalogue:department_detail", args=["94"]))
        assert rows(response, "etat") == {"ongoing": (1,), "finished": (1,)}
        # Every structure of the département, the other network's included.
        assert rows(response, "structures")["centre_social"] == (2, 1)
        assert 'href="/observatoire/?departement=94">' in response.content.decode()


class TestQueryCount:
    """The figures of a network page cost the same queries with 5 sheets as with 60 (on the
    facet index on PostgreSQL, by grouped queries elsewhere)."""

    @pytest.mark.parametrize("count", [5, 60])
    def test_the_federation_and_departement_pages(
        self, client, django_assert_max_num_queries, count
    ):
        federation = FederationFactory(slug="fd-94", departments=[department("94")])
        structures = [
            StructureFactory(department=department("94"), federation=federation),
            StructureFactory(department=department("75"), federation=federation, evs=True),
        ]
        build_catalogue(count, structures=structures)
        urls = [
            reverse("catalogue:federation_detail", args=["fd-94"]),
            reverse("catalogue:department_detail", args=["94"]),
        ]
        most = 13 if connection.vendor == "postgresql" else 18
        for url in urls:
            with django_assert_max_num_queries(most):
                response = client.get(url)
            assert response.status_code == 200
            assert response.context["datasets"]["themes"].rows
