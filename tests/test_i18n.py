"""The English translation: complete in the catalogue, and served to visitors who ask for it.

French is the source language; English comes from locale/en/LC_MESSAGES/django.po, compiled
to a git-ignored .mo (scripts/test compiles it; the session fixture here does too if needed).
"""

import ast
import contextlib
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.signals import setting_changed
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# (page, French text, its English translation)
PAGES = [
    ("catalogue:home", "Ce que font les centres sociaux", "What social centres do"),
    ("catalogue:action_list", "Catalogue des actions", "Action catalogue"),
    (
        "observatory:index",
        "Observatoire : le réseau en chiffres",
        "Observatory: the network in figures",
    ),
]


FRENCH_PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
OVERRIDES_DIR = Path(settings.BASE_DIR) / "locale_overrides"
# Every catalogue of the portal: its English, its French plurals, its wordings of other packages.
CATALOGUES = [PO_FILE, FRENCH_PO_FILE, OVERRIDES_DIR / "fr" / "LC_MESSAGES" / "django.po"]


def _mo_is_up_to_date(po_file: Path) -> bool:
    mo_file = po_file.with_suffix(".mo")
    return mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime


@pytest.fixture(scope="session")
def compiled_translations():
    """The .mo files, built from the .po files when missing or older than them."""
    if all(_mo_is_up_to_date(po_file) for po_file in CATALOGUES):
        return
    if shutil.which("msgfmt") is None:
        pytest.skip(
            "A .mo file is missing or older than its .po and GNU gettext (msgfmt) is not "
            "installed: run scripts/test, or install gettext and run "
            "`manage.py compilemessages --ignore=.venv`."
        )
    # From inside a locale folder, compilemessages only finds LOCALE_PATHS, not every
    # "locale" folder of the checkout and its virtualenv.
    with contextlib.chdir(LOCALE_DIR):
        call_command("compilemessages", verbosity=0)
    # Translations already loaded by this process would still be the old ones: announcing a
    # change of LOCALE_PATHS makes Django drop its translation caches.
    setting_changed.send(
        sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
    )


def _po_entries(text: str) -> list[dict]:
    """The entries of a .po file: their flags and their (unescaped) msgctxt/msgid/msgstr."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#~"):
                entry["obsolete"] = True
            elif match := re.match(
                r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line
            ):
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += ast.literal_eval(line)
        if "msgid" in entry or entry["obsolete"]:
            entries.append(entry)
    return entries


def _translations(entry: dict) -> list[tuple[str, str]]:
    """(source, translation) pairs of an entry: one, or one per plural form."""
    if "msgid_plural" in entry:
        return [
            (entry["msgid"], entry.get("msgstr[0]", "")),
            (entry["msgid_plural"], entry.get("msgstr[1]", "")),
        ]
    return [(entry["msgid"], entry.get("msgstr", ""))]


def _label(entry: dict) -> str:
    return f"{entry.get('msgctxt', '')}|{entry['msgid']}".lstrip("|")


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


@pytest.fixture(scope="module")
def entries():
    return _po_entries(PO_FILE.read_text(encoding="utf-8"))


class TestEnglishCatalogue:
    def test_every_message_has_an_english_translation(self, entries):
        untranslated = [
            _label(entry)
            for entry in entries
            if entry.get("msgid") and not all(text for _, text in _translations(entry))
        ]
        assert untranslated == []

    def test_no_translation_is_fuzzy_or_obsolete(self, entries):
        fuzzy = [_label(entry) for entry in entries if "fuzzy" in entry["flags"]]
        assert fuzzy == []
        assert not any(entry["obsolete"] for entry in entries)

    def test_translations_keep_the_placeholders_tags_and_outer_whitespace(self, entries):
        mismatches = []
        for entry in entries:
            if not entry.get("msgid"):
                continue
            for source, text in _translations(entry):
                if (
                    sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))
                    or source[: len(source) - len(source.lstrip())]
                    != text[: len(text) - len(text.lstrip())]
                    or source[len(source.rstrip()) :] != text[len(text.rstrip()) :]
                    or source.count("\n") != text.count("\n")
                ):
                    mismatches.append((source, text))
        assert mismatches == []

    def test_the_header_declares_english_and_its_plural_forms(self, entries):
        header = next(entry for entry in entries if entry.get("msgid") == "")
        assert "Language: en\n" in header["msgstr"]
        assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]


@pytest.fixture(scope="module")
def french_entries():
    return _po_entries(FRENCH_PO_FILE.read_text(encoding="utf-8"))


class TestFrenchCatalogue:
    """French is the source language; its catalogue is there for French's plural rule."""

    def test_every_plural_of_the_sources_has_its_french_forms(self, entries, french_entries):
        french = {
            _label(entry): _translations(entry)
            for entry in french_entries
            if "msgid_plural" in entry and "fuzzy" not in entry["flags"]
        }
        missing = [
            _label(entry)
            for entry in entries
            if "msgid_plural" in entry
            and french.get(_label(entry))
            != [(source, source) for source, _ in _translations(entry)]
        ]
        assert missing == [], (
            "Refresh locale/fr (makemessages -l fr, then msgen: see the head of its .po)"
        )

    def test_the_header_declares_french_and_its_plural_forms(self, french_entries):
        header = next(entry for entry in french_entries if entry.get("msgid") == "")
        assert "Language: fr\n" in header["msgstr"]
        assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header["msgstr"]
        assert "fuzzy" not in header["flags"]

    @pytest.mark.usefixtures("compiled_translations")
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("fr", ["0 section vide", "1 section vide", "2 sections vides"]),
            ("en", ["0 empty sections", "1 empty section", "2 empty sections"]),
        ],
    )
    def test_zero_and_one_are_singular_in_french_only(self, language, expected):
        with translation.override(language):
            assert [
                translation.ngettext(
                    "%(counter)s section vide", "%(counter)s sections vides", count
                )
                % {"counter": count}
                for count in (0, 1, 2)
            ] == expected


def assert_in_english(response, french: str, english: str) -> None:
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert english in html
    assert french not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_translations")
class TestLanguageOfThePages:
    @pytest.mark.parametrize(("page", "french", "english"), PAGES)
    def test_a_page_is_in_french_by_default(self, client, page, french, english):
        response = client.get(reverse(page))
        html = response.content.decode()
        assert response["Content-Language"] == "fr"
        assert '<html lang="fr">' in html
        assert french in html
        assert english not in html

    @pytest.mark.parametrize(("page", "french", "english"), PAGES)
    def test_a_page_is_in_english_with_the_language_cookie(self, client, page, french, english):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert_in_english(client.get(reverse(page)), french, english)

    @pytest.mark.parametrize(("page", "french", "english"), PAGES)
    def test_a_page_is_in_english_when_the_browser_prefers_it(self, client, page, french, english):
        response = client.get(reverse(page), headers={"accept-language": "en-GB,en;q=0.9"})
        assert_in_english(response, french, english)

    def test_the_language_cookie_wins_over_the_browser_preference(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = client.get(reverse("catalogue:action_list"), headers={"accept-language": "en"})
        assert "Catalogue des actions" in response.content.decode()

    def test_the_header_language_switch_sets_english_for_the_next_pages(self, client):
        catalogue = reverse("catalogue:action_list")
        response = client.post(reverse("set_language"), {"language": "en", "next": catalogue})
        assert response.status_code == 302
        assert response["Location"] == catalogue
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        html = client.get(catalogue).content.decode()
        assert "Action catalogue" in html
        assert "Catalogue des actions" not in html
