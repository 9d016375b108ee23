"""Re-importing sheets: provenance, --overwrite, never a shorter text, never a cut sheet or an
unreviewed update published, the structure a sheet names, and a failing sheet alone."""

import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.enums import PublicationStatus
from actions.importer import loader
from actions.importer.directory_loader import import_structures
from actions.importer.loader import TEXT_FIELDS, Outcome, Source, import_sheets
from actions.importer.parser import LABELS
from actions.models import Action, Initiative, ModerationEvent, SheetProvenance, Theme
from actions.services import content, publication
from federations.enums import StructureKind
from federations.models import Structure
from tests.actions.directory_pages import card_text, directory_page
from tests.actions.factories import sheet_text
from tests.federations.factories import (
    FederationFactory,
    StructureFactory,
    UserFactory,
    department,
)

pytestmark = pytest.mark.django_db

LONG_SUMMARY = (
    "Un atelier de cuisine partagée chaque mercredi, préparé par les habitants avec "
    "l'animatrice du centre : les recettes viennent de chacun, le repas se prend ensemble."
)


def run(text: str, name: str = "fiches.txt", **options):
    return import_sheets(sources=[Source(name, text)], **options)


def only(report):
    (result,) = report.results
    return result


def command(*args):
    out = StringIO()
    try:
        call_command("import_sheets", *args, stdout=out, stderr=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def edit_in_portal(action: Action, **values) -> None:
    """A contributor's save, through the one write path."""
    for name, value in values.items():
        setattr(action, name, value)
    with content.saving(
        action, user=UserFactory(), fields=list(values), expected_version=action.version
    ):
        pass


def cut_in(text: str, marker: str, keep: int) -> str:
    """``text`` cut ``keep`` characters into the first line after ``marker``."""
    start = text.index(marker) + len(marker) + 1
    return text[: start + keep]


class TestProvenance:
    def test_an_imported_sheet_remembers_its_page_its_hashes_and_the_date(self):
        page = "# source: https://senacs.fr/action/show/42\n" + sheet_text()
        report = run(page, name="/tmp/pages/fiche-42.txt")
        provenance = SheetProvenance.objects.get()
        assert provenance.action.slug == only(report).action_slug
        assert provenance.source == "https://senacs.fr/action/show/42"
        assert provenance.page_sha256 == loader.sha256(page)
        assert len(provenance.sheet_sha256) == 64
        assert provenance.imported_at is not None
        assert provenance.version == provenance.action.version == 1
        assert provenance.cut_section == ""

    def test_a_page_without_source_line_is_known_by_its_file_name(self):
        run(sheet_text(), name="/tmp/pages/fiche-42.txt")
        assert SheetProvenance.objects.get().source == "fiche-42.txt"

    def test_the_same_page_imported_again_is_recognised_and_changes_nothing(self):
        run(sheet_text(), name="a.txt", publish=True)
        before = (
            list(Action.objects.values()),
            list(SheetProvenance.objects.values()),
            Action.history.count(),
            ModerationEvent.objects.count(),
        )
        for options in ({"publish": True}, {"overwrite": True}, {}):
            result = only(run(sheet_text(), name="b.txt", **options))
            assert result.outcome == Outcome.UNCHANGED
            assert result.detail.startswith("déjà importée de a.txt le ")
        after = (
            list(Action.objects.values()),
            list(SheetProvenance.objects.values()),
            Action.history.count(),
            ModerationEvent.objects.count(),
        )
        assert after == before

    def test_an_existing_sheet_is_skipped_without_overwrite_and_not_duplicated(self):
        run(sheet_text(summary="Premier résumé."))
        status, output = command_with(sheet_text(summary="Autre résumé."))
        assert status == 0
        assert "ignorée" in output and "la page diffère : Résumé" in output
        assert "--overwrite pour la remplacer" in output
        assert Action.objects.get().summary == "Premier résumé."

    def test_overwrite_replaces_the_sheet_and_records_the_new_page(self):
        run(sheet_text(summary="Premier résumé."), name="a.txt")
        result = only(run(sheet_text(summary="Autre résumé."), name="b.txt", overwrite=True))
        assert (result.outcome, result.detail) == (Outcome.UPDATED, "modifié : Résumé")
        action = Action.objects.get()
        assert action.summary == "Autre résumé."
        provenance = SheetProvenance.objects.get()
        assert (provenance.source, provenance.version) == ("b.txt", action.version)

    def test_a_value_edited_in_the_portal_is_kept_and_named_without_overwrite(self):
        run(sheet_text(summary="Résumé importé."))
        edit_in_portal(Action.objects.get(), summary="Résumé revu dans le portail.")
        result = only(run(sheet_text(summary="Résumé de la page, changé.")))
        assert result.outcome == Outcome.SKIPPED
        assert "modifiée dans le portail depuis : Résumé" in result.detail
        assert Action.objects.get().summary == "Résumé revu dans le portail."

    def test_the_same_page_again_keeps_what_the_portal_changed(self):
        run(sheet_text(summary="Résumé importé."))
        edit_in_portal(Action.objects.get(), summary="Résumé revu dans le portail.")
        assert only(run(sheet_text(summary="Résumé importé."))).outcome == Outcome.UNCHANGED
        assert Action.objects.get().summary == "Résumé revu dans le portail."

    def test_overwrite_replaces_a_portal_edit_and_the_report_names_it(self):
        run(sheet_text(summary="Résumé importé."))
        edit_in_portal(Action.objects.get(), experience="Expérience revue dans le portail.")
        result = only(run(sheet_text(summary="Résumé importé."), overwrite=True))
        assert result.outcome == Outcome.UPDATED
        experience = LABELS["experience"]
        assert result.detail == (
            f"modifié : {experience}; remplace ce qui a été modifié dans le portail depuis "
            f"l'import ({experience})"
        )
        assert Action.objects.get().experience == "Des habitants ont demandé un temps convivial."


def command_with(text: str, *args):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fiches.txt"
        path.write_text(text, encoding="utf-8")
        return command(str(path), *args)


class TestNeverShorter:
    def test_a_cut_copy_never_shortens_the_stored_summary(self):
        run(sheet_text(summary=LONG_SUMMARY))
        cut = cut_in(sheet_text(summary=LONG_SUMMARY), "- Résumé", 40)
        result = only(run(cut, overwrite=True))
        assert (result.outcome, result.incomplete) == (Outcome.UNCHANGED, True)
        assert Action.objects.get().summary == LONG_SUMMARY
        assert any("est gardé" in notice.message for notice in result.notices)

    def test_a_complete_page_whose_text_begins_the_stored_one_does_not_replace_it(self):
        run(sheet_text(summary="Un atelier."))
        edit_in_portal(Action.objects.get(), summary="Un atelier. Ajouté dans le portail.")
        result = only(run(sheet_text(summary="Un atelier."), overwrite=True))
        assert Action.objects.get().summary == "Un atelier. Ajouté dans le portail."
        (notice,) = [n for n in result.notices if "Résumé" in n.message]
        assert "(11 caractères sur 35)" in notice.message

    def test_the_section_a_page_cuts_leaves_what_is_stored_for_it(self):
        themes = ("Culture", "vacances / loisirs")
        run(sheet_text(themes=themes))
        cut = sheet_text(themes=themes).split("- vacances / loisirs")[0]
        run(cut, overwrite=True)
        assert sorted(Action.objects.get().themes.values_list("name", flat=True)) == [
            "Culture",
            "Vacances / loisirs",
        ]

    def test_the_cut_section_fills_a_section_left_empty(self):
        run(sheet_text(summary="Court.").split("- Résumé")[0] + "- Résumé\n")
        run(cut_in(sheet_text(summary=LONG_SUMMARY), "- Résumé", 60), overwrite=True)
        assert Action.objects.get().summary == LONG_SUMMARY[:60].strip()


class TestCutSheetsArePublishedNever:
    def test_publish_keeps_a_cut_sheet_as_a_draft_and_says_why(self):
        cut = sheet_text().split("- Ressources financières")[0]
        result = only(run(cut, publish=True))
        assert (result.outcome, result.incomplete) == (Outcome.CREATED, True)
        assert result.detail == (
            "coupée après « Description générale »; non publiée : la page la coupe"
        )
        action = Action.objects.get()
        assert action.publication_status == PublicationStatus.DRAFT
        assert not ModerationEvent.objects.exists()
        assert SheetProvenance.objects.get().cut_section == "description"

    def test_the_complete_page_later_publishes_it_and_clears_the_cut(self):
        run(sheet_text().split("- Ressources financières")[0], publish=True)
        result = only(run(sheet_text(), publish=True, overwrite=True))
        assert result.outcome == Outcome.UPDATED
        assert Action.objects.get().publication_status == PublicationStatus.PUBLISHED
        assert SheetProvenance.objects.get().cut_section == ""

    def test_a_complete_page_completes_the_incomplete_copy_without_overwrite(self):
        run(sheet_text().split("- Ressources financières")[0])
        result = only(run(sheet_text(), publish=True))
        assert result.outcome == Outcome.UPDATED
        action = Action.objects.get()
        assert action.is_published and action.perspectives == "Continuer l'an prochain."

    def test_an_incomplete_copy_edited_in_the_portal_is_not_completed_without_overwrite(self):
        run(sheet_text().split("- Ressources financières")[0])
        edit_in_portal(Action.objects.get(), summary="Revu dans le portail.")
        assert only(run(sheet_text())).outcome == Outcome.SKIPPED

    def test_publish_does_not_publish_a_draft_that_keeps_text_not_from_the_page(self):
        run(sheet_text(summary="Un atelier."))
        edit_in_portal(Action.objects.get(), summary="Un atelier. Ajouté dans le portail.")
        result = only(run(sheet_text(summary="Un atelier."), overwrite=True, publish=True))
        assert "non publiée : elle garde un texte qui n'est pas celui de la page" in result.detail
        assert Action.objects.get().publication_status == PublicationStatus.DRAFT

    def test_strict_refuses_an_incomplete_sheet_and_writes_nothing(self):
        text = sheet_text(title="Jardin") + sheet_text().split("- Ressources financières")[0]
        report = run(text, strict=True, publish=True)
        assert report.failed and not report.written
        assert not Action.objects.exists() and not Structure.objects.exists()
        status, output = command_with(text, "--strict")
        assert status == 1
        assert "1 fiche(s) ou fichier(s) rejeté(s) ou incomplète(s)" in output
        assert not Action.objects.exists()

    def test_without_strict_an_incomplete_sheet_is_imported_and_the_exit_status_is_zero(self):
        status, output = command_with(sheet_text().split("- Ressources financières")[0])
        assert status == 0
        assert "incomplète" in output
        assert Action.objects.count() == 1


class TestUpdatesOfPublishedSheets:
    def published(self, **kwargs) -> Action:
        run(sheet_text(**kwargs), publish=True)
        return Action.objects.get()

    def test_an_overwrite_of_a_published_sheet_sends_it_back_to_moderation(self):
        action = self.published(summary="Résumé publié.")
        first_published = action.published_at
        result = only(
            run(sheet_text(summary="Résumé changé."), name="p.txt", overwrite=True, publish=True)
        )
        assert result.detail == (
            "modifié : Résumé; publiée : renvoyée à la modération, hors du catalogue jusqu'à "
            "sa relecture"
        )
        action.refresh_from_db()
        assert action.publication_status == PublicationStatus.SUBMITTED
        assert not Action.objects.published().exists()
        event = action.moderation_events.first()
        assert (event.from_status, event.to_status, event.actor) == (
            PublicationStatus.PUBLISHED,
            PublicationStatus.SUBMITTED,
            None,
        )
        assert (
            event.reason == "Modifiée par l'import de fiches (p.txt) : à relire avant publication."
        )
        # The moderator reads it and publishes it: its first publication date is kept.
        moderator = UserFactory(is_staff=True)
        publication.publish_action(action=action, user=moderator, reviewed_version=action.version)
        action.refresh_from_db()
        assert action.is_published and action.published_at == first_published
        assert action.summary == "Résumé changé."

    def test_publish_does_not_publish_it_again_while_it_waits_for_moderation(self):
        self.published(summary="Résumé publié.")
        run(sheet_text(summary="Résumé changé."), overwrite=True)
        result = only(run(sheet_text(summary="Résumé changé."), overwrite=True, publish=True))
        assert result.outcome == Outcome.UNCHANGED
        assert Action.objects.get().publication_status == PublicationStatus.SUBMITTED

    def test_an_unchanged_page_leaves_the_published_sheet_published(self):
        self.published()
        assert only(run(sheet_text(), overwrite=True)).outcome == Outcome.UNCHANGED
        assert Action.objects.get().is_published

    def test_a_cut_copy_of_a_published_sheet_changes_nothing_of_it(self):
        self.published(summary=LONG_SUMMARY)
        result = only(run(cut_in(sheet_text(summary=LONG_SUMMARY), "- Résumé", 30), overwrite=True))
        assert (result.outcome, result.incomplete) == (Outcome.UNCHANGED, True)
        action = Action.objects.get()
        assert action.is_published and action.summary == LONG_SUMMARY


class TestStructureOfASheet:
    def test_a_sheet_joins_the_directory_structure_with_its_kind_and_federation(self):
        federation = FederationFactory(departments=[department("94")])
        import_structures(
            sources=[
                Source(
                    "evs.txt",
                    directory_page(card_text(name="Le Jardin des Possibles"), kind="evs"),
                )
            ]
        )
        structure = Structure.objects.get()
        assert (structure.kind, structure.federation) == (StructureKind.EVS, federation)
        result = only(run(sheet_text(structure="LE JARDIN DES POSSIBLES - Val-de-Marne")))
        assert Action.objects.get().structure == structure
        assert not [n for n in result.notices if "structure" in n.message]
        structure.refresh_from_db()
        assert (structure.kind, structure.federation) == (StructureKind.EVS, federation)

    def test_a_structure_named_with_its_commune_is_matched_and_reported(self):
        structure = StructureFactory(
            name="Centre social Jean Moulin", commune="Créteil", department=department("94")
        )
        result = only(run(sheet_text(structure="CENTRE SOCIAL JEAN MOULIN CRETEIL - Val-de-Marne")))
        assert Action.objects.get().structure == structure
        (notice,) = [n for n in result.notices if "structure" in n.message]
        assert notice.message == (
            "structure « Centre social Jean Moulin » (Créteil) : même nom, commune à part"
        )
        assert Structure.objects.count() == 1

    def test_two_structures_that_match_with_their_communes_reject_the_sheet(self):
        for commune in ("Créteil", "Créteil Nord"):
            StructureFactory(
                name=f"Centre social Jean Moulin {commune}",
                commune=commune,
                department=department("94"),
            )
        StructureFactory(name="CS Jean Moulin", commune="Créteil", department=department("94"))
        report = run(sheet_text(structure="Centre social Jean Moulin - Val-de-Marne"))
        result = only(report)
        assert result.outcome == Outcome.REJECTED
        assert result.detail.startswith("structure ambiguë : « Centre social Jean Moulin Créteil")
        assert report.failed
        assert not Action.objects.exists() and Structure.objects.count() == 3

    def test_a_new_structure_whose_name_says_nothing_is_a_reported_default(self):
        result = only(run(sheet_text(structure="LES TROIS RIVIÈRES - Val-de-Marne")))
        structure = Structure.objects.get()
        assert (structure.kind, structure.federation) == (StructureKind.CENTRE_SOCIAL, None)
        (notice,) = [n for n in result.notices if "structure" in n.message]
        assert "« Centre social » (par défaut, son nom ne le dit pas)" in notice.message

    def test_a_new_evs_is_an_evs_because_its_name_says_so(self):
        run(sheet_text(structure="EVS LA PASSERELLE - Val-de-Marne"))
        assert Structure.objects.get().kind == StructureKind.EVS


class TestFailures:
    def test_a_sheet_the_database_refuses_is_rejected_alone_with_its_line(self, monkeypatch):
        saving = content.saving

        def refusing(action, **kwargs):
            if action.title == "Jardin":
                raise IntegrityError("valeur refusée")
            return saving(action, **kwargs)

        monkeypatch.setattr(loader.content, "saving", refusing)
        text = sheet_text(title="Jardin", structure="CS DU JARDIN - Val-de-Marne") + sheet_text()
        report = run(text)
        assert [r.outcome for r in report.results] == [Outcome.REJECTED, Outcome.CREATED]
        assert report.results[0].line == 1
        assert report.results[0].detail == (
            "refusée par la base de données, rien d'enregistré : valeur refusée"
        )
        assert report.failed
        assert list(Action.objects.values_list("title", flat=True)) == [
            "Atelier cuisine du mercredi"
        ]
        assert not Structure.objects.filter(name="CS DU JARDIN").exists()


# -- the property: a cut copy, on its own or over the whole sheet -----------------------------

WHOLE = sheet_text(
    summary=LONG_SUMMARY, structure="CS DU PARC - Tarn-et-Garonne", themes=("Culture", "Santé")
) + sheet_text(title="Jardin partagé", structure="CS DU PARC - Tarn-et-Garonne")


def offsets(text: str) -> list[int]:
    ends = [index for index, char in enumerate(text) if char == "\n"]
    return ends + random.Random(14).sample(range(len(text)), 30)


def stored_texts() -> dict:
    return {
        action.title: {name: getattr(action, name) for name in TEXT_FIELDS}
        for action in Action.objects.all()
    }


def test_a_cut_copy_on_its_own_never_publishes_nor_misfiles_nor_adds_values():
    vocabulary = (Theme.objects.count(), Initiative.objects.count())
    for offset in offsets(WHOLE):
        cut = WHOLE[:offset]
        with transaction.atomic():
            report = run(cut, publish=True)
            truncated = {r.action_slug for r in report.results if r.incomplete}
            assert not Action.objects.published().filter(slug__in=truncated).exists(), offset
            assert set(Action.objects.values_list("structure__department__code", flat=True)) <= {
                "82"
            }, offset
            assert (Theme.objects.count(), Initiative.objects.count()) == vocabulary, offset
            transaction.set_rollback(True)


def test_a_cut_copy_over_the_whole_sheet_never_shortens_it_nor_unpublishes():
    run(WHOLE, publish=True)
    whole = stored_texts()
    for offset in offsets(WHOLE):
        with transaction.atomic():
            run(WHOLE[:offset], publish=True, overwrite=True)
            assert stored_texts() == whole, offset
            assert Action.objects.published().count() == 2, offset
            transaction.set_rollback(True)


class TestAdmin:
    def test_the_change_page_says_where_a_sheet_comes_from_and_where_its_page_stopped(self, client):
        run(sheet_text().split("- Ressources financières")[0], name="/tmp/fiches-7.txt")
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        action = Action.objects.get()
        response = client.get(reverse("admin:actions_action_change", args=[action.pk]))
        assert response.status_code == 200
        assert "fiches-7.txt, importée le " in response.content.decode()
        assert (
            "incomplète : la page s&#x27;arrêtait dans « Description générale »"
            in response.content.decode()
        )
