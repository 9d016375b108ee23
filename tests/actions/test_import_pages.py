"""Saved pages as bytes and lines: encodings, Unicode forms, and pages that hold no sheet."""

import codecs
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.importer.pages import UnreadableText, decode, page_lines
from actions.importer.parser import parse_page, parse_text
from actions.models import Action
from tests.actions.factories import sheet_text

SENACS = Path(settings.BASE_DIR) / "fixtures" / "senacs"
TWO_SHEETS = sheet_text() + sheet_text(title="Jardin partagé", summary="Un jardin à l’école.")


def summary(sheets):
    return [(s.start_line, s.title, s.values("publics"), s.texts["summary"]) for s in sheets]


class TestEncodings:
    @pytest.mark.parametrize(
        "encode",
        [
            lambda text: text.encode("utf-16"),
            lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
            lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
            lambda text: text.encode("utf-16-le"),
            lambda text: text.encode("utf-16-be"),
            lambda text: text.encode("utf-32"),
            lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        ],
        ids=["utf16", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32", "utf8-bom"],
    )
    def test_a_page_in_any_unicode_encoding_reads_like_its_utf8_copy(self, encode):
        assert decode(encode(TWO_SHEETS)) == TWO_SHEETS
        assert summary(parse_text(decode(encode(TWO_SHEETS)))) == summary(parse_text(TWO_SHEETS))

    def test_a_utf16_page_with_windows_line_endings_reads_the_same(self):
        data = TWO_SHEETS.replace("\n", "\r\n").encode("utf-16")
        assert summary(parse_text(decode(data))) == summary(parse_text(TWO_SHEETS))

    def test_invalid_utf16_is_refused_with_its_position(self):
        with pytest.raises(UnreadableText, match="UTF-16 ou UTF-32 valide"):
            decode(codecs.BOM_UTF16_LE + "Actions".encode("utf-16-le") + b"\x00\xd8")

    @pytest.mark.parametrize(
        "data",
        [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"\x00\x01\x02\x03" * 64],
        ids=["png", "zeros-everywhere"],
    )
    def test_binary_data_with_zero_bytes_is_still_refused(self, data):
        with pytest.raises(UnreadableText, match="binaire"):
            decode(data)


class TestUnicodeForms:
    def test_a_page_in_decomposed_unicode_reads_like_the_composed_one(self):
        nfd = unicodedata.normalize("NFD", TWO_SHEETS)
        assert nfd != TWO_SHEETS
        assert summary(parse_text(nfd)) == summary(parse_text(TWO_SHEETS))
        sheet = parse_text(nfd)[1]
        assert sheet.texts["summary"] == "Un jardin à l’école."
        assert unicodedata.is_normalized("NFC", sheet.fingerprint)

    def test_decomposed_labels_are_labels_not_values(self):
        sheet = parse_text(unicodedata.normalize("NFD", sheet_text()))[0]
        assert sheet.values("initiatives") == ["Le centre social"]
        assert sheet.values("territory_scale") == ["Une commune"]
        assert sheet.texts["summary"] == "Un atelier de cuisine partagée chaque mercredi."
        assert sheet.notices == []

    def test_decode_returns_nfc(self):
        data = unicodedata.normalize("NFD", "Résumé").encode("utf-8")
        assert decode(data) == "Résumé"

    def test_lines_split_on_every_line_ending(self):
        assert page_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]


class TestPagesWithoutSheet:
    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("", "fichier vide : aucune fiche à importer"),
            ("\n \n\ufeff\n", "fichier vide : aucune fiche à importer"),
            ("# source: https://senacs.fr/action/show/1\n\n", "fichier vide"),
            ("Bonjour\nRien à voir ici.\n", "aucune fiche action reconnue"),
        ],
    )
    def test_the_parser_says_why_a_page_holds_no_sheet(self, text, reason):
        page = parse_page(text)
        assert page.sheets == []
        assert page.reason.startswith(reason)

    def test_the_charter_page_is_recognised_as_the_charter(self):
        page = parse_page((SENACS / "action_show_1379_CHARTE-ONLY.txt").read_text("utf-8"))
        assert page.sheets == []
        assert page.reason.startswith("page de la charte d'utilisation de SENACS, sans fiche")

    def test_a_charter_in_decomposed_unicode_is_still_the_charter(self):
        text = (SENACS / "action_show_1379_CHARTE-ONLY.txt").read_text("utf-8")
        assert "charte" in parse_page(unicodedata.normalize("NFD", text)).reason

    @pytest.mark.parametrize("name", ["structure_csx_page22_asc.txt", "structure_evs_page42.txt"])
    def test_a_directory_page_is_sent_to_the_structure_import(self, name):
        page = parse_page((SENACS / name).read_text("utf-8"))
        assert page.sheets == []
        assert "import_structures" in page.reason


def command(*paths):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_sheets", *map(str, paths), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


@pytest.mark.django_db
@pytest.mark.db_sensitive  # the importer: one transaction per file
class TestCommandOnPagesWithoutSheet:
    def test_the_charter_page_fails_the_import_with_its_reason(self):
        path = SENACS / "action_show_1379_CHARTE-ONLY.txt"
        status, output = command(path)
        assert status == 1
        assert f"{path} : fichier rejeté, page de la charte d'utilisation de SENACS" in output
        assert Action.objects.count() == 0

    def test_older_layout_sheets_without_a_known_structure_are_rejected_with_the_reason(self):
        status, output = command(SENACS / "action_show_107.txt", SENACS / "action_show_271.txt")
        assert status == 1
        assert (
            "ligne     2  rejetée      le plus grand patchwork du monde — page à l'ancienne "
            "mise en page sans structure : indiquez --structure, ou importez d'abord l'annuaire"
        ) in output
        assert "ligne     2  rejetée      Fête de printemps" in output
        assert "Total : 2 fiches" in output and "2 rejetées" in output
        assert Action.objects.count() == 0

    def test_a_good_file_still_imports_next_to_a_page_without_sheet(self, tmp_path):
        good = tmp_path / "fiches.txt"
        good.write_text(sheet_text(), encoding="utf-8")
        status, output = command(SENACS / "action_show_1379_CHARTE-ONLY.txt", good)
        assert status == 1
        assert "ligne     1  créée        Atelier cuisine du mercredi" in output
        assert Action.objects.count() == 1

    def test_a_utf16_file_imports(self, tmp_path):
        path = tmp_path / "fiches.txt"
        path.write_bytes(sheet_text().replace("\n", "\r\n").encode("utf-16"))
        assert command(path)[0] == 0
        assert Action.objects.get().title == "Atelier cuisine du mercredi"
