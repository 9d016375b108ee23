"""The import_sheets command and the loader behind it: what reaches the database."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.enums import ActionStatus, PartnerKind, PartnerRole, PublicationStatus
from actions.importer.loader import Outcome, Source, import_sheets
from actions.models import (
    Action,
    ActionPartner,
    Funding,
    ModerationEvent,
    Partner,
    Public,
    Theme,
)
from federations.models import Structure
from tests.actions.factories import ActionFactory, PartnerFactory, sheet_text
from tests.federations.factories import FederationFactory, StructureFactory, department
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sheets" / "observatoire_sample.txt"
# Line on which a second helper sheet starts when two are joined.
SECOND = sheet_text().count("\n") + 1


def run(*texts: str, **options):
    return import_sheets(
        sources=[Source(f"fiches-{i}.txt", text) for i, text in enumerate(texts, 1)], **options
    )


def outcomes(report):
    return [(result.line, result.outcome) for result in report.results]


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Action, Action.history.model, Structure, Partner, ActionPartner, Funding)
    } | {"Theme": Theme.objects.count(), "ModerationEvent": ModerationEvent.objects.count()}


def command(*args):
    """Run import_sheets; (exit status, output)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_sheets", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


@shared_data(scope="class")
def sample_import():
    """The sample imported once for the tests that read what it gave: its report."""
    return import_sheets(sources=[Source("sample.txt", SAMPLE.read_text("utf-8"))])


@pytest.mark.usefixtures("sample_import")
class TestSampleImport:
    def test_the_sample_gives_22_draft_actions_22_structures_and_reports_3_duplicates(
        self, sample_import
    ):
        report = sample_import
        totals = report.totals()
        assert (totals[Outcome.CREATED], totals[Outcome.DUPLICATE]) == (22, 3)
        assert sum(totals.values()) == 25 and not report.failed
        assert Action.objects.count() == 22
        assert Structure.objects.count() == 22
        assert set(Action.objects.values_list("publication_status", flat=True)) == {
            PublicationStatus.DRAFT
        }
        duplicates = [(r.line, r.detail) for r in report.results if r.outcome == "duplicate"]
        assert duplicates == [
            (401, "identique à la fiche de la ligne 352"),
            (450, "identique à la fiche de la ligne 352"),
            (567, "identique à la fiche de la ligne 499"),
        ]

    def test_the_barcelona_trip_has_six_funding_lines_summing_to_17601(self):
        trip = Action.objects.get(title="Séjour Autofinancé Barcelone")
        assert trip.fundings.count() == 6
        assert trip.fundings.aggregate(total=Sum("amount"))["total"] == Decimal("17601")
        assert trip.status == ActionStatus.FINISHED
        assert trip.end_reason == "Voyage effectué"
        assert trip.structure.department.code == "31"
        assert set(trip.partner_links.values_list("partner__name", "role")) == {
            ("ANCV", PartnerRole.ACTION),
            ("Caf", PartnerRole.FINANCIAL),
            ("Bons FCSF", PartnerRole.FINANCIAL),
            ("Autofinancement", PartnerRole.FINANCIAL),
            ("Participation des familles", PartnerRole.FINANCIAL),
            ("Conseil départemental", PartnerRole.FINANCIAL),
            ("Participation du centre social", PartnerRole.FINANCIAL),
        }

    def test_the_caf_is_one_partner_whatever_its_spelling(self):
        caf = Partner.objects.get(kind=PartnerKind.CAF)
        assert (caf.name, caf.slug) == ("Caf", "caf")
        assert caf.fundings.count() == 2  # "Aide aux séjours Caf" and "CAF"
        assert caf.action_links.count() == 4  # + "CAF (ACF) :" and "… la CAF de l'Yonne :"

    def test_vocabularies_match_ignoring_case_accents_and_aliases(self):
        assert Theme.objects.count() == 27  # nothing added: every sample value is known
        forum = Action.objects.get(title="Forum Seniors")
        assert list(forum.themes.values_list("slug", flat=True)) == ["vieillissement"]
        assert forum.total_budget == Decimal("7500")
        assert Action.objects.filter(themes__slug="vacances-loisirs").count() == 11


class TestIdempotence:
    def test_running_the_same_import_again_changes_nothing(self):
        text = SAMPLE.read_text("utf-8")
        first = import_sheets(sources=[Source("sample.txt", text)], publish=True)
        before = row_counts()
        stored = list(Action.objects.values().order_by("pk"))
        second = import_sheets(sources=[Source("sample.txt", text)], publish=True)
        assert second.totals()[Outcome.UNCHANGED] == 22
        assert second.totals()[Outcome.DUPLICATE] == first.totals()[Outcome.DUPLICATE] == 3
        assert row_counts() == before
        assert list(Action.objects.values().order_by("pk")) == stored

    def test_a_changed_sheet_updates_its_action_and_says_what_changed(self):
        run(sheet_text(summary="Ancien résumé.", financial="CAF : 1 500€"))
        action = Action.objects.get()
        changed = sheet_text(summary="Nouveau résumé.", financial="CAF : 2 000€")
        report = run(changed, overwrite=True)
        (result,) = report.results
        assert result.outcome == Outcome.UPDATED
        assert result.detail == (
            "modifié : Résumé, Ressources financières mobilisées pour cette action, "
            "lignes de financement"
        )
        action.refresh_from_db()
        assert (action.summary, action.version) == ("Nouveau résumé.", 2)
        assert list(action.fundings.values_list("amount", flat=True)) == [Decimal("2000")]
        assert Action.objects.count() == 1

    def test_the_title_identifies_the_action_ignoring_case_and_accents(self):
        run(sheet_text(title="Séjour Familles"))
        report = run(sheet_text(title="SEJOUR familles"), overwrite=True)
        assert outcomes(report) == [(1, Outcome.UPDATED)]
        assert Action.objects.get().title == "SEJOUR familles"

    def test_different_sheets_for_one_action_in_a_run_keep_the_last_and_stay_idempotent(self):
        text = sheet_text(summary="Version 1.") + sheet_text(summary="Version 2.")
        report = run(text)
        assert [r.outcome for r in report.results] == [Outcome.DUPLICATE, Outcome.CREATED]
        assert f"ligne {SECOND}" in report.results[0].detail
        assert Action.objects.get().summary == "Version 2."
        assert outcomes(run(text)) == [(1, Outcome.DUPLICATE), (SECOND, Outcome.UNCHANGED)]

    def test_an_existing_structure_is_found_ignoring_case_and_accents(self):
        structure = StructureFactory(name="Centre Social du Parc", department=department("94"))
        run(sheet_text(structure="CENTRE SOCIAL DU PARC - val de marne"))
        assert Action.objects.get().structure == structure
        assert Structure.objects.count() == 1

    def test_a_new_structure_is_not_given_the_federation_of_its_departement_by_guess(self):
        FederationFactory(departments=[department("974")])
        report = run(sheet_text(structure="CENTRE SOCIAL LES CAMÉLIAS - La Réunion"))
        structure = Structure.objects.get()
        assert (structure.department.code, structure.federation) == ("974", None)
        (notice,) = [n for n in report.results[0].notices if "structure" in n.message]
        assert notice.line == 4
        assert notice.message.startswith(
            "structure absente du portail, créée sans fédération et de type « Centre social » "
            "(son nom le dit)"
        )


class TestRejections:
    def test_an_unknown_departement_is_rejected_and_the_other_sheets_imported(self):
        text = sheet_text(structure="CENTRE SOCIAL X - Atlantide") + sheet_text(title="Jardin")
        report = run(text)
        assert outcomes(report) == [(1, Outcome.REJECTED), (SECOND, Outcome.CREATED)]
        assert report.results[0].detail == "département inconnu : « Atlantide »"
        assert report.failed
        assert list(Action.objects.values_list("title", flat=True)) == ["Jardin"]

    def test_strict_mode_writes_nothing_when_a_sheet_is_rejected(self):
        text = sheet_text(title="Jardin") + sheet_text(structure="CENTRE SOCIAL X - Atlantide")
        report = run(text, strict=True)
        assert outcomes(report) == [(1, Outcome.CREATED), (SECOND, Outcome.REJECTED)]
        assert not report.written
        assert row_counts()["Action"] == row_counts()["Structure"] == 0

    def test_a_sheet_without_title_is_rejected_with_its_line(self):
        text = sheet_text(title="Jardin") + sheet_text().replace(
            "Actions\nAtelier cuisine du mercredi\n", "Actions\n"
        )
        report = run(text)
        assert report.results[1].line == SECOND
        assert report.results[1].outcome == Outcome.REJECTED
        assert "sans titre" in report.results[1].detail


class TestOptions:
    def test_dry_run_reports_without_writing(self):
        before = row_counts()
        report = run(sheet_text(themes=("Jardinage",)), dry_run=True)
        assert outcomes(report) == [(1, Outcome.CREATED)]
        assert not report.written
        assert row_counts() == before

    def test_publish_publishes_with_a_date_and_a_moderation_event(self):
        run(sheet_text(), publish=True)
        action = Action.objects.get()
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert action.published_at is not None
        event = ModerationEvent.objects.get(action=action)
        assert (event.from_status, event.to_status) == ("", PublicationStatus.PUBLISHED)

    def test_a_reimport_without_overwrite_leaves_a_published_action_as_it_is(self):
        action = ActionFactory(
            published=True,
            title="Atelier cuisine du mercredi",
            structure=StructureFactory(name="CENTRE SOCIAL DU PARC"),
        )
        summary, version = action.summary, action.version
        report = run(sheet_text(), publish=True)
        assert outcomes(report) == [(1, Outcome.SKIPPED)]
        assert report.results[0].detail.startswith(
            "existe déjà (créée dans le portail ou avant le suivi des imports); "
            "la page diffère : Résumé"
        )
        assert report.results[0].detail.endswith(
            "laissée telle quelle (--overwrite pour la remplacer)"
        )
        action.refresh_from_db()
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert (action.summary, action.version) == (summary, version)


class TestSectionRules:
    def test_a_sheet_cut_off_is_incomplete_and_does_not_blank_what_it_lacks(self):
        run(sheet_text(perspectives="Continuer.", summary="Complet."))
        cut = sheet_text(summary="Résumé revu.").split("- Ressources financières")[0]
        report = run(cut, overwrite=True)
        (result,) = report.results
        assert (result.outcome, result.incomplete) == (Outcome.UPDATED, True)
        assert result.detail.startswith("coupée après « Description générale »; modifié : Résumé")
        action = Action.objects.get()
        assert (action.summary, action.perspectives) == ("Résumé revu.", "Continuer.")
        assert action.fundings.count() == 2

    def test_a_new_vocabulary_value_is_created_and_reported(self):
        report = run(sheet_text(themes=("Jardinage", "Viellissement"), publics=("Ados",)))
        action = Action.objects.get()
        assert set(action.themes.values_list("slug", flat=True)) == {"jardinage", "vieillissement"}
        assert Public.objects.filter(name="Ados").exists()
        messages = [notice.message for notice in report.results[0].notices]
        assert "valeur ajoutée au vocabulaire « thème » : « Jardinage »" in messages
        assert "valeur ajoutée au vocabulaire « public » : « Ados »" in messages
        assert outcomes(
            run(sheet_text(themes=("Jardinage", "Viellissement"), publics=("Ados",)))
        ) == [(1, Outcome.UNCHANGED)]

    def test_an_end_reason_for_an_ongoing_action_goes_to_the_description(self):
        run(sheet_text(status="En cours", end_reason="Faute de moyens.", description="Texte."))
        action = Action.objects.get()
        assert (action.status, action.end_reason) == (ActionStatus.ONGOING, "")
        assert action.description == (
            "Texte.\n\nRaisons pour lesquelles l'action est terminée : Faute de moyens."
        )
        assert outcomes(run(sheet_text(end_reason="Faute de moyens.", description="Texte."))) == [
            (1, Outcome.UNCHANGED)
        ]

    def test_a_finished_action_keeps_its_end_reason(self):
        run(sheet_text(status="Terminée", end_reason="Projet mené à terme."))
        action = Action.objects.get()
        assert (action.status, action.end_reason) == (ActionStatus.FINISHED, "Projet mené à terme.")

    def test_funders_are_financial_partners_and_action_partners_keep_their_role(self):
        run(sheet_text(partners=("ANCV", "Caf"), financial="CAF : 1 500€\n- REAAP :"))
        links = set(ActionPartner.objects.values_list("partner__name", "role"))
        assert links == {
            ("ANCV", PartnerRole.ACTION),
            ("Caf", PartnerRole.ACTION),
            ("Caf", PartnerRole.FINANCIAL),
            ("REAAP", PartnerRole.FINANCIAL),
        }
        assert Partner.objects.filter(kind=PartnerKind.CAF).count() == 1


class TestCommand:
    def test_the_report_lists_each_sheet_then_the_totals(self, tmp_path):
        path = tmp_path / "fiches.txt"
        path.write_text(sheet_text() + sheet_text(), encoding="utf-8")
        status, output = command(str(path))
        assert status == 0
        assert "ligne     1  créée        Atelier cuisine du mercredi" in output
        assert (
            f"ligne {SECOND:>5}  doublon      Atelier cuisine du mercredi"
            " — identique à la fiche de la ligne 1"
        ) in output
        assert output.strip().endswith(
            "Total : 2 fiches · 1 créée · 0 mise à jour · 0 inchangée · 1 doublon · "
            "0 ignorée · 0 rejetée"
        )

    def test_sheets_cut_short_count_as_created_and_incomplete(self, tmp_path):
        cut = sheet_text().split("- Ressources financières")[0]
        path = tmp_path / "fiches.txt"
        path.write_text(
            cut + cut.replace("Atelier cuisine", "Jardin") + sheet_text(title="Fête"), "utf-8"
        )
        status, output = command(str(path))
        assert status == 0
        assert (
            "ligne     1  créée (incomplète) Atelier cuisine du mercredi — coupée après" in output
        )
        assert output.strip().endswith(
            "Total : 3 fiches · 3 créées (dont 2 incomplètes) · 0 mise à jour · 0 inchangée · "
            "0 doublon · 0 ignorée · 0 rejetée"
        )
        status, output = command(str(path))
        assert "Total : 3 fiches · 0 créée · 0 mise à jour · 3 inchangées (dont 2 incomplètes)" in (
            output
        )

    def test_exit_status_is_non_zero_when_a_sheet_is_rejected(self, tmp_path):
        path = tmp_path / "fiches.txt"
        path.write_text(sheet_text(structure="X - Atlantide") + sheet_text(title="Jardin"), "utf-8")
        status, output = command(str(path), "--strict")
        assert status == 1
        assert "département inconnu" in output and "aucune modification enregistrée" in output
        assert Action.objects.count() == 0

    def test_a_binary_file_is_refused_and_the_other_files_imported(self, tmp_path):
        binary, text = tmp_path / "photo.png", tmp_path / "fiches.txt"
        binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
        text.write_text(sheet_text(), encoding="utf-8")
        status, output = command(str(binary), str(text))
        assert status == 1
        assert "photo.png : fichier rejeté, fichier binaire" in output
        assert Action.objects.count() == 1

    def test_an_empty_file_is_reported_and_the_command_fails(self, tmp_path):
        path = tmp_path / "vide.txt"
        path.write_bytes(b"")
        status, output = command(str(path))
        assert status == 1
        assert f"{path} : fichier rejeté, fichier vide : aucune fiche à importer" in output
        assert "Total : 0 fiche · 0 créée" in output

    def test_a_crlf_file_with_bom_imports_like_its_plain_copy(self, tmp_path):
        plain, windows = tmp_path / "plain.txt", tmp_path / "windows.txt"
        plain.write_text(sheet_text(), encoding="utf-8")
        windows.write_bytes(b"\xef\xbb\xbf" + sheet_text().replace("\n", "\r\n").encode("utf-8"))
        assert command(str(windows))[0] == 0
        status, output = command(str(plain))
        assert (status, Action.objects.count()) == (0, 1)
        assert "inchangée" in output

    def test_a_missing_file_is_reported(self, tmp_path):
        status, output = command(str(tmp_path / "absent.txt"))
        assert status == 1 and "lecture impossible" in output

    def test_dry_run_and_publish_options(self, tmp_path):
        path = tmp_path / "fiches.txt"
        path.write_text(sheet_text(), encoding="utf-8")
        status, output = command(str(path), "--dry-run", "--publish")
        assert (status, Action.objects.count()) == (0, 0)
        assert "Simulation (--dry-run) : rien n'a été enregistré." in output
        command(str(path), "--publish")
        assert Action.objects.get().is_published


structure_names = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=300
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=structure_names,
    name=structure_names,
    amount=st.integers(min_value=0, max_value=10**15),
    keyword=st.text(max_size=200),
)
def test_odd_values_never_break_the_import(title, name, amount, keyword):
    text = sheet_text(
        title=title.replace("\n", " "),
        structure=f"{name} - Val-de-Marne".replace("\n", " "),
        themes=(keyword.replace("\n", " "),),
        financial=f"{keyword[:40]} : {amount} €".replace("\n", " "),
    )
    with transaction.atomic():
        report = run(text)
        assert len(report.results) <= 1
        transaction.set_rollback(True)


def test_an_existing_caf_partner_named_otherwise_is_the_caf():
    caf = PartnerFactory(name="Caisse d'allocations familiales du 94", kind=PartnerKind.CAF)
    run(sheet_text(financial="CAF : 1 500€"))
    assert Funding.objects.get().funder == caf
    assert Partner.objects.filter(kind=PartnerKind.CAF).count() == 1
