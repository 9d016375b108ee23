"""The samples cut at every line end and at 50 random characters, each cut copy imported
through the whole import over what the whole samples gave: it never creates a vocabulary
value, never files a sheet (or a structure) under another département, never publishes a cut
sheet and never shortens a stored text.

The reference data (the directory pages, then every sample sheet imported whole, as drafts)
are built once for the module; the cut copies are imported with ``--publish --overwrite`` in
a savepoint rolled back after the checks. A cut sheet page is imported from the start of the
sheet the cut falls in (the sheets before it are the whole ones, already stored), at its own
line numbers; a cut directory page is imported whole. To keep the test fast, one run imports
a cut copy of each sheet of the current-layout sample at once, each as a file of its own:
the copies of different sheets are different actions, which the run imports independently
(a sheet the sample repeats word for word is cut once).
"""

import random
from itertools import zip_longest
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from actions.importer.directory_loader import import_structures
from actions.importer.loader import TEXT_FIELDS, VOCABULARIES, Source, import_sheets
from actions.models import Action
from federations.models import Structure
from tests.federations.factories import StructureFactory, department
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
CURRENT = FIXTURES / "sheets" / "observatoire_sample.txt"
OLDER = [FIXTURES / "senacs" / "action_show_107.txt", FIXTURES / "senacs" / "action_show_271.txt"]
DIRECTORY = [
    FIXTURES / "senacs" / "structure_csx_page22_asc.txt",
    FIXTURES / "senacs" / "structure_evs_page42.txt",
]
# Sheet 271 names neither its structure nor its website: it is imported with --structure.
GIVEN = "centre-social-de-la-fete-de-printemps"


def offsets(text: str) -> list[int]:
    """Every line end and 50 characters drawn once (the same ones at every run)."""
    ends = [index for index, char in enumerate(text) if char == "\n"] + [len(text)]
    return ends + random.Random(14).sample(range(len(text)), 50)


def vocabulary_sizes() -> tuple[int, ...]:
    tables = [model._meta.db_table for model in VOCABULARIES.values()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return tuple(cursor.fetchone())


def sheets_state() -> dict:
    """Each stored sheet: its département, publication and texts."""
    return {
        row[0]: row[1:]
        for row in Action.objects.values_list(
            "slug", "structure__department__code", "publication_status", *TEXT_FIELDS
        )
    }


def structures_state() -> list[tuple]:
    return sorted(tuple(row.values()) for row in Structure.objects.values())


@shared_data(scope="module")
def reference():
    """The directory pages and every sample sheet, imported whole; what they stored."""
    import_structures(sources=[Source(p.name, p.read_text("utf-8")) for p in DIRECTORY])
    StructureFactory(
        name="Centre socioculturel de Wimereux",
        website="http://www.cscwimereux.org",
        department=department("62"),
    )
    given = StructureFactory(name="Centre social de la fête de printemps", slug=GIVEN)
    pages = [CURRENT, *OLDER]
    report = import_sheets(
        sources=[Source(p.name, p.read_text("utf-8")) for p in pages], structure=given
    )
    assert not report.failed and not report.incomplete
    return {
        "given": given,
        "vocabularies": vocabulary_sizes(),
        "sheets": sheets_state(),
        "structures": structures_state(),
    }


def sheet_cut(text: str, offset: int) -> str:
    """``text`` cut at ``offset``, from the start of the sheet the cut falls in."""
    cut = text[:offset]
    start = cut.rfind("\nActions\n") + 1
    return "\n" * cut[:start].count("\n") + cut[start:]


def runs(text: str) -> list[list[int]]:
    """The cut offsets of ``text``, one of each sheet per run (see the module's docstring)."""
    by_sheet: dict[str, list[int]] = {}
    for offset in offsets(text):
        cut = text[:offset]
        start = cut.rfind("\nActions\n") + 1
        end = text.find("\nActions\n", start + 1)
        by_sheet.setdefault(text[start : end if end >= 0 else len(text)], []).append(offset)
    return [
        [offset for offset in run if offset is not None] for run in zip_longest(*by_sheet.values())
    ]


def check_cuts(reference, text: str, cuts: list[int], structure=None) -> None:
    """Import the cut copies ``cuts`` of ``text`` in one run, check, and roll back."""
    with transaction.atomic():
        report = import_sheets(
            sources=[Source(f"coupe-{offset}.txt", sheet_cut(text, offset)) for offset in cuts],
            publish=True,
            overwrite=True,
            structure=structure,
        )
        assert vocabulary_sizes() == reference["vocabularies"], cuts
        after, before = sheets_state(), reference["sheets"]
        assert after.keys() == before.keys(), cuts  # none filed elsewhere, none added
        for slug, (code, _status, *texts) in after.items():
            assert (code, *texts) == (before[slug][0], *before[slug][2:]), (cuts, slug)
        for result in report.results:
            if result.incomplete:
                assert after[result.action_slug][1] == before[result.action_slug][1], cuts
        transaction.set_rollback(True)


# The runs of the current-layout sample, shared out among tests that workers run in parallel:
# test ``part`` checks every ``PARTS``-th run, from run ``part`` on; together, every run.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"runs-{part + 1}-of-{PARTS}")
def test_the_current_layout_sample_cut_anywhere_changes_nothing_stored_nor_publishes(
    reference, part
):
    text = CURRENT.read_text("utf-8")
    for cuts in runs(text)[part::PARTS]:
        check_cuts(reference, text, cuts)


@pytest.mark.parametrize("path", OLDER, ids=lambda path: path.name)
def test_an_older_layout_sample_cut_anywhere_changes_nothing_stored_nor_publishes(reference, path):
    """Sheet 107 names its structure by its website; sheet 271 is given its structure."""
    text = path.read_text("utf-8")
    structure = reference["given"] if path == OLDER[1] else None
    for offset in offsets(text):
        check_cuts(reference, text, [offset], structure)


@pytest.mark.parametrize("path", DIRECTORY, ids=lambda path: path.name)
def test_a_directory_page_cut_anywhere_changes_no_structure(reference, path):
    text = path.read_text("utf-8")
    for offset in offsets(text):
        with transaction.atomic():
            import_structures(sources=[Source(path.name, text[:offset])])
            assert structures_state() == reference["structures"], offset
            transaction.set_rollback(True)
