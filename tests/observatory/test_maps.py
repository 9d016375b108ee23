"""The choropleth map: classes, shapes, links, titles, legend, restriction to a territory."""

from dataclasses import replace

import pytest

from observatory import maps, palette
from observatory.figures import Column, Dataset, Row
from tests.observatory.helpers import DEPARTMENTS, department_dataset, parse, tag


class TestClassBreaks:
    def test_no_positive_value_means_no_class(self):
        assert maps.class_breaks([]) == []
        assert maps.class_breaks([0, None, 0]) == []

    def test_quantiles_are_rounded_up_to_nice_bounds_and_the_last_class_ends_at_the_maximum(self):
        values = [1, 1, 1, 2, 2, 3, 4, 7, 12, 143, 0, None]
        assert maps.class_breaks(values) == [(1, 1), (2, 2), (3, 5), (6, 10), (11, 143)]

    def test_bounds_that_collapse_are_merged(self):
        assert maps.class_breaks(range(1, 101)) == [(1, 20), (21, 50), (51, 100)]
        assert maps.class_breaks([3, 3]) == [(1, 3)]

    @pytest.mark.parametrize(
        ("value", "nice"), [(1, 1), (1.5, 2), (3, 5), (6, 10), (10, 10), (11, 20), (150, 200)]
    )
    def test_nice_ceiling(self, value, nice):
        assert maps.nice_ceiling(value) == nice


def links(svg):
    return svg.findall(f".//{tag('a')}")


def fill_of(link):
    return link.find(tag("path")).get("fill")


VALUES = {"59": 143, "62": 12, "75": 7, "2A": 0, "971": 3}


@pytest.fixture(scope="module")
def svg():
    return parse(maps.choropleth(department_dataset(VALUES, description="Une phrase.")))


class TestWholeMap:
    def test_the_map_is_a_group_named_by_its_title_and_described(self, svg):
        assert svg.get("role") == "group"
        title = svg.find(tag("title"))
        assert svg.get("aria-labelledby") == title.get("id") == "carte-fiches-titre"
        assert title.text == "Fiches publiées par département"
        assert svg.find(tag("desc")).text == "Une phrase."
        assert svg.get("aria-describedby") == "carte-fiches-desc"

    def test_every_department_is_one_link_in_the_order_of_the_rows(self, svg):
        found = links(svg)
        assert [link.get("data-code") for link in found] == [code for code, *_ in DEPARTMENTS]
        assert [link.get("href") for link in found] == [
            f"/departements/{code}/" for code, *_ in DEPARTMENTS
        ]

    def test_each_link_has_a_title_and_a_hidden_readout_with_name_and_value(self, svg):
        nord = svg.find(f".//{tag('a')}[@data-code='59']")
        assert nord.find(tag("title")).text == "Nord (59) — Fiches publiées : 143"
        readout = nord.find(tag("text"))
        assert readout.text == "Nord (59) — Fiches publiées : 143"
        assert readout.get("class") == "lecture"
        assert readout.get("visibility") == "hidden"
        guadeloupe = svg.find(f".//{tag('a')}[@data-code='971']")
        assert guadeloupe.find(tag("title")).text == "Guadeloupe (971) — Fiches publiées : 3"
        ain = svg.find(f".//{tag('a')}[@data-code='01']")
        assert ain.find(tag("title")).text == "Ain (01) — Fiches publiées : pas de données"

    def test_shapes_are_filled_by_class_zero_and_no_data_apart(self, svg):
        by_code = {link.get("data-code"): link for link in links(svg)}
        # Four classes (1–5, 6–10, 11–20, 21–143) take the palette's ends and two between.
        expected = {
            "971": ("classe-1", palette.CLASSES[0]),
            "75": ("classe-2", palette.CLASSES[1]),
            "62": ("classe-3", palette.CLASSES[3]),
            "59": ("classe-4", palette.CLASSES[4]),
            "2A": ("zero", "url(#carte-fiches-zero)"),
            "01": ("sans-donnee", "url(#carte-fiches-nd)"),
        }
        for code, (css, fill) in expected.items():
            assert by_code[code].get("class") == f"departement {css}", code
            assert fill_of(by_code[code]) == fill, code
        patterns = {pattern.get("id") for pattern in svg.iter(tag("pattern"))}
        assert patterns == {"carte-fiches-zero", "carte-fiches-nd"}

    def test_legend_lists_zero_the_classes_and_no_data(self, svg):
        legend = svg.find(f"{tag('g')}[@class='legende']")
        texts = [text.text for text in legend.iter(tag("text"))]
        assert texts == [
            "Fiches publiées",
            "0",
            "1 à 5",
            "6 à 10",
            "11 à 20",
            "21 à 143",
            "pas de données",
        ]
        swatches = [rect.get("fill") for rect in legend.iter(tag("rect"))]
        assert swatches == [
            "url(#carte-fiches-zero)",
            palette.CLASSES[0],
            palette.CLASSES[1],
            palette.CLASSES[3],
            palette.CLASSES[4],
            "url(#carte-fiches-nd)",
        ]

    def test_small_metropolitan_copies_of_paris_are_hidden_decoration_framed_insets_too(self, svg):
        hidden = svg.find(f".//{tag('g')}[@aria-hidden='true']")
        copies = {s.d: s.code for s in maps.geometry() if s.layer == maps.METROPOLE}
        decorated = {copies[path.get("d")]: path.get("fill") for path in hidden.iter(tag("path"))}
        assert decorated == {
            "75": palette.CLASSES[1],
            "92": "url(#carte-fiches-nd)",
            "93": "url(#carte-fiches-nd)",
            "94": "url(#carte-fiches-nd)",
        }
        # The links of 75, 92, 93 and 94 are the enlarged shapes.
        enlarged = {s.code: s.d for s in maps.geometry() if s.layer == maps.ZOOM}
        for link in links(svg):
            if link.get("data-code") in enlarged:
                assert link.find(tag("path")).get("d") == enlarged[link.get("data-code")]
        # Five overseas insets and the enlargement of Paris are framed.
        assert len(list(hidden.iter(tag("rect")))) == 6

    def test_viewbox_holds_every_shape(self, svg):
        x, y, width, height = map(float, svg.get("viewBox").split())
        x0, y0, x1, y1 = maps.union(shape.bbox for shape in maps.geometry())
        assert x <= x0 and y <= y0 and x + width >= x1 and y + height >= y1


class TestRestrictedMap:
    def test_zooms_on_the_territory_with_classes_of_its_own_values(self):
        dataset = department_dataset({"59": 10, "62": 20, "80": 1000})
        svg = parse(maps.choropleth(dataset, only={"59", "62"}))
        assert [link.get("data-code") for link in links(svg)] == ["59", "62"]
        x, y, width, _height = map(float, svg.get("viewBox").split())
        territory = maps.union(s.bbox for s in maps.geometry() if s.code in {"59", "62"})
        assert x < territory[0] and x + width > territory[2] and y < territory[1]
        assert width < (territory[2] - territory[0]) * 1.1
        legend = [text.text for text in svg.find(f"{tag('g')}[@class='legende']").iter(tag("text"))]
        assert legend == ["Fiches publiées", "1 à 10", "11 à 20"]
        # Neighbours (the Somme, the Aisne) are grey context, not links, and no inset is framed.
        hidden = svg.find(f".//{tag('g')}[@aria-hidden='true']")
        somme = next(s.d for s in maps.geometry() if s.code == "80")
        context = {path.get("d"): path.get("fill") for path in hidden.iter(tag("path"))}
        assert context[somme] == palette.CONTEXT
        assert set(context.values()) == {palette.CONTEXT}
        assert list(hidden.iter(tag("rect"))) == []

    def test_paris_and_its_neighbours_are_drawn_from_the_enlargement(self):
        svg = parse(maps.choropleth(department_dataset({"75": 4}), only=["75", "92"]))
        enlarged = {s.code: s.d for s in maps.geometry() if s.layer == maps.ZOOM}
        drawn = {link.get("data-code"): link.find(tag("path")).get("d") for link in links(svg)}
        assert drawn == {"75": enlarged["75"], "92": enlarged["92"]}

    def test_a_restriction_without_known_department_draws_the_whole_map(self):
        for only in (set(), {"999"}):
            svg = parse(maps.choropleth(department_dataset({}), only=only))
            assert len(links(svg)) == 101


class TestInput:
    def test_by_department_builds_one_linked_row_per_department_in_their_order(self):
        dataset = maps.by_department(
            {"59": 4, "2A": 0},
            departments=[("2A", "Corse-du-Sud"), ("59", "Nord"), ("01", "Ain")],
            href=lambda code: f"/carte/{code}/",
            slug="essai",
            title="Titre",
            header="Fiches",
        )
        assert [(row.label, row.values, row.key, row.href) for row in dataset.rows] == [
            ("Corse-du-Sud (2A)", (0,), "2A", "/carte/2A/"),
            ("Nord (59)", (4,), "59", "/carte/59/"),
            ("Ain (01)", (None,), "01", "/carte/01/"),
        ]
        assert dataset.label_header == "Département"
        assert dataset.charted_column.header == "Fiches"

    def test_a_department_without_a_row_is_no_data_and_not_a_link(self):
        dataset = department_dataset({code: 5 for code, *_ in DEPARTMENTS})
        rows = tuple(row for row in dataset.rows if row.key != "59")
        svg = parse(maps.choropleth(replace(dataset, rows=rows)))
        assert "59" not in {link.get("data-code") for link in links(svg)}
        nord = next(s.d for s in maps.geometry() if s.code == "59")
        hidden = svg.find(f".//{tag('g')}[@aria-hidden='true']")
        assert {p.get("d"): p.get("fill") for p in hidden.iter(tag("path"))}[nord] == (
            "url(#carte-fiches-nd)"
        )
        legend = [text.text for text in svg.find(f"{tag('g')}[@class='legende']").iter(tag("text"))]
        assert legend[-1] == "pas de données"

    def test_rows_without_a_shape_are_ignored(self):
        dataset = department_dataset({"59": 3})
        extra = Row(label="Saint-Pierre-et-Miquelon", values=(8,), key="975", href="/975/")
        svg = parse(maps.choropleth(replace(dataset, rows=(*dataset.rows, extra))))
        assert len(links(svg)) == 101

    def test_labels_titles_and_links_are_escaped(self):
        hostile = '<script>alert("x")</script> & "Nord"'
        dataset = Dataset(
            slug="essai",
            title="<b>Titre</b>",
            label_header="Département",
            columns=(Column('Fiches "publiées"'),),
            rows=(Row(label=hostile, values=(3,), key="59", href='/d/?a=1&b="2"><script>'),),
        )
        markup = str(maps.choropleth(dataset))
        assert "<script>" not in markup and "<b>" not in markup
        svg = parse(markup)
        assert svg.find(tag("title")).text == "<b>Titre</b>"
        (link,) = links(svg)
        assert link.get("href") == '/d/?a=1&b="2"><script>'
        assert link.find(tag("title")).text == f'{hostile} — Fiches "publiées" : 3'

    def test_every_department_needs_a_link(self):
        dataset = Dataset(
            slug="essai",
            title="Titre",
            label_header="Département",
            columns=(Column("Fiches"),),
            rows=(Row(label="Nord", values=(3,), key="59"),),
        )
        with pytest.raises(ValueError, match="needs a link"):
            maps.choropleth(dataset)
