"""Pages saved before their end: the sheet they cut short is marked, and nothing cut becomes data.

The property tests cut every sample page at every line and at random characters, and check
what the parser makes of the cut copy against what it makes of the whole page.
"""

import functools
import random
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.importer.loader import Outcome, Source, department_keys, import_sheets
from actions.importer.parser import (
    CURRENT,
    LEGACY,
    LIST_FIELDS,
    continuations,
    parse_text,
)
from actions.models import Initiative, Theme
from tests.actions.factories import sheet_text

SAMPLES = [
    Path(settings.BASE_DIR) / "fixtures" / "sheets" / "observatoire_sample.txt",
    Path(settings.BASE_DIR) / "fixtures" / "senacs" / "action_show_107.txt",
    Path(settings.BASE_DIR) / "fixtures" / "senacs" / "action_show_271.txt",
    *sorted((Path(settings.BASE_DIR) / "fixtures" / "senacs" / "variants").glob("action*.txt")),
]
DEPARTMENT_NAMES = [
    name
    for _code, name, _region in import_module(
        "federations.migrations.0002_seed_regions_and_departments"
    ).DEPARTMENTS
]
# Départements whose name begins other ones'.
PREFIXES = {
    "Tarn": ["Tarn-et-Garonne"],
    "Lot": ["Lot-et-Garonne"],
    "Charente": ["Charente-Maritime"],
    "Loire": ["Loire-Atlantique", "Loiret"],
    "Indre": ["Indre-et-Loire"],
    "Eure": ["Eure-et-Loir"],
}
LONGER = sorted(name for names in PREFIXES.values() for name in names)


DEPARTMENT_BY_KEY = {key: name for name in DEPARTMENT_NAMES for key in department_keys(name)}


def department_of(label: str) -> str | None:
    """The département a label names, as the loader matches it (None: unknown)."""
    return next(
        (DEPARTMENT_BY_KEY[key] for key in department_keys(label) if key in DEPARTMENT_BY_KEY),
        None,
    )


def only_sheet(text: str):
    sheets = parse_text(text)
    assert len(sheets) == 1
    return sheets[0]


def ending(text: str, marker: str, kept: str) -> str:
    """``text`` cut right after ``kept``, the beginning of ``marker``'s first occurrence."""
    return text[: text.index(marker)] + kept


class TestCutSheets:
    def test_a_page_cut_in_a_list_line_keeps_no_part_of_it(self):
        text = ending(sheet_text(), "- Territoire concerné", "- Territoire con")
        sheet = only_sheet(text)
        assert sheet.truncated and sheet.cut_field == "initiatives"
        assert sheet.values("initiatives") == ["Le centre social"]
        assert sheet.cut_line == text.count("\n") + 1
        assert [n.message for n in sheet.notices] == [
            "ligne coupée par la fin de la page, non retenue : « - Territoire con »"
        ]

    @pytest.mark.parametrize(
        ("marker", "kept", "field"),
        [
            ("- Le centre social", "- Le centre soc", "initiatives"),
            ("- vacances / loisirs", "- vacances / lo", "themes"),
            ("- Citoyenneté", "- Servi", "dimension"),
            ("- familles", "- famil", "publics"),
            ("- ANCV", "- AN", "partners"),
            ("- En cours", "- En co", "status"),
        ],
    )
    def test_a_cut_value_of_any_list_is_not_a_value(self, marker, kept, field):
        sheet = only_sheet(ending(sheet_text(), marker, kept))
        assert sheet.cut_field == field
        assert kept.removeprefix("- ") not in sheet.values(field)
        assert sheet.values(field) == [
            value for value in sheet.values(field) if not kept.endswith(value)
        ]

    def test_even_a_whole_value_on_the_last_line_of_a_cut_page_is_not_kept(self):
        # "- Une commune" may be all of the line or the start of a longer value.
        sheet = only_sheet(ending(sheet_text(), "- Description de l'expérience", ""))
        assert sheet.cut_field == "territory_scale"
        assert sheet.values("territory_scale") == []

    def test_a_cut_text_is_kept_as_far_as_the_page_goes_and_its_section_marked(self):
        sheet = only_sheet(ending(sheet_text(), "- Ressources financières", "").rstrip() + "prép")
        assert sheet.cut_field == "description"
        assert sheet.texts["description"].endswith("habitants.prép")

    def test_an_amount_cut_short_gives_no_funding_line_nor_budget(self):
        text = ending(
            sheet_text(financial="CAF : 1 500€\nCommune : 500€"), "Commune", "Commune : 5"
        )
        sheet = only_sheet(text)
        assert sheet.cut_field == "financial_resources"
        assert [(f.funder, f.amount) for f in sheet.funding.lines] == [("Caf", 1500)]
        assert sheet.texts["financial_resources"].endswith("Commune : 5")  # the text is kept
        bare = only_sheet(ending(sheet_text(financial="12000 €\n3000 €"), "3000", "30"))
        assert bare.funding.total_budget is None

    def test_a_count_cut_short_is_not_read(self):
        text = ending(sheet_text(people="2 salariés\n15 bénévoles"), "15 bén", "1")
        sheet = only_sheet(text)
        assert (sheet.people.staff, sheet.people.volunteers) == (2, None)

    def test_a_heading_cut_after_a_whole_amount_line_keeps_that_line(self):
        text = ending(sheet_text(), "- Nombre de personnes", "- Nombre de pers")
        assert [f.amount for f in only_sheet(text).funding.lines] == [1500, 500]

    def test_a_heading_cut_short_is_not_text_of_the_section_before(self):
        text = ending(sheet_text(), "- Nombre de personnes", "- Nombre de pers")
        sheet = only_sheet(text)
        assert sheet.cut_field == "financial_resources"
        assert sheet.texts["financial_resources"] == "CAF : 1 500€\nCommune : 500€"

    def test_a_page_ending_on_the_final_heading_is_cut_in_that_section(self):
        sheet = only_sheet(ending(sheet_text(), "Continuer l'an prochain.", "\n\n"))
        assert sheet.truncated and sheet.cut_field == "perspectives"

    def test_a_complete_sheet_with_its_final_section_is_not_cut(self):
        sheet = only_sheet(sheet_text())
        assert (sheet.truncated, sheet.cut_field, sheet.cut_line) == (False, None, None)

    def test_the_start_of_the_next_sheet_at_the_end_of_the_page_is_not_text(self):
        sheet = only_sheet(sheet_text() + "Actio")
        assert not sheet.truncated
        assert sheet.texts["perspectives"] == "Continuer l'an prochain."

    def test_a_sheet_followed_by_the_next_page_heading_is_at_a_page_end(self):
        page = "Les actions des centres sociaux\nNom | Département | Année |\n"
        first, second = parse_text(
            ending(sheet_text(), "- Public", "- Public\n- famil\n") + page + sheet_text()
        )
        assert first.truncated and first.values("publics") == []
        assert not second.truncated and second.values("publics") == ["familles"]

    def test_a_cut_sheet_in_the_middle_of_a_file_keeps_no_last_list_value(self):
        first, second = parse_text(
            ending(sheet_text(), "- Public", "- Public\n- famil\n") + sheet_text()
        )
        assert first.truncated and first.cut_field == "publics"
        assert first.values("publics") == []
        assert second.values("publics") == ["familles"]


class TestDepartmentAtTheCut:
    @pytest.mark.parametrize(("short", "long"), PREFIXES.items())
    def test_a_departement_that_begins_another_is_flagged_at_the_cut(self, short, long):
        assert continuations(short, DEPARTMENT_NAMES) == long
        sheet = only_sheet(f"Actions\nFête\n- Structure organisatrice\n- CS DU PARC - {short}")
        assert sheet.truncated and sheet.cut_field == "structure"
        assert sheet.structure.cut and sheet.structure.department == short

    def test_a_departement_closed_by_its_code_or_followed_by_a_line_is_whole(self):
        assert continuations("Tarn (81)", DEPARTMENT_NAMES) == []
        sheet = only_sheet(sheet_text(structure="CS DU PARC - Tarn"))
        assert not sheet.structure.cut

    def test_a_departement_no_other_begins_with_is_not_in_doubt(self):
        assert continuations("Tarn-et-Garonne", DEPARTMENT_NAMES) == []
        assert continuations("Haute-Savoie", DEPARTMENT_NAMES) == []
        assert continuations("Seine", DEPARTMENT_NAMES) == [
            "Seine-Maritime",
            "Seine-et-Marne",
            "Seine-Saint-Denis",
        ]

    def test_every_name_that_begins_another_is_known(self):
        found = {
            name: continuations(name, DEPARTMENT_NAMES)
            for name in DEPARTMENT_NAMES
            if continuations(name, DEPARTMENT_NAMES)
        }
        assert found == PREFIXES


@pytest.mark.django_db
@pytest.mark.db_sensitive  # the importer: one transaction per file
class TestLoaderAtTheCut:
    def run(self, text):
        return import_sheets(sources=[Source("coupee.txt", text)])

    @pytest.mark.parametrize(("short", "long"), PREFIXES.items())
    def test_a_sheet_cut_after_a_departement_prefix_is_rejected_not_filed(self, short, long):
        report = self.run(f"Actions\nFête\n- Structure organisatrice\n- CS DU PARC - {short}")
        (result,) = report.results
        assert result.outcome == Outcome.REJECTED
        assert result.detail == (
            f"la page se termine sur « {short} », qui peut être le début de « "
            + " », « ".join(long)
            + " » : département non deviné"
        )
        assert report.failed

    def test_the_same_sheet_not_cut_is_filed_under_the_short_departement(self):
        report = self.run(sheet_text(structure="CS DU PARC - Tarn"))
        assert report.results[0].outcome == Outcome.CREATED
        from federations.models import Structure

        assert Structure.objects.get().department.code == "81"

    def test_a_cut_list_line_creates_no_vocabulary_value(self):
        initiatives, themes = Initiative.objects.count(), Theme.objects.count()
        self.run(ending(sheet_text(), "- Territoire concerné", "- Territoire con"))
        self.run(ending(sheet_text(title="Autre"), "- vacances / loisirs", "- Démocratie & c"))
        assert (Initiative.objects.count(), Theme.objects.count()) == (initiatives, themes)
        assert not Initiative.objects.filter(name__startswith="Territoire").exists()


# -- the property: every sample cut anywhere ------------------------------------------------


def _sheet_region(text: str, sheets, line: int):
    """The sheet of ``sheets`` (parsed from ``text``) in which line ``line`` lies."""
    return next((s for s in reversed(sheets) if s.start_line <= line), None)


def _final_heading_end(text: str, sheet) -> int | None:
    """Offset in ``text`` of the end of the line holding ``sheet``'s final heading."""
    layout = CURRENT if sheet.layout == CURRENT.name else LEGACY
    lines = text.split("\n")
    for number in range(sheet.start_line, len(lines) + 1):
        if number > sheet.start_line and lines[number - 1].strip() == "Actions":
            break
        if layout.label_field(lines[number - 1]) == layout.final_field:
            return len("\n".join(lines[:number]))
    return None


@functools.cache
def whole_sheets(text: str):
    return parse_text(text)


def check_cut(text: str, offset: int) -> None:
    """Cut ``text`` at ``offset`` and check the last sheet of the cut copy against the whole."""
    whole = whole_sheets(text)
    cut_text = text[:offset]
    cut_line = cut_text.count("\n") + 1
    original = _sheet_region(text, whole, cut_line)
    if original is None:
        assert parse_text(cut_text) == []
        return
    # Parse the cut sheet alone, at its own line numbers: the sheets before are untouched.
    start = len("\n".join(text.split("\n")[: original.start_line - 1]))
    padded = "\n" * (original.start_line - 1) + cut_text[start:].lstrip("\n")
    sheets = parse_text(padded)
    if not sheets:
        return
    sheet = sheets[-1]
    assert sheet.start_line == original.start_line
    # 1. No list value from a cut line: every value is the original's, at the same line.
    for name in LIST_FIELDS - {"structure"}:
        wanted = {(item.value, item.line) for item in original.lists.get(name, [])}
        for item in sheet.lists.get(name, []):
            assert (item.value, item.line) in wanted, (name, item, offset)
    assert {(f.name, f.line) for f in sheet.files} <= {(f.name, f.line) for f in original.files}
    # ... nor a figure: funding lines are the original's, counts at most the original's.
    funded = {(f.funder, f.amount, f.line) for f in original.funding.lines}
    assert {(f.funder, f.amount, f.line) for f in sheet.funding.lines} <= funded, offset
    assert sheet.funding.total_budget in {None, original.funding.total_budget}, offset
    for count in ("staff", "volunteers", "participants"):
        value, whole = getattr(sheet.people, count), getattr(original.people, count)
        assert value is None or (whole is not None and value <= whole), (count, offset)
    # 2. Never a wrong département: the one named, or one the loader refuses.
    if sheet.structure is not None and sheet.rejection is None:
        label = sheet.structure.department
        ambiguous = sheet.structure.cut and continuations(label, DEPARTMENT_NAMES)
        resolved = department_of(label)
        assert ambiguous or resolved in {None, department_of(original.structure.department)}
        if resolved is not None and not ambiguous:
            assert sheet.structure.name == original.structure.name
    # 3. The cut is marked whenever the page ends before the final heading, or on it.
    final_end = _final_heading_end(text, original)
    if final_end is None or offset <= final_end or not cut_text[final_end:].strip():
        assert sheet.truncated, (offset, cut_text[-80:])
        assert sheet.cut_line is not None


def sample_offsets(text: str) -> list[int]:
    """Every line end and, deterministically, 50 characters of the sample."""
    ends = [index for index, char in enumerate(text) if char == "\n"] + [len(text)]
    return ends + random.Random(14).sample(range(len(text)), 50)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_every_sample_cut_at_every_line_and_50_characters_keeps_the_rules(path):
    text = path.read_text(encoding="utf-8")
    for offset in sample_offsets(text):
        check_cut(text, offset)


@hypothesis_settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_a_sample_cut_at_any_character_keeps_the_rules(data):
    path = data.draw(st.sampled_from(SAMPLES))
    text = path.read_text(encoding="utf-8")
    check_cut(text, data.draw(st.integers(min_value=0, max_value=len(text))))


@hypothesis_settings(max_examples=100, deadline=None)
@given(long=st.sampled_from(LONGER), keep=st.integers(min_value=1, max_value=40))
def test_a_sheet_of_a_long_departement_cut_anywhere_is_never_filed_under_another(long, keep):
    text = sheet_text(structure=f"CS DU PARC - {long}")
    start = text.index(long)
    sheet = only_sheet(text[: start + keep])
    if sheet.structure is None or sheet.rejection:
        return
    label = sheet.structure.department
    resolved = department_of(label)
    assert resolved in {None, long} or (
        sheet.structure.cut and continuations(label, DEPARTMENT_NAMES)
    )
