"""The import_structures command and its loader: what the directory writes to the database."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.importer.directory_loader import import_structures
from actions.importer.loader import Outcome, Source, import_sheets
from federations.enums import FederationMembership, StructureKind
from federations.models import Structure
from tests.actions.directory_pages import card_text, directory_page
from tests.actions.factories import sheet_text
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

SENACS = Path(settings.BASE_DIR) / "fixtures" / "senacs"
CSX = SENACS / "structure_csx_page22_asc.txt"
EVS = SENACS / "structure_evs_page42.txt"


def run(*texts: str, **options):
    return import_structures(
        sources=[Source(f"annuaire-{i}.txt", text) for i, text in enumerate(texts, 1)], **options
    )


def outcomes(report):
    return [(result.line, result.outcome) for result in report.results]


def command(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_structures", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


def snapshot():
    return sorted(
        tuple(row.values())
        for row in Structure.objects.values().order_by("pk")  # every column
    )


class TestSamples:
    def test_the_complete_cards_are_created_the_cut_ones_reported(self):
        report = run(CSX.read_text("utf-8"), EVS.read_text("utf-8"))
        assert outcomes(report) == [
            (3, Outcome.CREATED),
            (35, Outcome.INCOMPLETE),
            (3, Outcome.CREATED),
            (34, Outcome.INCOMPLETE),
        ]
        assert not report.failed
        assert sorted(Structure.objects.values_list("name", flat=True)) == [
            "Centre social et culturel Pierrette Augier Lyon-Vaise",
            "EVS MAISON DE QUARTIER",
        ]
        cut = report.results[1]
        assert cut.detail == (
            "coupée par la fin de la page (ligne 43, dans « Numéro SIRET ») : non importée"
        )

    def test_every_field_of_the_centre_social(self):
        run(CSX.read_text("utf-8"))
        structure = Structure.objects.get()
        assert structure.kind == StructureKind.CENTRE_SOCIAL
        assert structure.department.code == "69"
        assert (structure.address, structure.postcode, structure.commune) == (
            "9 rue Roquette",
            "69009",
            "Lyon 9e Arrondissement",
        )
        assert structure.email == "accueil@csvaise.fr"
        assert structure.website == "http://www.csvaise.fr"
        assert structure.siret == "77993294600048"
        assert structure.first_agrement_date == date(2024, 11, 24)
        assert structure.population == 30000
        assert structure.history.startswith("Créé le 1er septembre 1954")
        assert structure.project_axis_3 == (
            "Développer les espaces de participation, d'engagements, de solidarité"
        )
        assert (structure.project_axis_4, structure.project_axis_5) == ("", "")
        assert structure.management_mode == "Associatif"
        assert structure.territory_type == "Un espace à dominante urbaine"
        assert structure.territory_size == "Plusieurs quartiers"
        assert structure.in_priority_area is True
        assert structure.federation_membership == FederationMembership.FCS
        assert structure.other_federation == ""
        assert (structure.for_travellers, structure.multi_site, structure.itinerant) == (
            False,
            False,
            False,
        )
        structure.full_clean()

    def test_every_field_of_the_evs(self):
        run(EVS.read_text("utf-8"))
        structure = Structure.objects.get()
        assert (structure.kind, structure.department.code) == (StructureKind.EVS, "74")
        assert structure.siret == "21740133000014"
        assert structure.population == 1635
        assert structure.management_mode == "Collectivité locale"
        assert structure.project_axis_5 == "participation citoyenne"
        assert structure.federation_membership == FederationMembership.NONE
        assert structure.federation is None
        assert structure.multi_site is True
        structure.full_clean()

    def test_running_the_import_twice_changes_nothing(self):
        texts = CSX.read_text("utf-8"), EVS.read_text("utf-8")
        run(*texts)
        before = snapshot()
        report = run(*texts)
        assert [o for _line, o in outcomes(report)] == [
            Outcome.UNCHANGED,
            Outcome.INCOMPLETE,
            Outcome.UNCHANGED,
            Outcome.INCOMPLETE,
        ]
        assert snapshot() == before


class TestMatching:
    def test_a_structure_a_sheet_import_created_is_updated_not_duplicated(self):
        import_sheets(
            sources=[
                Source("fiches.txt", sheet_text(structure="EVS Maison de Quartier - Haute-Savoie"))
            ]
        )
        created = Structure.objects.get()
        assert created.kind == StructureKind.EVS  # the sheet importer's guess, from the name
        report = run(EVS.read_text("utf-8"))
        assert report.results[0].outcome == Outcome.UPDATED
        assert Structure.objects.count() == 1
        structure = Structure.objects.get()
        assert (structure.pk, structure.name) == (created.pk, "EVS Maison de Quartier")
        assert structure.siret == "21740133000014"

    def test_names_match_without_case_accents_nor_punctuation_in_the_same_departement(self):
        existing = StructureFactory(name="Évs - Maison de quartier", department=department("74"))
        run(EVS.read_text("utf-8"))
        assert Structure.objects.count() == 1
        existing.refresh_from_db()
        assert existing.postcode == "74240"

    def test_the_same_name_in_another_departement_is_another_structure(self):
        StructureFactory(name="EVS MAISON DE QUARTIER", department=department("73"))
        run(EVS.read_text("utf-8"))
        assert Structure.objects.filter(name="EVS MAISON DE QUARTIER").count() == 2

    def test_the_kind_comes_from_the_listing_not_the_name(self):
        structure = StructureFactory(
            name="CENTRE SOCIAL DU PARC", kind=StructureKind.CENTRE_SOCIAL, department=department()
        )
        report = run(directory_page(card_text(), kind="evs"))
        structure.refresh_from_db()
        assert structure.kind == StructureKind.EVS
        assert "type" in report.results[0].detail

    def test_a_card_named_with_its_commune_finds_the_structure_a_sheet_created(self):
        import_sheets(sources=[Source("f.txt", sheet_text(structure="CS LES TILLEULS - Rhône"))])
        created = Structure.objects.get()
        report = run(
            directory_page(card_text(name="CS Les Tilleuls Lyon", postcode="69001", commune="Lyon"))
        )
        (result,) = report.results
        assert result.outcome == Outcome.UPDATED
        assert [n.message for n in result.notices if "structure «" in n.message] == [
            "structure « CS LES TILLEULS » (Lyon) : même nom, commune à part"
        ]
        structure = Structure.objects.get()
        assert (structure.pk, structure.commune, structure.postcode) == (
            created.pk,
            "Lyon",
            "69001",
        )

    def test_a_sheet_named_without_the_commune_finds_the_card_structure(self):
        run(
            directory_page(card_text(name="CS Les Tilleuls Lyon", postcode="69001", commune="Lyon"))
        )
        report = import_sheets(
            sources=[Source("f.txt", sheet_text(structure="CS LES TILLEULS - Rhône"))]
        )
        assert report.results[0].outcome == Outcome.CREATED
        assert Structure.objects.count() == 1
        assert [n.message for n in report.results[0].notices if "structure" in n.message] == [
            "structure « CS Les Tilleuls Lyon » (Lyon) : même nom, commune à part"
        ]

    def test_a_card_matching_two_structures_with_their_communes_is_rejected(self):
        StructureFactory(name="CS Parc Lyon", commune="", department=department("69"))
        StructureFactory(name="CS Parc Vaise", commune="Vaise", department=department("69"))
        report = run(directory_page(card_text(name="CS Parc", postcode="69009", commune="Lyon")))
        (result,) = report.results
        assert result.outcome == Outcome.REJECTED
        assert result.detail == (
            "structure ambiguë : « CS Parc Lyon » (), « CS Parc Vaise » (Vaise) portent ce nom, "
            "commune à part"
        )
        assert report.failed and Structure.objects.count() == 2

    def test_a_sheet_imported_after_the_directory_finds_its_structure(self):
        run(directory_page(card_text(name="C'MES LOISIRS", postcode="74140", commune="Chens")))
        import_sheets(
            sources=[Source("f.txt", sheet_text(structure="C MES LOISIRS - Haute-Savoie"))]
        )
        assert Structure.objects.count() == 1


class TestFederation:
    def test_a_member_of_the_fcs_joins_the_federation_covering_its_departement(self):
        federation = FederationFactory(departments=[department()])
        run(directory_page(card_text(fcs="Oui")))
        assert Structure.objects.get().federation == federation

    def test_a_member_already_in_one_of_several_covering_federations_stays_there(self):
        first = FederationFactory(departments=[department()])
        second = FederationFactory(departments=[department()])
        StructureFactory(name="CENTRE SOCIAL DU PARC", department=department(), federation=second)
        report = run(directory_page(card_text(fcs="Oui")))
        assert Structure.objects.get().federation == second != first
        assert report.results[0].notices == []

    def test_a_member_with_no_single_federation_is_left_as_is_with_a_notice(self):
        report = run(directory_page(card_text(fcs="Oui")))
        assert Structure.objects.get().federation is None
        assert "aucune fédération du portail ne couvre le département 94" in (
            report.results[0].notices[0].message
        )

    def test_a_non_member_loses_the_federation_it_had_in_the_portal(self):
        federation = FederationFactory(departments=[department()])
        import_sheets(
            sources=[Source("f.txt", sheet_text(structure="CENTRE SOCIAL DU PARC - Val-de-Marne"))]
        )
        Structure.objects.update(federation=federation)
        report = run(directory_page(card_text(fcs="Non", other_federation="Non")))
        structure = Structure.objects.get()
        assert structure.federation is None
        assert structure.federation_membership == FederationMembership.NONE
        assert "fédération" in report.results[0].detail

    def test_a_member_of_another_federation_known_by_name_joins_it(self):
        leo = FederationFactory(name="Fédération Léo Lagrange")
        run(directory_page(card_text(fcs="Non", other_federation="FEDERATION LEO LAGRANGE")))
        structure = Structure.objects.get()
        assert structure.federation == leo
        assert structure.federation_membership == FederationMembership.OTHER
        assert structure.other_federation == "FEDERATION LEO LAGRANGE"

    def test_a_member_of_an_unknown_federation_has_none_and_a_notice(self):
        report = run(directory_page(card_text(fcs="Non", other_federation="Union des MJC")))
        assert Structure.objects.get().federation is None
        assert "Union des MJC" in report.results[0].notices[0].message


class TestUpdates:
    def test_a_changed_card_updates_the_fields_and_names_them(self):
        run(directory_page(card_text()))
        report = run(
            directory_page(card_text(email="contact@csduparc.example.org", population="13000"))
        )
        assert report.results[0].outcome == Outcome.UPDATED
        assert report.results[0].detail == (
            "modifié : courriel, population de la zone de compétence"
        )

    def test_an_empty_or_unreadable_field_leaves_the_stored_value(self):
        run(directory_page(card_text()))
        report = run(directory_page(card_text(siret="A compléter", email="", website="???")))
        assert report.results[0].outcome == Outcome.UNCHANGED
        structure = Structure.objects.get()
        assert structure.siret == "77993294600048"
        assert structure.email == "accueil@csduparc.example.org"

    def test_an_invalid_siret_is_not_stored_and_is_reported(self):
        report = run(directory_page(card_text(siret="12345678901234")))
        assert Structure.objects.get().siret == ""
        assert "SIRET « 12345678901234 » non retenu" in report.results[0].notices[0].message

    def test_the_other_federation_name_goes_with_the_membership(self):
        run(directory_page(card_text(fcs="Non", other_federation="Union des MJC")))
        run(directory_page(card_text(fcs="Oui", other_federation="Non")))
        structure = Structure.objects.get()
        assert (structure.federation_membership, structure.other_federation) == (
            FederationMembership.FCS,
            "",
        )


class TestRunRules:
    def test_a_cut_card_whose_complete_copy_is_in_the_run_is_a_duplicate(self):
        cut = directory_page(card_text().split("Historique")[0])
        report = run(cut, directory_page(card_text()))
        assert outcomes(report) == [(2, Outcome.DUPLICATE), (2, Outcome.CREATED)]
        assert report.results[0].detail.startswith("coupée par la fin de la page")
        assert "la fiche complète de la ligne 2 de annuaire-2.txt est importée" in (
            report.results[0].detail
        )

    def test_the_same_card_twice_is_imported_once(self):
        report = run(directory_page(card_text(), card_text()))
        assert outcomes(report) == [(2, Outcome.CREATED), (34, Outcome.DUPLICATE)]
        assert report.results[1].detail == "identique à la fiche de la ligne 2"

    def test_two_different_cards_of_one_structure_the_last_is_imported(self):
        report = run(directory_page(card_text(population="1"), card_text(population="2")))
        assert [o for _line, o in outcomes(report)] == [Outcome.DUPLICATE, Outcome.CREATED]
        assert Structure.objects.get().population == 2

    def test_a_rejected_card_does_not_stop_the_run(self):
        report = run(directory_page(card_text(postcode="97150"), card_text(name="AUTRE")))
        assert [o for _line, o in outcomes(report)] == [Outcome.REJECTED, Outcome.CREATED]
        assert report.failed

    def test_a_page_of_sheets_is_a_file_error(self):
        report = run(sheet_text())
        assert report.file_errors == [
            ("annuaire-1.txt", "page de fiches action : l'importer avec import_sheets")
        ]


class TestCommand:
    def test_the_report_lists_each_card_then_the_totals(self):
        status, output = command(CSX, EVS)
        assert status == 0
        assert "  ligne     3  créée        Centre social et culturel Pierrette Augier" in output
        assert "  ligne    34  incomplète   C MES LOISIRS — coupée par la fin de la page" in output
        assert output.strip().endswith(
            "Total : 4 structures · 2 créées · 0 mise à jour · 0 inchangée · 0 doublon · "
            "2 incomplètes · 0 rejetée"
        )

    def test_dry_run_writes_nothing(self):
        status, output = command(CSX, "--dry-run")
        assert status == 0 and Structure.objects.count() == 0
        assert "Simulation (--dry-run) : rien n'a été enregistré." in output

    def test_strict_refuses_a_run_with_a_cut_card(self):
        status, output = command(CSX, EVS, "--strict")
        assert status == 1
        assert "2 fiche(s) ou fichier(s) rejeté(s) ou incomplète(s)" in output
        assert "aucune modification enregistrée (--strict)" in output
        assert Structure.objects.count() == 0

    def test_strict_accepts_a_run_of_complete_cards(self, tmp_path):
        path = tmp_path / "annuaire.txt"
        path.write_text(directory_page(card_text()), encoding="utf-8")
        assert command(path, "--strict")[0] == 0
        assert Structure.objects.count() == 1

    @pytest.mark.parametrize(
        ("name", "reason"),
        [
            ("action_show_1379_CHARTE-ONLY.txt", "page de la charte d'utilisation de SENACS"),
            ("action_show_271.txt", "page de fiches action : l'importer avec import_sheets"),
        ],
    )
    def test_a_page_without_card_fails_with_its_reason(self, name, reason):
        status, output = command(SENACS / name)
        assert status == 1
        assert f"{SENACS / name} : fichier rejeté, {reason}" in output

    def test_a_utf16_crlf_page_imports(self, tmp_path):
        path = tmp_path / "annuaire.txt"
        path.write_bytes(EVS.read_text("utf-8").replace("\n", "\r\n").encode("utf-16"))
        assert command(path)[0] == 0
        assert Structure.objects.get().name == "EVS MAISON DE QUARTIER"


values = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=300)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=values,
    street=values,
    postcode=st.from_regex(r"\A[0-9]{5}\Z"),
    population=st.one_of(values, st.integers(min_value=0, max_value=10**20).map(str)),
    other=values,
    free=values,
)
def test_odd_values_never_break_the_directory_import(
    name, street, postcode, population, other, free
):
    text = directory_page(
        card_text(
            name=name.replace("\n", " "),
            street=street.replace("\n", " "),
            postcode=postcode,
            population=population.replace("\n", " "),
            management=other.replace("\n", " "),
            other_federation=other.replace("\n", " "),
            website=other.replace("\n", " "),
            email=other.replace("\n", " "),
            agrement=other.replace("\n", " "),
            history=(free,),
        )
    )
    with transaction.atomic():
        report = run(text)
        assert len(report.results) + len(report.file_errors) >= 1
        for structure in Structure.objects.all():
            structure.full_clean()
        transaction.set_rollback(True)
