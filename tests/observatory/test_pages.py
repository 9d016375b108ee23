"""The observatory's page: the catalogue's selection on a map and in charts, each with its
table and CSV; exact after every write; a fixed number of queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from actions.models import Action, Funding
from catalogue.filters import ActionFilterSet
from federations.models import Department
from tests.actions.factories import ActionFactory, build_catalogue, theme
from tests.federations.factories import StructureFactory, department
from tests.observatory.helpers import parse, tag
from tests.sample import load_sample
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

OBSERVATORY = reverse("observatory:index")
CATALOGUE = reverse("catalogue:action_list")


@shared_data(scope="class")
def sample():
    load_sample()


def get(client, query=""):
    response = client.get(f"{OBSERVATORY}?{query}")
    assert response.status_code == 200
    return response


def map_values(response) -> dict[str, int]:
    return {row.key: row.values[0] for row in response.context["map"].rows}


def rows(response, slug) -> dict[str, tuple]:
    return {row.key: row.values for row in response.context["datasets"][slug].rows}


def catalogue_count(client, query: str) -> int:
    return client.get(f"{CATALOGUE}?{query}").context["paginator"].count


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.usefixtures("sample")
class TestAcceptanceOnTheSampleData:
    def test_the_map_value_of_every_departement_is_the_catalogue_count(self, client, sample):
        values = map_values(get(client))
        codes = list(Department.objects.values_list("code", flat=True))
        assert sorted(values) == sorted(codes) and len(codes) == 101
        for code in codes:
            assert values[code] == catalogue_count(client, f"departement={code}"), code
        assert sum(values.values()) == 22

    def test_within_a_theme_too(self, client, sample):
        values = map_values(get(client, "theme=vacances-loisirs"))
        for code in Department.objects.values_list("code", flat=True):
            query = QueryDict(f"theme=vacances-loisirs&departement={code}")
            selection = ActionFilterSet(data=query, queryset=Action.objects.catalogue())
            assert values[code] == selection.qs.count(), code
        assert sum(values.values()) == 11

    def test_the_funding_totals_are_the_sums_of_the_funding_lines(self, client, sample):
        funding = rows(get(client), "financements")
        lines = Funding.objects.filter(action__publication_status="published")
        assert sum(total for total, _median, _sheets in funding.values()) == sum(
            lines.values_list("amount", flat=True)
        )
        assert funding["caf"][0] == sum(
            lines.filter(funder__kind="caf").values_list("amount", flat=True)
        )


class TestTheSelection:
    @pytest.fixture
    def sheets(self):
        paris = StructureFactory(department=department("75"))
        evs = StructureFactory(department=department("94"), evs=True)
        ActionFactory(
            structure=paris, published=True, year=2021, themes=[theme("culture"), theme("sante")]
        )
        ActionFactory(structure=paris, published=True, year=2023, themes=[theme("culture")])
        ActionFactory(structure=evs, published=True, year=2023, themes=[theme("sante")])
        ActionFactory(structure=evs, year=2023, themes=[theme("culture")])  # a draft
        ActionFactory(structure=evs, submitted=True, themes=[theme("culture")])
        ActionFactory(structure=evs, rejected=True, themes=[theme("culture")])

    def test_only_published_sheets_are_counted(self, client, sheets):
        response = get(client)
        assert map_values(response)["94"] == 1
        assert rows(response, "themes") == {"culture": (2,), "sante": (2,)}
        assert rows(response, "annees") == {"2021": (1,), "2022": (0,), "2023": (2,)}

    def test_the_charts_describe_the_selection_itself(self, client, sheets):
        response = get(client, "theme=culture")
        # Within "culture": the santé bar counts the sheets with both themes.
        assert rows(response, "themes") == {"culture": (2,), "sante": (1,)}
        assert map_values(response)["75"] == 2 and map_values(response)["94"] == 0
        assert rows(response, "structures") == {
            "centre_social": (1, 2),
            "evs": (0, 0),
            "other": (0, 0),
        }

    def test_a_departement_filter_leaves_the_others_at_zero(self, client, sheets):
        values = map_values(get(client, "departement=94"))
        assert values["94"] == 1
        assert values["75"] == 0

    def test_counts_follow_a_publication_at_once(self, client, sheets):
        before = map_values(get(client))["2A"]
        ActionFactory(structure=StructureFactory(department=department("2A")), published=True)
        assert map_values(get(client))["2A"] == before + 1

    def test_the_key_figures(self, client, sheets):
        figures = [(figure.value, figure.label) for figure in get(client).context["key_figures"]]
        assert figures[:3] == [
            ("3", "actions publiées"),
            ("2", "structures"),
            ("2", "départements"),
        ]
        assert figures[3][0] == "0"  # federations
        assert figures[-1] == ("2021 – 2023", "années des actions")


@pytest.mark.usefixtures("sample")
class TestThePage:
    def test_the_sidebar_the_chips_and_the_switch_to_the_list(self, client, sample):
        response = get(client, "theme=vacances-loisirs&sort=title")
        html = response.content.decode()
        assert f'action="{OBSERVATORY}"' in html
        assert 'name="theme" value="vacances-loisirs" checked>' in html
        assert f'href="{CATALOGUE}?theme=vacances-loisirs&amp;sort=title"' in html
        assert f'href="{OBSERVATORY}">Tout effacer</a>' in html
        assert '<input type="hidden" name="sort" value="title">' in html

    def test_the_catalogue_links_to_the_observatory_of_the_same_selection(self, client, sample):
        html = client.get(CATALOGUE, {"theme": "culture", "page": "1"}).content.decode()
        assert f'href="{OBSERVATORY}?theme=culture">' in html

    def test_a_map_every_chart_a_table_and_a_csv_link(self, client, sample):
        response = get(client, "theme=vacances-loisirs")
        html = response.content.decode()
        datasets = response.context["datasets"]
        assert list(datasets) == [
            "departements",
            "annees",
            "themes",
            "publics",
            "dimensions",
            "financements",
            "structures",
            "federations",
        ]
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="choropleth"') == 1
        for slug in datasets:
            assert f'id="tableau-{slug}"' in html
            assert f'href="?theme=vacances-loisirs&amp;csv={slug}" download' in html
            if slug != "departements":
                assert f'id="graphique-{slug}"' in html
        assert "Fond de carte : <a" in html and "pygal_maps_fr" in html

    def test_the_map_links_every_departement_to_its_page(self, client, sample):
        html = get(client).content.decode()
        start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="choropleth"')
        svg = parse(html[start : html.index("</svg>", start) + len("</svg>")])
        links = {a.get("data-code"): a.get("href") for a in svg.iter(tag("a"))}
        assert len(links) == 101
        assert links["2A"] == "/departements/2A/"

    def test_a_chart_as_csv(self, client, sample):
        response = client.get(OBSERVATORY, {"theme": "vacances-loisirs", "csv": "themes"})
        assert response["Content-Disposition"] == 'attachment; filename="themes.csv"'
        table = csv_rows(response)
        assert table[0] == ["Thème", "Fiches publiées"]
        assert table[1] == ["Vacances / loisirs", "11"]
        response = client.get(OBSERVATORY, {"csv": "financements"})
        header, *lines = csv_rows(response)
        assert header == [
            "Type de financeur",
            "Total déclaré (€)",
            "Médiane par fiche financée (€)",
            "Fiches financées",
        ]
        assert sum(Decimal(line[1]) for line in lines) == sum(
            Funding.objects.values_list("amount", flat=True)
        )

    def test_the_map_as_csv_has_every_departement(self, client, sample):
        table = csv_rows(client.get(OBSERVATORY, {"csv": "departements"}))
        assert table[0] == ["Département", "Fiches publiées"]
        assert len(table) == 1 + 101
        assert ["Val-de-Marne (94)", "2"] in table

    @pytest.mark.parametrize(
        "query",
        [
            "year_min=abc&year_max=99999",
            "theme=%3Cscript%3E&departement=999&region=<b>",
            "q=" + "x" * 1000,
            "funder=inconnu&structure=nope&page=-3",
            "status=ongoing&status=finished",
        ],
    )
    def test_bad_values_never_crash(self, client, sample, query):
        assert client.get(f"{OBSERVATORY}?{query}").status_code == 200

    def test_a_nul_byte_is_refused_as_on_every_page(self, client, sample):
        """The request guard (ops) answers it before the view: 400, never a 500."""
        assert client.get(f"{OBSERVATORY}?theme=%00").status_code == 400

    def test_an_empty_selection(self, client, sample):
        response = get(client, "theme=vacances-loisirs&year_min=2100")
        assert set(map_values(response).values()) == {0}
        assert response.context["datasets"]["annees"].rows == ()


class TestWithoutData:
    def test_the_header_links_to_the_observatory(self, client):
        html = client.get(reverse("catalogue:home")).content.decode()
        assert f'href="{OBSERVATORY}">Observatoire</a>' in html
        html = get(client).content.decode()
        assert f'href="{OBSERVATORY}" aria-current="page">Observatoire</a>' in html

    @pytest.mark.parametrize("slug", ["inconnu", "", "../etc", "x" * 500])
    def test_an_unknown_dataset_is_not_found(self, client, slug):
        assert client.get(OBSERVATORY, {"csv": slug}).status_code == 404


class TestQueryCount:
    """The same number of queries whatever the number of sheets: counted with 5 then 60. The
    facet index counts each facet in one query on PostgreSQL; grouped queries take one per
    many-valued facet (twice: the sidebar, and the figures within the selection)."""

    QUERIES = [
        "",
        "theme=parentalite",
        "theme=parentalite&departement=94",
        "theme=parentalite&theme=culture&status=ongoing&funder=caf",
        "q=séjour&year_min=2018",
    ]

    @pytest.mark.parametrize("count", [5, 60])
    def test_the_observatory(self, client, django_assert_max_num_queries, count):
        build_catalogue(count)
        most = 13 if connection.vendor == "postgresql" else 20
        for query in self.QUERIES:
            with django_assert_max_num_queries(most):
                response = client.get(f"{OBSERVATORY}?{query}")
            assert response.status_code == 200
