"""Action sheets in the observatory's older layout, read into the same sheets as today's."""

import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

from actions.importer.pages import decode
from actions.importer.parser import ListedFile, parse_text
from actions.sections import SECTIONS

SENACS = Path(settings.BASE_DIR) / "fixtures" / "senacs"
# The themes and keywords of sheet 271, in the page's order ("Autres ..." are abridged).
KEYWORDS_271 = (
    "Intergénérationel",
    "Education à l'environnement",
    "intergénérationnel",
    "Solidarité",
    "Environnement",
    "développement durable",
    "Habitants",
    "Mixité sociale",
)


def sample(name: str) -> str:
    return (SENACS / name).read_text(encoding="utf-8")


def only_sheet(text: str):
    sheets = parse_text(text)
    assert len(sheets) == 1
    return sheets[0]


def older_sheet(
    *,
    title="Fête de printemps",
    sections=(
        ("Thèmes", ["  • Intergénérationel", "  • Autres ..."]),
        ("Fichier(s) associé(s)", ["fiche action Plants.pdf", "( 56.06K )"]),
        (
            "Quels furent les éléments de diagnostic à l'origine de l'expérience ?",
            ["Peu de lien entre les habitants."],
        ),
        ("Mots clés associés à l'actions", ["  • Solidarité", "  • Environnement"]),
        ("Description générale", ["Une journée au jardin."]),
        (
            "Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.",
            ["Trois ateliers.", "Puis une fête."],
        ),
        (
            "Quels sont les impacts ou effets positifs produits par cette expérience au niveau "
            "du public, du centre social ou de l'environnement ?",
            ["Des liens entre voisins."],
        ),
        ("Quels furent les facteurs de réussite de cette expérience ?", ["La météo."]),
        ("Quelles sont les limites de cette expérience ?", ["L'entretien des bacs."]),
    ),
):
    lines = ["Actions", "", title, ""]
    for heading, content in sections:
        lines += [heading, *content]
    return "\n".join(lines) + "\n"


class TestSamples:
    def test_sheet_107_has_every_section_mapped_onto_the_current_ones(self):
        sheet = only_sheet(sample("action_show_107.txt"))
        assert (sheet.layout, sheet.start_line, sheet.title) == (
            "legacy",
            2,
            "le plus grand patchwork du monde",
        )
        assert sheet.values("themes") == [
            "Tout public",
            "Lutte contre les discriminations",
            "Solidarité",
            "discriminations",
        ]
        assert sheet.texts["diagnostic"] == (
            "manque de participation de la population. manque de sensibilisation envers les "
            "maladies génétiques"
        )
        assert sheet.texts["description"] == ""
        assert sheet.texts["experience"].startswith("rencontre avec des habitants, des structures")
        assert sheet.texts["experience"].endswith("qui permettrait de faire parler du centre")
        assert sheet.texts["impacts"] == (
            "image du centre social, meilleure connaissance du projet centre social par les "
            "habitants, création de solidarité inter associatives"
        )
        assert sheet.texts["success_factors"] == (
            "engagement de chacun, l'image du centre, intergénérationalité, partenariat"
        )
        assert sheet.texts["limits"] == "aucunes"
        assert (sheet.website, sheet.website_line) == ("www.cscwimereux.org", 12)
        assert sheet.files == []  # the website line is not a file
        assert not sheet.truncated and sheet.cut_field is None

    def test_sheet_271_lists_its_file_with_its_size(self):
        sheet = only_sheet(sample("action_show_271.txt"))
        assert sheet.title == "Fête de printemps"
        assert sheet.files == [ListedFile("fiche action Plants.pdf", 13, "56.06K")]
        assert sheet.values("themes") == list(KEYWORDS_271)
        assert sheet.texts["description"].startswith("Mise en place d'une journée autour")
        assert sheet.texts["experience"] == "voir fiche action"
        assert sheet.texts["limits"] == "entretien des jardinières réalisées, incivilités canines"

    def test_values_the_page_abridged_are_reported_not_kept(self):
        sheet = only_sheet(sample("action_show_271.txt"))
        assert "Autres ..." not in sheet.values("themes")
        abridged = [n.line for n in sheet.notices if "valeur abrégée" in n.message]
        assert abridged == [9, 10, 11]

    def test_older_sheets_name_no_structure_and_are_not_rejected_by_the_parser(self):
        for name in ("action_show_107.txt", "action_show_271.txt"):
            sheet = only_sheet(sample(name))
            assert (sheet.structure, sheet.rejection) == (None, None)
        assert only_sheet(sample("action_show_271.txt")).website == ""

    def test_the_files_are_reported_as_not_imported(self):
        sheet = only_sheet(sample("action_show_271.txt"))
        assert any(
            n.line == 13 and "fichier associé non importé" in n.message for n in sheet.notices
        )


class TestVariations:
    def test_the_helper_sheet_reads_like_the_samples(self):
        sheet = only_sheet(older_sheet())
        assert sheet.layout == "legacy" and not sheet.truncated
        assert sheet.values("themes") == ["Intergénérationel", "Solidarité", "Environnement"]
        assert sheet.texts["experience"] == "Trois ateliers.\nPuis une fête."
        assert sheet.texts["success_factors"] == "La météo."
        assert [(f.name, f.size) for f in sheet.files] == [("fiche action Plants.pdf", "56.06K")]

    def test_sections_in_another_order_go_to_the_same_fields(self):
        reference = only_sheet(older_sheet())
        sections = older_sheet.__kwdefaults__["sections"]
        reordered = only_sheet(older_sheet(sections=tuple(reversed(sections))))
        assert reordered.texts == reference.texts
        assert sorted(reordered.values("themes")) == sorted(reference.values("themes"))

    def test_missing_sections_are_left_out_and_the_sheet_is_complete(self):
        sections = older_sheet.__kwdefaults__["sections"]
        sheet = only_sheet(older_sheet(sections=(sections[2], sections[-1])))
        assert set(sheet.texts) == {"diagnostic", "limits"}
        assert not sheet.truncated

    def test_blank_lines_crlf_nfd_and_utf16_read_the_same(self):
        reference = only_sheet(older_sheet())
        plain = older_sheet()
        spaced = "\n\n" + plain.replace("\nQu", "\n\n\nQu").replace(
            "\nDescription", "\n \nDescription"
        )
        for text in (
            spaced,
            plain.replace("\n", "\r\n"),
            unicodedata.normalize("NFD", plain),
            decode(plain.encode("utf-16")),
        ):
            sheet = only_sheet(text)
            assert sheet.texts == reference.texts
            assert sheet.values("themes") == reference.values("themes")
            assert [f.name for f in sheet.files] == ["fiche action Plants.pdf"]

    def test_headings_in_other_case_or_with_typographic_apostrophes_are_headings(self):
        text = older_sheet().replace(
            "Quels furent les facteurs de réussite de cette expérience ?",
            "QUELS FURENT LES FACTEURS DE RÉUSSITE DE CETTE EXPÉRIENCE",
        )
        text = text.replace("l'origine de l'expérience", "l\u2019origine de l\u2019expérience")
        sheet = only_sheet(text)
        assert sheet.texts["success_factors"] == "La météo."
        assert sheet.texts["diagnostic"] == "Peu de lien entre les habitants."

    def test_a_current_heading_printed_bare_is_read_as_that_section(self):
        sections = (
            *older_sheet.__kwdefaults__["sections"][:-1],
            ("Public", ["  • Familles"]),
            ("Quelles sont les limites de cette expérience ?", ["Aucune."]),
        )
        assert only_sheet(older_sheet(sections=sections)).values("publics") == ["Familles"]

    def test_an_older_sheet_next_to_a_current_one_keeps_each_layout(self):
        from tests.actions.factories import sheet_text

        older, current = parse_text(older_sheet() + sheet_text())
        assert (older.layout, current.layout) == ("legacy", "current")
        assert current.title == "Atelier cuisine du mercredi" and current.rejection is None


class TestCut:
    def test_a_page_cut_in_the_limits_heading_marks_the_sheet_cut_in_success_factors(self):
        text = older_sheet().split("Quelles sont les limites")[0] + "Quelles sont les lim"
        sheet = only_sheet(text)
        assert sheet.truncated
        assert sheet.cut_field == "success_factors"
        assert sheet.texts["success_factors"] == "La météo."
        assert any("ligne coupée" in n.message for n in sheet.notices)

    def test_a_page_cut_in_a_keyword_keeps_no_part_of_it(self):
        text = older_sheet().split("  • Environnement")[0] + "  • Environ"
        sheet = only_sheet(text)
        assert sheet.truncated and sheet.cut_field == "themes"
        assert sheet.values("themes") == ["Intergénérationel", "Solidarité"]

    def test_a_page_ending_on_the_limits_heading_is_cut(self):
        text = older_sheet().split("L'entretien des bacs.")[0]
        sheet = only_sheet(text)
        assert sheet.truncated and sheet.cut_field == "limits"


def test_every_older_heading_belongs_to_one_section():
    headings = [label for section in SECTIONS for label in section.legacy_labels]
    assert len(headings) == len(set(headings))
    assert {s.field for s in SECTIONS if s.legacy_labels} == {
        "themes",
        "diagnostic",
        "impacts",
        "success_factors",
        "limits",
    }


@pytest.mark.parametrize("name", ["action_show_107.txt", "action_show_271.txt"])
def test_the_samples_in_utf16_read_like_in_utf8(name):
    text = sample(name)
    assert only_sheet(decode(text.encode("utf-16"))).texts == only_sheet(text).texts


@pytest.mark.django_db
def test_the_sheet_page_shows_the_older_sections_with_their_headings_in_order(client):
    from tests.actions.factories import ActionFactory

    action = ActionFactory(
        published=True,
        diagnostic="Peu de lien entre les habitants.",
        experience="Trois ateliers.",
        impacts="Des liens entre voisins.",
        success_factors="La météo.",
        limits="L'entretien des bacs.",
    )
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    shown = [section.field for section in response.context["sections"]]
    assert [
        f for f in shown if f in {"diagnostic", "experience", "impacts", "success_factors"}
    ] == [
        "diagnostic",
        "experience",
        "impacts",
        "success_factors",
    ]
    content = response.content.decode()
    for heading in (
        "Éléments de diagnostic à l&#x27;origine de l&#x27;expérience",
        "Facteurs de réussite",
        "La météo.",
    ):
        assert heading in content


@pytest.mark.django_db
def test_the_older_sections_do_not_count_for_completeness():
    from tests.actions.factories import ActionFactory

    empty, filled = ActionFactory(), ActionFactory(diagnostic="x", impacts="y", success_factors="z")
    assert empty.completeness() == filled.completeness()
