"""Pages of each format that the samples do not show, written for these tests
(``fixtures/senacs/variants/``): sections and labels in another order, optional sections
missing, extra spaces, decomposed accents (NFD), Windows line ends, a last sheet or card cut
short. They import through the commands with every visible field right and nothing cut
published."""

import datetime
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from actions.enums import ActionStatus, PublicationStatus
from actions.models import Action, Theme
from federations.enums import FederationMembership, StructureKind
from federations.models import Structure
from tests.actions.importing import command
from tests.federations.factories import StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

VARIANTS = Path(settings.BASE_DIR) / "fixtures" / "senacs" / "variants"
OLDER_REORDERED = VARIANTS / "action_show_older_reordered_crlf.txt"
OLDER_CUT = VARIANTS / "action_show_older_nfd_cut.txt"
CURRENT_CUT = VARIANTS / "actions_current_variant_nfd_crlf_cut.txt"
EVS = VARIANTS / "structure_evs_variant_crlf.txt"
CSX_CUT = VARIANTS / "structure_csx_variant_nfd_cut.txt"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_the_variants_are_written_as_they_claim():
    assert b"\r\n" in OLDER_REORDERED.read_bytes() and b"\r\n" in EVS.read_bytes()
    for path in (OLDER_CUT, CURRENT_CUT, CSX_CUT):
        text = path.read_text("utf-8")
        assert text != nfc(text)  # decomposed accents


@pytest.fixture
def tilleuls() -> Structure:
    """The structure the sheet variants belong to, with the website their older pages give."""
    return StructureFactory(
        name="Centre social Les Tilleuls",
        department=department("31"),
        website="http://csc-les-tilleuls.fr",
    )


class TestOlderLayout:
    def test_reordered_sections_spaces_and_crlf_import_every_field(self, tilleuls):
        status, output = command("import_sheets", OLDER_REORDERED, "--publish")
        assert status == 0, output
        action = Action.objects.get()
        assert (action.structure, action.title) == (tilleuls, "Repair café du quartier")
        assert (
            action.description == "Un samedi par mois,  des bénévoles réparent avec les habitants."
        )
        assert action.diagnostic == "Beaucoup d'objets jetés   encore réparables."
        assert action.limits == "Trouver des bénévoles bricoleurs."
        assert action.success_factors == "Le local prêté par la mairie."
        assert (action.impacts, action.experience) == ("", "")
        assert set(action.themes.all()) == {
            Theme.objects.match("Environnement"),
            Theme.objects.match("Solidarité"),
        }
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert "la page donne son site internet (http://www.csc-les-tilleuls.fr/)" in output

    def test_a_cut_nfd_page_is_an_incomplete_draft_with_its_file_listed(self, tilleuls):
        status, output = command("import_sheets", OLDER_CUT, "--publish")
        assert status == 0, output
        action = Action.objects.get()
        assert (action.structure, action.title) == (tilleuls, "Fête des voisins")
        assert action.publication_status == PublicationStatus.DRAFT
        assert action.diagnostic == "Des voisins qui ne se connaissent pas."
        assert action.experience == "Trois réunions de préparation avec le bailleur."
        assert action.success_factors == action.limits == ""  # after the cut
        assert action.impacts == "Des échanges de services entre vois"  # as far as it goes
        assert set(action.themes.all()) == {
            Theme.objects.match("Intergénérationel"),
            Theme.objects.match("Habitants"),
        }
        assert "créée (incomplète) Fête des voisins — coupée après « Quels sont les impacts" in (
            output
        )
        assert "fichier associé non importé (à déposer à la main) : affiche fête.pdf" in output
        assert "Total : 1 fiche · 1 créée (dont 1 incomplète)" in output

    def test_without_a_known_website_they_are_rejected(self):
        status, output = command("import_sheets", OLDER_REORDERED, OLDER_CUT)
        assert status == 1
        assert output.count("page à l'ancienne mise en page sans structure") == 2
        assert not Action.objects.exists()


class TestCurrentLayout:
    def test_nfd_crlf_spaces_and_a_cut_last_sheet(self, tilleuls):
        status, output = command("import_sheets", CURRENT_CUT, "--publish")
        assert status == 0, output
        garden, party = Action.objects.order_by("pk")
        assert (garden.title, garden.structure) == ("Jardin partagé des Tilleuls", tilleuls)
        assert garden.status == ActionStatus.ONGOING
        assert garden.summary == "Un jardin cultivé par les habitants au pied des immeubles."
        assert garden.limits == "L'eau en été."
        assert list(garden.fundings.values_list("funder__name", "amount")) == [
            ("Caf", Decimal("1200.50")),
            ("Commune", Decimal("800.00")),
        ]
        assert set(garden.themes.all()) == {
            Theme.objects.match("Environnement"),
            Theme.objects.match("Mixité sociale"),
        }
        assert garden.publication_status == PublicationStatus.PUBLISHED
        assert (party.title, party.status) == ("Fête de quartier", ActionStatus.FINISHED)
        assert party.territory_scale is None  # "Un quar" is cut: no value
        assert party.publication_status == PublicationStatus.DRAFT
        assert "Total : 2 fiches · 2 créées (dont 1 incomplète)" in output


class TestDirectory:
    def test_reordered_labels_missing_fields_and_crlf_import_every_field(self):
        status, output = command("import_structures", EVS)
        assert status == 0, output
        passerelle = Structure.objects.get(name="ESPACE DE VIE SOCIALE LA PASSERELLE")
        assert (passerelle.kind, passerelle.department.code) == (StructureKind.EVS, "31")
        assert (passerelle.address, passerelle.postcode, passerelle.commune) == (
            "2 place du Marché",
            "31000",
            "Toulouse",
        )
        assert passerelle.email == "contact@la-passerelle.example.org"
        assert passerelle.website == "http://www.la-passerelle.example.org"
        assert passerelle.siret == ""
        assert passerelle.population == 4500
        assert passerelle.first_agrement_date == datetime.date(2021, 9, 1)
        assert (
            passerelle.history == "Association de quartier devenue espace de vie sociale en 2021."
        )
        assert (passerelle.project_axis_1, passerelle.project_axis_3) == ("Rompre l'isolement", "")
        assert passerelle.territory_size == "Un quartier"
        assert passerelle.in_priority_area is False
        assert passerelle.federation_membership == FederationMembership.NONE
        assert (passerelle.itinerant, passerelle.multi_site) == (True, False)
        house = Structure.objects.get(name="MAISON POUR TOUS")
        assert (house.website, house.siret, house.kind) == ("", "", StructureKind.EVS)
        assert house.federation_membership == FederationMembership.FCS
        assert house.multi_site is True
        assert "Total : 2 structures · 2 créées" in output

    def test_a_cut_nfd_page_imports_its_complete_card_only(self):
        status, output = command("import_structures", CSX_CUT)
        assert status == 0, output
        structure = Structure.objects.get()
        assert structure.name == nfc("CENTRE SOCIAL DES LYCÉENS")
        assert (structure.department.code, structure.commune) == ("2A", "Ajaccio")
        assert structure.siret == "77993294600048"
        assert structure.website == "https://cs-lyceens.example.org/"
        assert structure.project_axis_1 == nfc("Éducation populaire")
        assert "incomplète   CENTRE SOCIAL DU PORT — coupée par la fin de la page" in output

    def test_importing_them_twice_changes_nothing(self):
        command("import_structures", EVS, CSX_CUT)
        before = list(Structure.objects.values().order_by("pk"))
        status, output = command("import_structures", EVS, CSX_CUT)
        assert status == 0
        assert "0 créée · 0 mise à jour · 3 inchangées" in output
        assert list(Structure.objects.values().order_by("pk")) == before
