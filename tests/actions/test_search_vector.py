"""The search vector of a sheet (PostgreSQL, actions/sql/search_vector_v2.sql): each section and
linked name at its weight, exact after any write of a name or a link, and never too long for
PostgreSQL whatever the text."""

import itertools
import re
import string

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from actions.enums import ActionStatus, PartnerRole
from actions.facet_index import deferred_index
from actions.models import Action, ActionPartner, Funding, Partner, Theme
from actions.search_vector import deferred_vectors
from actions.sections import weighted_paths
from catalogue.search import MAX_SECTION_CHARS, search
from federations.models import Structure
from federations.text import name_key
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    theme,
)
from tests.federations.factories import StructureFactory

pytestmark = pytest.mark.usefixtures("on_postgresql")

# PostgreSQL's limit on the distinct words of a tsvector (MAXSTRPOS).
TSVECTOR_LIMIT = 1_048_575

TEXT_SECTIONS = [path for paths in weighted_paths().values() for path in paths if "__" not in path]


def blank_sheet(**fields) -> Action:
    """A sheet without the factory's random text, which could hold any word searched here."""
    return ActionFactory(**{"summary": "", "experience": "", "description": "", **fields})


def stale_vectors() -> list[str]:
    """Titles of the sheets whose stored vector is not what their rows give now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM actions_action a"
            " WHERE a.search_vector IS DISTINCT FROM actions_action_search_vector(a)"
            " ORDER BY title"
        )
        return [title for (title,) in cursor.fetchall()]


def found(text: str) -> set[str]:
    return set(search(Action.objects.all(), text).values_list("title", flat=True))


def row_versions() -> dict[int, str]:
    """Each sheet's xmin: it changes when the row is written."""
    return dict(Action.objects.extra(select={"xmin": "xmin::text"}).values_list("pk", "xmin"))


def weight_of(word: str, vector: str) -> str:
    """The weight of ``word``'s lexeme in ``vector`` (D when PostgreSQL leaves it unlabelled)."""
    (label,) = re.findall(rf"'{word}':\d+([ABC]?)", vector)
    return label or "D"


def _link(sheet: Action, path: str, word: str) -> None:
    """Give ``sheet`` the name ``word`` through the relation ``path`` leads to."""
    if path == "structure__name":
        Structure.objects.filter(pk=sheet.structure_id).update(name=word)
    elif path == "themes__name":
        Theme.objects.filter(slug="culture").update(name=word)
        sheet.themes.add(theme("culture"))
    elif path == "partners__name":
        ActionPartnerFactory(action=sheet, partner=PartnerFactory(name=word))
    elif path == "fundings__funder__name":
        FundingFactory(action=sheet, funder=PartnerFactory(name=word))
    else:
        raise AssertionError(path)


@pytest.mark.parametrize(
    ("weight", "path"),
    [(weight, path) for weight, paths in weighted_paths().items() for path in paths],
)
def test_each_section_and_name_is_in_the_vector_at_its_weight(weight, path):
    word = "zorglub"
    if "__" in path:
        sheet = blank_sheet(title="Atelier")
        _link(sheet, path, word)
    else:
        sheet = blank_sheet(**{"title": "Atelier", "status": ActionStatus.FINISHED, path: word})
    sheet.refresh_from_db()
    assert weight_of(word, sheet.search_vector) == weight
    assert found(word) == {sheet.title}


class TestTheVectorFollowsNamesAndLinks:
    def test_a_renamed_structure(self):
        structure = StructureFactory(name="Maison Ancienne")
        blank_sheet(title="Atelier", structure=structure)
        blank_sheet(title="Sortie", structure=structure)
        structure.name = "Maison Nouvelle"
        structure.save()
        assert found("nouvelle") == {"Atelier", "Sortie"}
        Structure.objects.filter(pk=structure.pk).update(name="Boussole")
        assert (found("nouvelle"), found("boussole")) == (set(), {"Atelier", "Sortie"})
        assert stale_vectors() == []

    def test_a_sheet_moved_to_another_structure(self):
        sheet = blank_sheet(title="Atelier", structure__name="Maison Ancienne")
        Action.objects.filter(pk=sheet.pk).update(
            structure=StructureFactory(name="Maison Nouvelle")
        )
        assert (found("ancienne"), found("nouvelle")) == (set(), {"Atelier"})
        assert stale_vectors() == []

    def test_a_renamed_partner_of_the_action_and_funder(self):
        sheets = [blank_sheet(title="Atelier"), blank_sheet(title="Sortie")]
        caf = PartnerFactory(name="Caisse Zorglub")
        ActionPartnerFactory(action=sheets[0], partner=caf)
        FundingFactory(action=sheets[1], funder=caf)
        caf.name = "Caisse Azimut"
        caf.save()
        assert (found("zorglub"), found("azimut")) == (set(), {"Atelier", "Sortie"})
        Partner.objects.filter(pk=caf.pk).update(name="Caisse Boussole")
        assert found("boussole") == {"Atelier", "Sortie"}
        assert stale_vectors() == []

    def test_a_partner_linked_to_another_partner_or_sheet(self):
        atelier, sortie = blank_sheet(title="Atelier"), blank_sheet(title="Sortie")
        link = ActionPartnerFactory(action=atelier, partner=PartnerFactory(name="Zorglub"))
        ActionPartner.objects.filter(pk=link.pk).update(partner=PartnerFactory(name="Azimut"))
        assert (found("zorglub"), found("azimut")) == (set(), {"Atelier"})
        ActionPartner.objects.filter(pk=link.pk).update(action=sortie)
        assert found("azimut") == {"Sortie"}
        ActionPartner.objects.filter(pk=link.pk).update(role=PartnerRole.FINANCIAL)
        assert stale_vectors() == []
        link.delete()
        assert found("azimut") == set()
        assert stale_vectors() == []

    def test_a_funding_line_moved_added_or_removed(self):
        atelier, sortie = blank_sheet(title="Atelier"), blank_sheet(title="Sortie")
        line = FundingFactory(action=atelier, funder=PartnerFactory(name="Zorglub"))
        Funding.objects.filter(pk=line.pk).update(action=sortie)
        assert found("zorglub") == {"Sortie"}
        Funding.objects.bulk_create(
            [Funding(action=atelier, funder=PartnerFactory(name="Azimut"), amount=10)]
        )
        assert found("azimut") == {"Atelier"}
        Funding.objects.filter(action=sortie).delete()
        assert found("zorglub") == set()
        assert stale_vectors() == []

    def test_a_relabelled_theme_and_a_theme_linked_or_unlinked(self):
        atelier = blank_sheet(title="Atelier", themes=[theme("culture")])
        blank_sheet(title="Sortie", themes=[theme("culture"), theme("sport")])
        Theme.objects.filter(slug="culture").update(name="Arts vivants")
        assert found("vivants") == {"Atelier", "Sortie"}
        atelier.themes.remove(theme("culture"))
        atelier.themes.add(theme("sport"))
        assert found("vivants") == {"Sortie"}
        assert found(theme("sport").name) == {"Atelier", "Sortie"}
        Action.themes.through.objects.filter(action=atelier).update(theme=theme("culture"))
        assert found("vivants") == {"Atelier", "Sortie"}
        Theme.objects.get(slug="sport").delete()
        assert stale_vectors() == []

    def test_sheets_written_in_bulk(self):
        structure = StructureFactory(name="Boussole")
        sheets = Action.objects.bulk_create(
            [Action(title=f"Fiche {n}", slug=f"fiche-{n}", structure=structure) for n in range(3)]
        )
        Action.themes.through.objects.bulk_create(
            [Action.themes.through(action=sheet, theme=theme("culture")) for sheet in sheets]
        )
        zorglub = PartnerFactory(name="Zorglub")
        ActionPartner.objects.bulk_create(
            [ActionPartner(action=sheet, partner=zorglub) for sheet in sheets]
        )
        assert found("boussole zorglub") == {"Fiche 0", "Fiche 1", "Fiche 2"}
        assert stale_vectors() == []


def test_a_change_no_vector_holds_rewrites_no_sheet():
    structure = StructureFactory(name="Boussole")
    sheet = blank_sheet(structure=structure, themes=[theme("culture")])
    partner = PartnerFactory(name="Zorglub")
    ActionPartnerFactory(action=sheet, partner=partner)
    before = row_versions()
    Structure.objects.filter(pk=structure.pk).update(commune="Vaise", population=1200)
    Theme.objects.filter(slug="culture").update(position=3)
    Partner.objects.filter(pk=partner.pk).update(slug="zorglub-2")
    assert row_versions() == before


def _distinct_words(chars: int, alphabet: str = string.ascii_lowercase) -> str:
    """Words that are all different (and stay so once stemmed: they end with the same
    letter), ``chars`` characters in all."""
    words, size = [], 0
    for letters in itertools.chain.from_iterable(
        itertools.product(alphabet, repeat=n) for n in itertools.count(3)
    ):
        word = "".join(letters) + alphabet[0]
        words.append(word)
        size += len(word) + 1
        if size >= chars:
            return " ".join(words)
    raise AssertionError("unreachable")


def _too_long_alone(text: str) -> bool:
    """Whether PostgreSQL refuses ``text``'s vector: what the cap protects from."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector('french_unaccent', %s)", [text])
    except DatabaseError as error:
        assert "string is too long for tsvector" in str(error)
        return True
    return False


class TestTheVectorSize:
    def test_a_megabyte_of_distinct_words_in_every_section_is_written(self):
        text = _distinct_words(1_100_000)
        assert _too_long_alone(text)
        sheet = blank_sheet(
            title="Immense",
            status=ActionStatus.FINISHED,
            published=True,
            **dict.fromkeys(TEXT_SECTIONS[1:], text),
        )
        Action.objects.filter(pk=sheet.pk).update(summary="sommaire " + text)
        assert found("sommaire") == {"Immense"}
        assert found(text.split()[5]) == {"Immense"}
        # Beyond its first MAX_SECTION_CHARS characters, a section is not in the vector.
        assert found(text[: MAX_SECTION_CHARS - 100].split()[-1]) == {"Immense"}
        assert found(text[MAX_SECTION_CHARS + 100 :].split()[1]) == set()
        assert stale_vectors() == []

    def test_thousands_of_long_partner_names_are_written(self):
        sheet = blank_sheet(title="Partenariats")
        words = _distinct_words(5_000 * 255).split()
        partners = Partner.objects.bulk_create(
            [
                Partner(name=name, slug=f"p-{n}", match_key=name_key(name))
                for n in range(0, len(words) - 42, 42)
                for name in [" ".join(words[n : n + 42])[:255]]
            ]
        )
        assert _too_long_alone(" ".join(partner.name for partner in partners))
        ActionPartner.objects.bulk_create(
            [ActionPartner(action=sheet, partner=partner) for partner in partners]
        )
        Funding.objects.bulk_create(
            [Funding(action=sheet, funder=partner, amount=1) for partner in partners]
        )
        assert found(sorted(p.name for p in partners)[0].split()[0]) == {"Partenariats"}
        assert stale_vectors() == []

    def test_words_of_four_byte_letters_stay_within_the_limit(self):
        """The worst case of the cap: letters of four bytes in UTF-8 (𐐀, 𝐀...)."""
        letters = "".join(chr(0x10400 + n) for n in range(40))  # Deseret capitals
        sections = TEXT_SECTIONS[1:]
        words = _distinct_words(MAX_SECTION_CHARS * len(sections) * 2, letters).split()
        share = len(words) // len(sections)
        texts = {
            section: " ".join(words[n * share : (n + 1) * share])
            for n, section in enumerate(sections)
        }  # each section its own words, twice as many as the cap keeps
        sheet = blank_sheet(title="Déséret", status=ActionStatus.FINISHED, **texts)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sum(octet_length(lexeme)) FROM actions_action, unnest(search_vector)"
                " WHERE id = %s",
                [sheet.pk],
            )
            (size,) = cursor.fetchone()
        assert 500_000 < size < TSVECTOR_LIMIT
        assert stale_vectors() == []


def test_the_migration_computes_every_vector_and_goes_back_to_version_1():
    blank_sheet(title="Atelier", structure__name="Boussole", published=True)
    # The rows above are this transaction's, so rewriting them queues their deferred
    # foreign-key checks, and PostgreSQL creates no index on a table with pending trigger
    # events; a real migration rewrites rows of earlier transactions. Checked at once here.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("actions", "0008_review_flag_and_creation_token")])
    assert found("boussole") == set()  # version 1 has no structure name
    assert found("atelier") == {"Atelier"}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("actions"))  # 0009 and the later ones
    assert found("boussole") == {"Atelier"}
    assert stale_vectors() == []


def test_a_bulk_load_with_deferred_vectors_ends_with_every_vector_exact():
    structure = StructureFactory(name="Boussole")
    kept = blank_sheet(title="Avant")
    with deferred_index(), deferred_vectors():
        sheets = Action.objects.bulk_create(
            [Action(title=f"Fiche {n}", slug=f"fiche-{n}", structure=structure) for n in range(3)]
        )
        ActionPartner.objects.bulk_create(
            [
                ActionPartner(action=sheet, partner=PartnerFactory(name=f"Zorglub {n}"))
                for n, sheet in enumerate(sheets)
            ]
        )
        Structure.objects.filter(pk=kept.structure_id).update(name="Azimut")
        assert found("boussole") == set()  # not computed yet
        assert stale_vectors() != []
    assert found("boussole zorglub") == {"Fiche 0", "Fiche 1", "Fiche 2"}
    assert found("azimut") == {"Avant"}
    assert stale_vectors() == []
