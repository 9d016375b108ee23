"""The template includes: a chart with its table and CSV link, the map with its credit."""

from django.template.loader import render_to_string
from pytest_django.asserts import assertInHTML

from observatory.figures import Column, Dataset, Row
from tests.observatory.helpers import department_dataset

THEMES = Dataset(
    slug="themes",
    title="Fiches par thème",
    label_header="Thème",
    columns=(Column("Fiches"), Column("Structures")),
    rows=(
        Row("Parentalité", (1200, 3), key="parentalite", href="/actions/?theme=parentalite"),
        Row("Santé", (None, 0), key="sante"),
    ),
)


class TestChartInclude:
    def test_chart_comes_with_the_same_figures_as_a_table_and_a_csv_link(self):
        html = render_to_string(
            "observatory/includes/chart.html",
            {"dataset": THEMES, "csv_url": "/observatoire/themes.csv"},
        )
        assert 'role="img"' in html and 'id="graphique-themes"' in html
        assertInHTML(
            """
            <table class="table table-sm align-middle" id="tableau-themes">
              <caption class="caption-top text-body-secondary">Fiches par thème</caption>
              <thead><tr>
                <th scope="col">Thème</th>
                <th scope="col" class="text-end">Fiches</th>
                <th scope="col" class="text-end">Structures</th>
              </tr></thead>
              <tbody>
                <tr>
                  <th scope="row" class="fw-normal">
                    <a href="/actions/?theme=parentalite">Parentalité</a>
                  </th>
                  <td class="text-end text-nowrap">1\xa0200</td>
                  <td class="text-end text-nowrap">3</td>
                </tr>
                <tr>
                  <th scope="row" class="fw-normal">Santé</th>
                  <td class="text-end text-nowrap">pas de données</td>
                  <td class="text-end text-nowrap">0</td>
                </tr>
              </tbody>
            </table>
            """,
            html,
        )
        assertInHTML(
            '<a href="/observatoire/themes.csv" download>'
            "Télécharger « Fiches par thème » en CSV</a>",
            html,
        )

    def test_no_csv_link_without_its_url(self):
        html = render_to_string("observatory/includes/chart.html", {"dataset": THEMES})
        assert "CSV" not in html


class TestMapInclude:
    def test_the_map_credits_its_source_and_explains_the_insets(self):
        html = render_to_string(
            "observatory/includes/map.html", {"dataset": department_dataset({"59": 3})}
        )
        assert html.count('class="departement ') == 101
        assertInHTML('<a href="https://pypi.org/project/pygal-maps-fr/">pygal_maps_fr</a>', html)
        assert "licence LGPL 3.0 ou ultérieure" in html
        assert "en encart" in html

    def test_a_territory_zooms_the_map_on_it(self):
        html = render_to_string(
            "observatory/includes/map.html",
            {"dataset": department_dataset({"59": 3}), "territory": ["59", "62"]},
        )
        assert html.count('class="departement ') == 2
        assert "pygal_maps_fr" in html
        assert "en encart" not in html
