"""Bar and column charts: accessible names, labels and values as text, proportional bars."""

from decimal import Decimal

import pytest

from observatory import charts, palette
from observatory.figures import ChartKind, Column, Dataset, Row, Unit
from tests.observatory.helpers import parse, tag

THEMES = Dataset(
    slug="themes",
    title="Fiches par thème",
    label_header="Thème",
    columns=(Column("Fiches"),),
    rows=(
        Row("Vacances / loisirs", (1200,), key="vacances-loisirs"),
        Row("Parentalité", (600,), key="parentalite"),
        Row("Santé", (0,), key="sante"),
        Row("Numérique", (None,), key="numerique"),
    ),
    description="Fiches publiées de la sélection.",
)
YEARS = Dataset(
    slug="annees",
    title="Fiches par année",
    label_header="Année",
    columns=(Column("Fiches"),),
    rows=tuple(
        Row(str(year), (count,), key=str(year))
        for year, count in [(2022, 10), (2023, 40), (2024, 0)]
    ),
    chart=ChartKind.COLUMNS,
)


def texts(svg):
    return [text.text for text in svg.iter(tag("text"))]


def bars(svg):
    return svg.findall(f".//{tag('rect')}")


class TestBarChart:
    @pytest.fixture
    def svg(self):
        return parse(charts.render(THEMES))

    def test_the_chart_is_an_image_named_by_its_title_and_described_by_its_values(self, svg):
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == "graphique-themes-titre"
        assert svg.find(tag("title")).text == "Fiches par thème"
        assert svg.get("aria-describedby") == "graphique-themes-desc"
        assert svg.find(tag("desc")).text == (
            "Fiches publiées de la sélection. Vacances / loisirs : 1\xa0200 ; Parentalité : 600 ;"
            " Santé : 0 ; Numérique : pas de données"
        )

    def test_labels_and_values_are_written_as_text(self, svg):
        assert texts(svg) == [
            "Vacances / loisirs",
            "1\xa0200",
            "Parentalité",
            "600",
            "Santé",
            "0",
            "Numérique",
            "pas de données",
        ]

    def test_bars_are_proportional_and_zero_or_no_data_has_none(self, svg):
        longest, half = bars(svg)
        assert float(half.get("width")) == pytest.approx(float(longest.get("width")) / 2, abs=0.1)
        assert {bar.get("fill") for bar in bars(svg)} == {palette.BAR}
        # The bars leave room for the value after them.
        assert float(longest.get("width")) < float(svg.get("width"))

    def test_long_labels_wrap_between_words(self):
        label = "Accompagnement à la scolarité et soutien éducatif des enfants et des jeunes"
        dataset = Dataset(
            slug="long",
            title="Titre",
            label_header="Thème",
            columns=(Column("Fiches"),),
            rows=(Row(label, (3,)),),
        )
        lines = texts(parse(charts.bar_chart(dataset)))[:-1]
        assert len(lines) == 2
        assert " ".join(lines) == label

    def test_amounts_are_written_in_euros(self):
        dataset = Dataset(
            slug="financeurs",
            title="Financements",
            label_header="Financeur",
            columns=(Column("Total", Unit.EUROS), Column("Médiane", Unit.EUROS)),
            rows=(Row("Caf", (Decimal("5709800"), Decimal("12000"))),),
        )
        assert texts(parse(charts.render(dataset))) == ["Caf", "5\u202f709\u202f800 €"]

    def test_an_empty_dataset_draws_an_empty_chart(self):
        empty = Dataset(
            slug="vide", title="Titre", label_header="Thème", columns=(Column("Fiches"),), rows=()
        )
        svg = parse(charts.render(empty))
        assert bars(svg) == [] and texts(svg) == []

    def test_labels_are_escaped(self):
        dataset = Dataset(
            slug="essai",
            title="<b>Titre</b>",
            label_header="Thème",
            columns=(Column("Fiches"),),
            rows=(Row('<script>alert("x")</script>', (3,)),),
        )
        markup = str(charts.render(dataset))
        assert "<script>" not in markup and "<b>" not in markup
        assert texts(parse(markup))[0] == '<script>alert("x")</script>'


class TestColumnChart:
    @pytest.fixture
    def svg(self):
        return parse(charts.render(YEARS))

    def test_one_column_per_year_with_its_value_above_and_its_label_below(self, svg):
        assert svg.get("role") == "img"
        assert texts(svg) == ["10", "2022", "40", "2023", "0", "2024"]
        short, tall = bars(svg)
        assert float(tall.get("height")) == pytest.approx(4 * float(short.get("height")), abs=0.1)
        # Columns stand on the same baseline, drawn as an axis.
        (axis,) = svg.iter(tag("line"))
        for bar in (short, tall):
            bottom = float(bar.get("y")) + float(bar.get("height"))
            assert bottom == pytest.approx(float(axis.get("y1")) - 0.5)
        assert axis.get("stroke") == palette.FRAME
