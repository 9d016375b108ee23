"""The text format parser: pure functions, no database."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.enums import ActionStatus, PartnerRole
from actions.importer.pages import UnreadableText, decode
from actions.importer.parser import label_field, parse_text
from actions.sections import current_sections
from tests.actions.factories import sheet_text

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sheets" / "observatoire_sample.txt"
SAMPLE_STARTS = [2, 66, 117, 179, 244, 288, 352, 401, 450, 499, 567, 635, 692, 739, 801, 848]
SAMPLE_STARTS += [931, 1004, 1047, 1094, 1163, 1212, 1289, 1330, 1412]


@pytest.fixture(scope="module")
def sample_sheets():
    return parse_text(decode(SAMPLE.read_bytes()))


def only_sheet(text: str):
    sheets = parse_text(text)
    assert len(sheets) == 1
    return sheets[0]


class TestSampleFile:
    def test_the_sample_holds_25_sheets_starting_at_their_actions_lines(self, sample_sheets):
        assert [sheet.start_line for sheet in sample_sheets] == SAMPLE_STARTS

    def test_22_sheets_are_distinct_one_appearing_three_times_another_twice(self, sample_sheets):
        fingerprints = [sheet.fingerprint for sheet in sample_sheets]
        assert len(set(fingerprints)) == 22
        titles = {sheet.fingerprint: sheet.title for sheet in sample_sheets}
        repeated = sorted(
            (fingerprints.count(fp), titles[fp])
            for fp in set(fingerprints)
            if fingerprints.count(fp) > 1
        )
        assert repeated == [(2, "Départ en vacances pour tous"), (3, "Les lumières de la paix")]

    def test_no_sample_sheet_is_rejected_nor_cut_off(self, sample_sheets):
        assert [s.rejection for s in sample_sheets if s.rejection] == []
        assert [s.start_line for s in sample_sheets if s.truncated] == []

    def test_a_title_that_begins_with_actions_is_a_title_not_a_new_sheet(self, sample_sheets):
        sheet = sample_sheets[SAMPLE_STARTS.index(1212)]
        assert sheet.title == "Actions d'accompagnement et de soutien à la parentalité"
        assert sheet.title_line == 1213
        assert sheet.structure.name == "CENTRE SOCIOCULTUREL AGANTIC"

    def test_structure_lines_split_on_the_last_spaced_hyphen(self, sample_sheets):
        structures = {(s.structure.name, s.structure.department) for s in sample_sheets}
        assert ("MAISON DE QUARTIER CENTRE- Association BELLIDEE", "Pas-de-Calais") in structures
        assert ("LEO LAGRANGE OUEST – Jean Gueguen TRELAZE", "Maine-et-Loire") in structures
        assert ("OÏKOS - CENTRE CULTUREL ET SOCIAL BELFORT NORD", "Territoire de Belfort") in (
            structures
        )
        assert (
            "CENTRE SOCIAL Harpèges- Les accords solidaires",
            "Alpes-Maritimes",
        ) in structures

    def test_barcelona_trip_has_six_funding_lines_summing_to_17601(self, sample_sheets):
        sheet = next(s for s in sample_sheets if s.title == "Séjour Autofinancé Barcelone")
        lines = sheet.funding.lines
        assert len(lines) == 6
        assert sum(line.amount for line in lines) == Decimal("17601")
        assert lines[0].funder == "Caf" and lines[0].note == "Aide aux séjours Caf"
        assert sheet.funding.total_budget is None

    def test_the_last_sheet_keeps_its_last_line_without_a_final_newline(self, sample_sheets):
        assert sample_sheets[-1].texts["perspectives"] == (
            "développer cette action auprès d'un public jeune et séniors"
        )


class TestSections:
    def test_every_section_of_a_complete_sheet_is_read(self):
        sheet = only_sheet(sheet_text(financial="CAF : 1 500€", people="2 salariés et 3 bénévoles"))
        assert sheet.title == "Atelier cuisine du mercredi"
        assert sheet.title_line == 2
        assert (sheet.structure.name, sheet.structure.department) == (
            "CENTRE SOCIAL DU PARC",
            "Val-de-Marne",
        )
        assert sheet.status == ActionStatus.ONGOING
        assert sheet.values("dimension") == ["Citoyenneté"]
        assert sheet.values("themes") == ["Culture", "vacances / loisirs"]
        assert sheet.values("initiatives") == ["Le centre social"]
        assert sheet.values("territory_scale") == ["Une commune"]
        assert sheet.values("publics") == ["familles"]
        assert [(i.value, i.role) for i in sheet.lists["partners"]] == [
            ("ANCV", PartnerRole.ACTION)
        ]
        assert sheet.texts["summary"] == "Un atelier de cuisine partagée chaque mercredi."
        assert sheet.texts["financial_resources"] == "CAF : 1 500€"
        assert (sheet.people.staff, sheet.people.volunteers) == (2, 3)
        assert sheet.texts["result_centre"] == ""
        assert not sheet.truncated and sheet.rejection is None and sheet.notices == []

    def test_labels_come_from_the_published_format(self):
        for section in current_sections():
            assert label_field(f"- {section.label}") == section.field
        assert label_field("- Partenaires d'action:") is None
        assert label_field("Partenaires d'action:") is None

    def test_free_text_lines_beginning_with_a_dash_stay_in_the_text(self):
        summary = "Objectifs :\n- Public éloigné des vacances\n- Résumé de la démarche\n- Public"
        sheet = only_sheet(sheet_text(summary=summary))
        # "- Public" is an exact label: it starts the section; the lines before stay text.
        assert (
            sheet.texts["summary"]
            == "Objectifs :\n- Public éloigné des vacances\n- Résumé de la démarche"
        )

    def test_only_exact_labels_start_a_section(self):
        summary = "- résumé\n- Résumé :\n- Dimensions\n-Résumé"
        sheet = only_sheet(sheet_text(summary=summary))
        assert sheet.texts["summary"] == summary
        assert sheet.values("dimension") == ["Citoyenneté"]

    def test_a_lone_dash_is_an_empty_placeholder_in_lists_and_a_bullet_in_text(self):
        description = "Fréquence :\n-\nLes permanences sont quotidiennes.\n-\nLe mardi.\n-"
        sheet = only_sheet(sheet_text(themes=(), description=description))
        assert sheet.values("themes") == []
        assert "themes" in sheet.present
        assert sheet.texts["description"] == (
            "Fréquence :\n- Les permanences sont quotidiennes.\n- Le mardi."
        )

    def test_labels_typed_with_no_break_spaces_or_typographic_apostrophes_are_labels(self):
        text = sheet_text().replace(
            "- Qui est à l'initiative de l'action ?",
            "- Qui est à l\u2019initiative de l\u2019action\u00a0?",
        )
        assert only_sheet(text).values("initiatives") == ["Le centre social"]

    def test_a_missing_section_is_left_out_and_an_empty_one_is_present_but_empty(self):
        sheet = only_sheet(sheet_text(omit=("summary",), description=""))
        assert "summary" not in sheet.present
        assert sheet.texts["description"] == ""
        assert "description" in sheet.present

    def test_statuses_of_the_format_and_an_unknown_one(self):
        assert only_sheet(sheet_text(status="Terminée")).status == ActionStatus.FINISHED
        unknown = only_sheet(sheet_text(status="Suspendue"))
        assert unknown.status is None
        assert [n.message for n in unknown.notices] == ["statut inconnu ignoré : « Suspendue »"]

    def test_financial_partners_under_their_own_sublabel(self):
        text = sheet_text().replace(
            "- ANCV\n", "- ANCV\nPartenaires financiers:\n- Fondation de France\n"
        )
        items = only_sheet(text).lists["partners"]
        assert [(i.value, i.role) for i in items] == [
            ("ANCV", PartnerRole.ACTION),
            ("Fondation de France", PartnerRole.FINANCIAL),
        ]


class TestTerritoryAndStrayProse:
    def test_the_second_territory_fills_in_an_empty_first_one(self):
        text = sheet_text().replace(
            "- Territoire concerné\n- Une commune\n- Description de l",
            "- Territoire concerné\n- Description de l",
            1,
        )
        sheet = only_sheet(text)
        assert sheet.values("territory_scale") == ["Une commune"]

    def test_a_second_territory_that_disagrees_is_reported_and_the_first_kept(self):
        sheet = only_sheet(sheet_text(territory="Une commune", second_territory="Un quartier"))
        assert sheet.values("territory_scale") == ["Une commune"]
        assert any("Un quartier" in n.message for n in sheet.notices)

    def test_prose_after_the_second_territory_belongs_to_the_description(self):
        text = sheet_text(description="Une animatrice prépare.").replace(
            "- Une commune\n- Description générale",
            "- Une commune\n- Les ateliers ont lieu le mercredi. Les familles cuisinent.\n"
            "- Description générale",
        )
        sheet = only_sheet(text)
        assert sheet.values("territory_scale") == ["Une commune"]
        assert sheet.texts["description"] == (
            "- Les ateliers ont lieu le mercredi. Les familles cuisinent.\nUne animatrice prépare."
        )
        assert any("rattaché à « Description générale »" in n.message for n in sheet.notices)

    def test_prose_among_keywords_goes_to_the_summary_and_keywords_stay_keywords(self):
        text = sheet_text(summary="Un atelier.").replace(
            "- vacances / loisirs\n",
            "- vacances / loisirs\n- Nous voulions rompre l'isolement des familles du quartier, "
            "et leur faire découvrir la cuisine des autres.\n",
        )
        sheet = only_sheet(text)
        assert sheet.values("themes") == ["Culture", "vacances / loisirs"]
        assert sheet.texts["summary"].startswith("- Nous voulions rompre l'isolement")
        assert sheet.texts["summary"].endswith("\nUn atelier.")
        assert [n.line for n in sheet.notices] == [14]

    def test_a_short_unknown_keyword_stays_a_keyword(self):
        assert only_sheet(sheet_text(themes=("Jardinage",))).values("themes") == ["Jardinage"]


class TestRejectionsAndTruncation:
    def test_a_sheet_whose_title_line_is_missing_is_rejected_with_a_reason(self):
        text = sheet_text().replace("Actions\nAtelier cuisine du mercredi\n", "Actions\n")
        sheet = only_sheet(text)
        assert sheet.title == ""
        assert "sans titre" in sheet.rejection

    def test_a_sheet_without_structure_section_or_structure_value_is_rejected(self):
        assert "Structure organisatrice" in only_sheet(sheet_text(omit=("structure",))).rejection
        empty = only_sheet(sheet_text(structure=None))
        assert "vide" in empty.rejection

    def test_a_structure_line_without_departement_is_rejected(self):
        sheet = only_sheet(sheet_text(structure="CENTRE SOCIAL SANS DÉPARTEMENT"))
        assert "NOM - Département" in sheet.rejection

    def test_a_sheet_cut_off_mid_section_is_truncated_and_keeps_what_it_has(self):
        text = (
            sheet_text()
            + sheet_text(title="Jardin partagé").split("Une animatrice prépare")[0]
            + "Une anima"
        )
        first, last = parse_text(text)
        assert not first.truncated
        assert last.truncated
        assert last.last_field == "description"
        assert last.texts["description"] == "Une anima"
        assert "financial_resources" not in last.present
        assert last.rejection is None

    def test_a_sheet_cut_off_right_after_its_title_is_rejected(self):
        sheet = parse_text(sheet_text() + "Actions\nFête de quartier")[-1]
        assert sheet.title == "Fête de quartier"
        assert sheet.truncated and sheet.rejection


class TestFileLevel:
    def test_a_page_heading_and_listing_table_before_the_sheets_are_ignored(self):
        page = (
            "Les actions des centres sociaux\n"
            "Nom | Département | Année |\n"
            "Atelier cuisine du mercredi | Val-de-Marne | 2019 |\n"
            "Actions | Nord | 2018 |\n"
        )
        sheets = parse_text(page + sheet_text())
        assert [(s.start_line, s.title) for s in sheets] == [(5, "Atelier cuisine du mercredi")]

    def test_a_next_page_heading_between_sheets_is_not_text_of_the_previous_sheet(self):
        page = "Les actions des centres sociaux\nNom | Département | Année |\n"
        first, second = parse_text(sheet_text() + page + sheet_text(title="Jardin"))
        assert first.texts["perspectives"] == "Continuer l'an prochain."
        assert second.title == "Jardin"

    def test_an_actions_line_in_free_text_does_not_start_a_sheet(self):
        summary = "Trois temps forts.\nActions\nmenées avec les écoles\net les parents."
        sheet = only_sheet(sheet_text(summary=summary))
        assert sheet.texts["summary"] == summary

    def test_crlf_bom_and_no_break_spaces_read_like_plain_text(self):
        plain = sheet_text() + sheet_text(title="Jardin partagé")
        windows = "\ufeff" + plain.replace("\n", "\r\n").replace("- Public", "-\u00a0Public")
        decoded = decode(windows.encode("utf-8"))
        plain_sheets, windows_sheets = parse_text(plain), parse_text(decoded)
        assert [(s.start_line, s.title, s.fingerprint) for s in windows_sheets] == [
            (s.start_line, s.title, s.fingerprint.replace("- Public", "-\u00a0Public"))
            for s in plain_sheets
        ]
        assert [s.values("publics") for s in windows_sheets] == [["familles"], ["familles"]]

    def test_an_empty_file_holds_no_sheet(self):
        assert parse_text("") == []
        assert parse_text(decode(b"")) == []
        assert parse_text("\n \n\ufeff\n") == []

    def test_identical_sheets_share_a_fingerprint_and_a_changed_one_does_not(self):
        a, b, c = parse_text(sheet_text() + sheet_text() + sheet_text(summary="Autre résumé."))
        assert a.fingerprint == b.fingerprint != c.fingerprint


class TestDecode:
    def test_a_utf8_bom_is_dropped(self):
        assert decode("\ufeffActions".encode()) == "Actions"

    @pytest.mark.parametrize(
        "data",
        [
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)),
        ],
        ids=["png", "zip"],
    )
    def test_binary_files_are_refused(self, data):
        with pytest.raises(UnreadableText, match="binaire"):
            decode(data)

    def test_a_latin1_file_is_refused_as_not_utf8(self):
        with pytest.raises(UnreadableText, match="UTF-8"):
            decode("Actions\nSéjour d'été".encode("latin-1"))


LINE_POOL = [
    "Actions",
    "",
    "-",
    "Partenaires d'action:",
    "Les actions des centres sociaux",
    "Nom | Département | Année |",
    "- CENTRE SOCIAL DU PARC - Val-de-Marne",
    "- X - Inconnu",
    "- En cours",
    "- Terminée",
    "- Culture",
    "- CAF : 1 500€",
    "Budget 2016 : 62000 €",
    "- REAAP :",
    "12000 €",
    "2 salariés et 3 bénévoles",
    *(f"- {section.label}" for section in current_sections()),
]
sheet_like_text = st.lists(
    st.one_of(st.sampled_from(LINE_POOL), st.text(max_size=40)), max_size=80
).map("\n".join)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text())
def test_random_text_never_crashes_the_parser(text):
    for sheet in parse_text(text):
        assert sheet.start_line >= 1


@hypothesis_settings(max_examples=200, deadline=None)
@given(sheet_like_text)
def test_random_sheet_shaped_text_never_crashes_and_sheets_start_at_actions_lines(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sheets = parse_text(text)
    starts = [sheet.start_line for sheet in sheets]
    assert starts == sorted(set(starts))
    for sheet in sheets:
        assert lines[sheet.start_line - 1].strip() == "Actions"
        assert sheet.rejection or (sheet.title and sheet.structure)
        assert all(line.amount >= 0 for line in sheet.funding.lines)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_decoded_or_refused_never_crash(data):
    try:
        text = decode(data)
    except UnreadableText:
        return
    parse_text(text)
