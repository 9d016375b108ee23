"""Sheets of the observatory's older layout imported into the database: the structure their
website names (else the one given with --structure, else a rejection), every section mapped."""

from pathlib import Path

import pytest
from django.conf import settings

from actions.enums import PublicationStatus
from actions.importer.directory_loader import import_structures
from actions.importer.loader import Outcome, Source, import_sheets
from actions.models import Action, SheetProvenance, Theme
from federations.models import Structure
from tests.actions.directory_pages import card_text, directory_page
from tests.actions.importing import command as run_command
from tests.actions.importing import only
from tests.actions.test_older_layout import KEYWORDS_271
from tests.federations.factories import StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

SENACS = Path(settings.BASE_DIR) / "fixtures" / "senacs"
SHEET_107 = SENACS / "action_show_107.txt"
SHEET_271 = SENACS / "action_show_271.txt"
CHARTER = SENACS / "action_show_1379_CHARTE-ONLY.txt"
REJECTION = (
    "page à l'ancienne mise en page sans structure : indiquez --structure, ou importez "
    "d'abord l'annuaire"
)


def run(*paths: Path, **options):
    return import_sheets(
        sources=[Source(str(path), path.read_text("utf-8")) for path in paths], **options
    )


def command(*args):
    return run_command("import_sheets", *args)


def wimereux(**kwargs) -> Structure:
    """The structure of sheet 107, as the directory import gives it: its website written
    otherwise than on the page."""
    values = {"name": "Centre socioculturel de Wimereux", "department": department("62")}
    return StructureFactory(website="https://cscwimereux.org/", **values | kwargs)


def snapshot():
    return (
        list(Action.objects.values().order_by("pk")),
        list(Action.themes.through.objects.values_list("action_id", "theme_id").order_by("pk")),
        list(SheetProvenance.objects.values().order_by("pk")),
        list(Structure.objects.values().order_by("pk")),
        Theme.objects.count(),
    )


class TestSheet107ByItsWebsite:
    def test_the_structure_is_the_one_whose_website_the_page_gives(self):
        structure = wimereux()
        result = only(run(SHEET_107))
        assert (result.outcome, result.incomplete) == (Outcome.CREATED, False)
        assert Action.objects.get().structure == structure
        assert [(n.line, n.message) for n in result.notices if "structure" in n.message] == [
            (
                12,
                "structure « Centre socioculturel de Wimereux » : la page donne son site "
                "internet (www.cscwimereux.org)",
            )
        ]
        assert Structure.objects.count() == 1

    def test_every_section_is_mapped(self):
        wimereux()
        run(SHEET_107)
        action = Action.objects.get()
        assert action.title == "le plus grand patchwork du monde"
        assert action.diagnostic == (
            "manque de participation de la population. manque de sensibilisation envers les "
            "maladies génétiques"
        )
        assert action.description == ""
        assert action.experience.startswith("rencontre avec des habitants, des structures")
        assert action.experience.endswith("qui permettrait de faire parler du centre")
        assert action.impacts == (
            "image du centre social, meilleure connaissance du projet centre social par les "
            "habitants, création de solidarité inter associatives"
        )
        assert action.success_factors == (
            "engagement de chacun, l'image du centre, intergénérationalité, partenariat"
        )
        assert action.limits == "aucunes"
        keywords = ("Tout public", "Lutte contre les discriminations", "Solidarité")
        assert set(action.themes.all()) == {
            Theme.objects.match(name) for name in (*keywords, "discriminations")
        }
        assert (action.summary, action.perspectives, action.financial_resources) == ("", "", "")
        assert action.publication_status == PublicationStatus.DRAFT

    def test_the_website_line_is_not_reported_as_a_file(self):
        wimereux()
        result = only(run(SHEET_107))
        assert not [n for n in result.notices if "fichier" in n.message]

    def test_its_provenance_is_the_page_address(self):
        wimereux()
        run(SHEET_107)
        provenance = SheetProvenance.objects.get()
        assert provenance.source == "https://www.senacs.fr/action/show/107"
        assert provenance.cut_section == ""

    def test_importing_it_twice_changes_nothing(self):
        wimereux()
        run(SHEET_107)
        before = snapshot()
        result = only(run(SHEET_107))
        assert result.outcome == Outcome.UNCHANGED
        assert snapshot() == before

    def test_a_website_of_the_directory_import_names_the_structure(self):
        import_structures(
            sources=[
                Source(
                    "annuaire.txt",
                    directory_page(
                        card_text(
                            name="CSC DE WIMEREUX",
                            postcode="62930",
                            commune="Wimereux",
                            website="http://www.CSCWimereux.org",
                        )
                    ),
                )
            ]
        )
        run(SHEET_107)
        assert Action.objects.get().structure.name == "CSC DE WIMEREUX"

    def test_the_website_wins_over_structure_and_says_so(self):
        structure, other = wimereux(), StructureFactory(name="Autre")
        result = only(run(SHEET_107, structure=other))
        assert Action.objects.get().structure == structure
        assert any("--structure « Autre » non appliquée" in n.message for n in result.notices)

    def test_a_website_two_structures_share_names_none(self):
        wimereux()
        wimereux(name="Centre social de Wimereux-Plage")
        result = only(run(SHEET_107))
        assert result.outcome == Outcome.REJECTED
        assert result.detail == (
            f"{REJECTION} (site internet www.cscwimereux.org : plusieurs structures l'ont : "
            "« Centre socioculturel de Wimereux », « Centre social de Wimereux-Plage »)"
        )
        assert not Action.objects.exists()

    def test_an_unknown_website_without_structure_is_rejected(self):
        report = run(SHEET_107)
        assert only(report).detail == (
            f"{REJECTION} (site internet www.cscwimereux.org : aucune structure de l'annuaire "
            "ne l'a)"
        )
        assert report.failed and not Structure.objects.exists()


class TestSheet271WithStructure:
    def test_without_structure_it_is_rejected_and_the_command_fails(self):
        status, output = command(SHEET_271)
        assert status == 1
        assert f"ligne     2  rejetée      Fête de printemps — {REJECTION}" in output
        assert "Total : 1 fiche · 0 créée" in output
        assert not Action.objects.exists()

    def test_the_structure_given_is_its_structure_and_is_reported(self):
        structure = StructureFactory(name="Centre social du Parc", department=department("59"))
        status, output = command(SHEET_271, "--structure", structure.slug)
        assert status == 0
        action = Action.objects.get()
        assert action.structure == structure
        assert "structure « Centre social du Parc » donnée par --structure" in output

    def test_every_section_is_mapped(self):
        run(SHEET_271, structure=StructureFactory())
        action = Action.objects.get()
        assert action.title == "Fête de printemps"
        assert action.diagnostic == (
            "Mnque de lien entre les habitants, souhait de se réapproprier des espaces"
        )
        assert action.description == (
            "Mise en place d'une journée autour de l'éducaiton à l'envirronement avec "
            "installation de jardinières, nettoyage des espaces, stands de sensibilisation"
        )
        assert action.experience == "voir fiche action"
        assert action.impacts == (
            "lien entre les habitants, partenariat avec les services, construction du projet, "
            "création d'une association"
        )
        assert action.success_factors == "mobilisaiton des habitants, mobilisaiton des services"
        assert action.limits == "entretien des jardinières réalisées, incivilités canines"
        assert set(action.themes.all()) == {Theme.objects.match(name) for name in KEYWORDS_271}

    def test_its_file_is_listed_in_the_report(self):
        result = only(run(SHEET_271, structure=StructureFactory()))
        assert [(n.line, n.message) for n in result.notices if "fichier" in n.message] == [
            (13, "fichier associé non importé (à déposer à la main) : fiche action Plants.pdf")
        ]

    def test_importing_it_twice_changes_nothing(self):
        structure = StructureFactory()
        run(SHEET_271, structure=structure)
        before = snapshot()
        assert only(run(SHEET_271, structure=structure)).outcome == Outcome.UNCHANGED
        assert snapshot() == before

    def test_publish_publishes_the_complete_sheet(self):
        run(SHEET_271, structure=StructureFactory(), publish=True)
        assert Action.objects.get().publication_status == PublicationStatus.PUBLISHED

    def test_publish_never_publishes_a_cut_copy(self):
        text = SHEET_271.read_text("utf-8").split("Quelles sont les limites")[0]
        report = import_sheets(
            sources=[Source("271.txt", text)], structure=StructureFactory(), publish=True
        )
        result = only(report)
        assert (result.outcome, result.incomplete) == (Outcome.CREATED, True)
        assert "non publiée : la page la coupe" in result.detail
        action = Action.objects.get()
        assert action.publication_status == PublicationStatus.DRAFT
        assert SheetProvenance.objects.get().cut_section == "success_factors"

    def test_an_unknown_structure_slug_stops_the_command(self):
        status, output = command(SHEET_271, "--structure", "nulle-part")
        assert status == 1
        assert "--structure : aucune structure n'a le slug « nulle-part »." in output


class TestCharterPage:
    def test_it_is_reported_not_imported_and_the_command_fails(self):
        status, output = command(CHARTER)
        assert status == 1
        assert f"{CHARTER} : fichier rejeté, page de la charte d'utilisation de SENACS" in output
        assert "Total : 0 fiche" in output
        assert not Action.objects.exists()

    def test_next_to_sheets_it_is_reported_and_the_sheets_imported(self):
        wimereux()
        report = run(CHARTER, SHEET_107)
        assert [name for name, _reason in report.file_errors] == [str(CHARTER)]
        assert only(report).outcome == Outcome.CREATED
