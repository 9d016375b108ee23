"""One guarded write path for sheets: who may write what, and how a content save behaves."""

import ast
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError

from actions.enums import PartnerKind, PartnerRole, PublicationStatus
from actions.importer.loader import Outcome, Source, _Run, import_sheets
from actions.models import Action, Funding, ModerationEvent, Partner
from actions.services import content, partners, publication
from actions.services.versions import EditConflict
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    sheet_text,
    theme,
)
from tests.federations.factories import (
    MembershipFactory,
    ModeratorFactory,
    StructureFactory,
    UserFactory,
)

ROOT = Path(settings.BASE_DIR)
PUBLICATION_MODULE = ROOT / "actions" / "services" / "publication.py"
# The project's own packages: its apps and config.
APPS = ("config", *(app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()))
# Calls that write the keyword arguments (or the ``update_fields``) they are given.
WRITING_CALLS = {
    "Action",
    "bulk_create",
    "bulk_update",
    "create",
    "get_or_create",
    "save",
    "update",
    "update_or_create",
}


def application_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def publication_writes(path: Path) -> list[str]:
    """Where ``path`` writes a publication column: an attribute assigned, ``setattr`` with
    the column's name, or a writing call given the column (as a keyword or in
    ``update_fields``)."""
    fields = set(publication.PUBLICATION_FIELDS)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in fields:
                found.append(f"{path.name}:{node.lineno} .{target.attr} =")
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name == "setattr" and len(node.args) > 1:
            column = node.args[1]
            if isinstance(column, ast.Constant) and column.value in fields:
                found.append(f"{path.name}:{node.lineno} setattr {column.value}")
        if name not in WRITING_CALLS:
            continue
        for keyword in node.keywords:
            if keyword.arg in fields:
                found.append(f"{path.name}:{node.lineno} {name}({keyword.arg}=)")
            if keyword.arg == "update_fields" and isinstance(keyword.value, ast.List | ast.Tuple):
                for element in keyword.value.elts:
                    if isinstance(element, ast.Constant) and element.value in fields:
                        found.append(f"{path.name}:{node.lineno} update_fields {element.value}")
    return found


class TestOneWriter:
    def test_only_the_publication_module_writes_the_publication_columns(self):
        writes = {
            str(path.relative_to(ROOT)): publication_writes(path)
            for path in application_sources()
            if path != PUBLICATION_MODULE
        }
        assert {path: found for path, found in writes.items() if found} == {}
        assert publication_writes(PUBLICATION_MODULE), "the detector finds nothing at all"

    def test_the_publication_columns_are_listed_once(self):
        """No other module spells out the whole list (``PUBLICATION_FIELDS`` is imported)."""
        fields = set(publication.PUBLICATION_FIELDS)
        copies = []
        for path in application_sources():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.List | ast.Tuple | ast.Set):
                    named = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                    if named >= fields:
                        copies.append(path)
        assert copies == [PUBLICATION_MODULE]


@pytest.mark.django_db
class TestSaving:
    def test_a_new_sheet_is_a_draft_with_one_creation_record(self):
        user = UserFactory()
        action = Action(structure=StructureFactory(), title="Jardin partagé", summary="Un jardin.")
        with content.saving(action, user=user) as save:
            action.themes.set([theme("culture")])
            assert save.creating
        action = Action.objects.get(pk=action.pk)
        assert (action.slug, action.version, action.created_by, action.updated_by) == (
            "jardin-partage",
            1,
            user,
            user,
        )
        assert action.publication_status == PublicationStatus.DRAFT
        (record,) = action.history.all()
        assert record.history_type == "+"
        assert [t.theme.slug for t in record.themes.all()] == ["culture"]

    def test_a_new_sheet_cannot_be_created_published(self):
        action = Action(
            structure=StructureFactory(),
            title="Déjà publiée ?",
            publication_status=PublicationStatus.PUBLISHED,
            published_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        with pytest.raises(ValueError, match="draft"), content.saving(action, user=None):
            pass
        assert not Action.objects.exists()

    def test_a_slug_taken_when_inserting_is_replaced_by_the_next_free_one(self):
        ActionFactory(slug="forum-seniors")
        action = Action(structure=StructureFactory(), title="Forum", slug="forum-seniors")
        with content.saving(action, user=None):
            pass
        assert action.slug == "forum-seniors-2"

    def test_a_creation_token_creates_one_sheet(self):
        token = uuid.uuid4()
        structure = StructureFactory()
        first = Action(structure=structure, title="Forum seniors")
        with content.saving(first, user=None, creation_token=token):
            pass
        second = Action(structure=structure, title="Forum seniors")
        with (
            pytest.raises(content.AlreadyCreated) as created,
            content.saving(second, user=None, creation_token=token),
        ):
            pass
        assert created.value.action == first
        assert Action.objects.count() == 1

    def test_a_save_writes_only_the_content_fields_it_is_given(self):
        action = ActionFactory(title="Avant", summary="Résumé d'origine.")
        stale = Action.objects.get(pk=action.pk)
        stale.title, stale.summary = "Après", "Résumé changé en mémoire seulement."
        with content.saving(stale, user=None, fields=["title"], expected_version=1):
            pass
        action.refresh_from_db()
        assert (action.title, action.summary, action.version) == ("Après", "Résumé d'origine.", 2)

    def test_a_publication_column_is_never_written_from_a_form(self):
        action = ActionFactory()
        with (
            pytest.raises(ValueError, match="publication_status"),
            content.saving(
                action, user=None, fields=["title", "publication_status"], expected_version=1
            ),
        ):
            pass
        assert Action.objects.get(pk=action.pk).version == 1

    def test_a_stale_copy_of_the_publication_state_is_not_written_back(self):
        action = ActionFactory(submitted=True)
        stale = Action.objects.get(pk=action.pk)
        publication.publish_action(action=action, user=ModeratorFactory(), reviewed_version=1)
        stale.title = "Corrigée"
        with content.saving(stale, user=None, fields=["title"], expected_version=1):
            pass
        action.refresh_from_db()
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert action.modified_since_publication is True
        assert action.history.latest().publication_status == PublicationStatus.PUBLISHED

    def test_a_save_from_an_older_version_writes_nothing(self):
        action = ActionFactory(title="Avant")
        Action.objects.filter(pk=action.pk).update(version=3)
        action.title = "Après"
        with (
            pytest.raises(EditConflict) as conflict,
            content.saving(action, user=None, fields=["title"], expected_version=1) as save,
        ):
            save.notes.append("jamais écrit")
        assert conflict.value.current.version == 3
        stored = Action.objects.get(pk=action.pk)
        assert (stored.title, stored.version, stored.history.count()) == ("Avant", 3, 1)

    def test_an_error_in_the_block_rolls_the_whole_save_back(self):
        action = ActionFactory(title="Avant")
        action.title = "Après"
        with (
            pytest.raises(IntegrityError),
            content.saving(action, user=None, fields=["title"], expected_version=1),
        ):
            FundingFactory(action=action, amount=-1)
        stored = Action.objects.get(pk=action.pk)
        assert (stored.title, stored.version, stored.fundings.count()) == ("Avant", 1, 0)


@pytest.mark.django_db
class TestBulkLoad:
    def test_sheets_are_loaded_with_their_state_and_lines(self):
        structure, caf = StructureFactory(), PartnerFactory(caf=True)
        published_at = datetime(2025, 3, 1, tzinfo=UTC)
        sheets = [
            content.LoadedSheet(
                action=Action(structure=structure, title="Publiée", slug="demo-publiee"),
                state=publication.LoadedState(
                    status=PublicationStatus.PUBLISHED, published_at=published_at, modified=True
                ),
                themes=[theme("culture").pk],
                partners=[(caf.pk, PartnerRole.FINANCIAL)],
                fundings=[Funding(funder=caf, amount=1500)],
            ),
            content.LoadedSheet(
                action=Action(structure=structure, title="Refusée", slug="demo-refusee"),
                state=publication.LoadedState(
                    status=PublicationStatus.REJECTED, rejection_reason="Trop court."
                ),
            ),
        ]
        counts = content.bulk_load(sheets)
        assert counts == {
            "actions": 2,
            "themes": 1,
            "publics": 0,
            "initiatives": 0,
            "partner_links": 1,
            "fundings": 1,
        }
        published = Action.objects.get(slug="demo-publiee")
        assert (published.publication_status, published.published_at) == (
            PublicationStatus.PUBLISHED,
            published_at,
        )
        assert published.modified_since_publication is True
        assert published.fundings.get().amount == 1500
        refused = Action.objects.get(slug="demo-refusee")
        assert (refused.publication_status, refused.rejection_reason) == (
            PublicationStatus.REJECTED,
            "Trop court.",
        )
        assert not ModerationEvent.objects.exists()

    @pytest.mark.parametrize(
        "state",
        [
            {"status": PublicationStatus.PUBLISHED},
            {"status": PublicationStatus.DRAFT, "published_at": datetime(2025, 1, 1, tzinfo=UTC)},
            {"status": PublicationStatus.SUBMITTED, "modified": True},
            {"status": PublicationStatus.DRAFT, "rejection_reason": "Non."},
        ],
        ids=["published-undated", "draft-dated", "submitted-modified", "draft-refused"],
    )
    def test_an_impossible_state_is_refused(self, state):
        with pytest.raises(ValueError):
            publication.LoadedState(**state)


@pytest.mark.django_db
class TestPartners:
    def test_a_name_is_found_whatever_its_case_accents_spacing_and_punctuation(self):
        partner = PartnerFactory(name="Caf de l'Ain", slug="caf-ain")
        for spelling in ("CAF DE L’AIN", "caf  de l ain", "Caf de l'Ain."):
            assert partners.find_partner(spelling) == partner

    def test_a_single_caf_is_the_caf_whatever_its_name(self):
        caf = PartnerFactory(name="Caisse d'allocations familiales", kind=PartnerKind.CAF)
        assert partners.find_partner("Caf de l'Yonne", kind=PartnerKind.CAF) == caf
        assert partners.find_partner("Caf de l'Yonne") is None

    def test_get_or_create_creates_once(self):
        created = partners.get_or_create_partner("  Mécène   du quartier ")
        assert (created.name, created.slug) == ("Mécène du quartier", "mecene-du-quartier")
        assert partners.get_or_create_partner("MECENE DU QUARTIER") == created
        assert Partner.objects.count() == 1

    def test_a_name_created_meanwhile_is_returned_instead_of_an_error(self, monkeypatch):
        """What the second of two simultaneous creations sees: nothing when it looks, then
        the unique key when it inserts."""
        other = PartnerFactory(name="Mécène du quartier", slug="mecene")
        real_find = partners.find_partner
        calls = []

        def find_nothing_first(name, *, kind=None):
            calls.append(name)
            return None if len(calls) == 1 else real_find(name, kind=kind)

        monkeypatch.setattr(partners, "find_partner", find_nothing_first)
        assert partners.get_or_create_partner("mécène du quartier") == other
        assert Partner.objects.count() == 1

    def test_a_second_spelling_of_a_name_is_refused_by_the_admin_form_check(self):
        PartnerFactory(name="Ville de Créteil", slug="ville-de-creteil")
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="porte déjà ce nom"):
            Partner(name="VILLE DE CRETEIL", slug="autre").full_clean()


@pytest.mark.django_db
class TestPartnerVisibility:
    def test_public_partners_are_those_private_to_nobody(self):
        mine = MembershipFactory()
        shared, private = PartnerFactory(), PartnerFactory(private_to=mine.federation)
        assert set(Partner.objects.public()) == {shared}
        assert private not in Partner.objects.public()

    def test_a_partner_of_a_draft_is_visible_to_its_federation_only(self):
        mine, theirs = MembershipFactory(), MembershipFactory()
        private = PartnerFactory(private_to=mine.federation)
        shared = PartnerFactory()
        assert set(Partner.objects.visible_to(mine.user)) == {private, shared}
        assert set(Partner.objects.visible_to(theirs.user)) == {shared}
        assert set(Partner.objects.visible_to(ModeratorFactory())) == {private, shared}

    def test_publishing_a_sheet_makes_its_partners_public_for_good(self):
        mine, theirs = MembershipFactory(), MembershipFactory()
        funder = PartnerFactory(private_to=mine.federation)
        partner = PartnerFactory(private_to=mine.federation)
        other = PartnerFactory(private_to=mine.federation)
        sheet = ActionFactory(
            structure=StructureFactory(federation=mine.federation),
            submitted=True,
        )
        FundingFactory(action=sheet, funder=funder)
        ActionPartnerFactory(action=sheet, partner=partner)
        moderator = ModeratorFactory()
        publication.publish_action(action=sheet, user=moderator, reviewed_version=1)
        assert set(Partner.objects.visible_to(theirs.user)) == {funder, partner}
        assert other not in Partner.objects.public()
        publication.back_to_draft(action=sheet, user=moderator)
        assert {funder, partner} <= set(Partner.objects.public())

    def test_a_line_added_to_a_published_sheet_makes_its_partner_public(self):
        mine = MembershipFactory()
        private = PartnerFactory(private_to=mine.federation)
        sheet = ActionFactory(published=True)
        with content.saving(sheet, user=None, expected_version=1):
            FundingFactory(action=sheet, funder=private)
        assert private in Partner.objects.public()

    def test_a_sheet_keeps_its_partners_whoever_edits_it(self):
        mine, theirs = MembershipFactory(), MembershipFactory()
        private = PartnerFactory(private_to=theirs.federation)
        sheet = ActionFactory(structure=StructureFactory(federation=mine.federation))
        ActionPartnerFactory(action=sheet, partner=private)
        assert private not in Partner.objects.visible_to(mine.user)
        assert private in Partner.objects.visible_to(mine.user, sheet=sheet)


@pytest.mark.django_db
class TestImportPublication:
    def test_an_imported_sheet_is_published_with_an_event_naming_the_file(self):
        action = Action(structure=StructureFactory(), title="Importée")
        with content.saving(action, user=None):
            pass
        at = datetime(2025, 2, 1, tzinfo=UTC)
        assert publication.publish_import(
            action=action, source="/tmp/fiches.txt", created=True, at=at
        )
        action.refresh_from_db()
        assert (action.publication_status, action.published_at) == ("published", at)
        event = action.moderation_events.get()
        assert (event.from_status, event.actor, event.reason) == (
            "",
            None,
            "Publiée par l'import de fiches (fiches.txt).",
        )
        assert not publication.publish_import(action=action, source="x", created=False, at=at)


@pytest.mark.django_db
class TestImporterWrites:
    def import_text(self, text):
        return import_sheets(sources=[Source("fiches.txt", text)], overwrite=True)

    def test_a_sheet_saved_by_someone_during_the_run_is_rejected_not_overwritten(self, monkeypatch):
        self.import_text(sheet_text(summary="Version importée."))
        editor = UserFactory(username="editrice")
        real_find = _Run._find_action

        def find_then_someone_saves(run, structure, title):
            found = real_find(run, structure, title)
            Action.objects.filter(pk=found.pk).update(
                summary="Corrigé à la main.", version=2, updated_by=editor
            )
            return found

        monkeypatch.setattr(_Run, "_find_action", find_then_someone_saves)
        report = self.import_text(sheet_text(summary="Nouvelle version importée."))
        (result,) = report.results
        assert result.outcome == Outcome.REJECTED
        assert "editrice" in result.detail
        # The save made here runs in the import's own transaction, so the sheet's savepoint
        # undoes it with the rest of the sheet; a real concurrent save is committed apart.
        assert Action.objects.get().summary == "Version importée."

    def test_an_imported_change_to_a_published_sheet_goes_back_to_moderation(self):
        self.import_text(sheet_text(summary="Version importée."))
        Action.objects.update(publication_status="published", published_at=datetime.now(tz=UTC))
        self.import_text(sheet_text(summary="Nouvelle version importée."))
        action = Action.objects.get()
        assert action.publication_status == PublicationStatus.SUBMITTED
        assert action.modified_since_publication is False
        assert action.version == 2

    def test_each_imported_sheet_has_one_history_record_per_write(self):
        self.import_text(sheet_text(summary="Version importée."))
        self.import_text(sheet_text(summary="Nouvelle version importée."))
        history = Action.objects.get().history.order_by("history_id")
        assert [record.history_type for record in history] == ["+", "~"]
        assert history.last().summary == "Nouvelle version importée."
