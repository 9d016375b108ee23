"""Catalogue search finds a sheet by the names it links to (its structure's, its partners' and
funders', its themes') and by the sections of the older layout, on both databases; the
weights rank them (catalogue/search.py)."""

import pytest
from django.urls import reverse

from actions.enums import PartnerRole
from actions.models import Action, Theme
from catalogue.search import search
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    theme,
)
from tests.federations.factories import StructureFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("catalogue:action_list")

PLAIN = {"summary": "", "experience": "", "description": "", "published": True}


def found(text: str) -> set[str]:
    return set(search(Action.objects.published(), text).values_list("title", flat=True))


def ranked(text: str) -> list[str]:
    results = search(Action.objects.published(), text).order_by("-search_rank", "title")
    return list(results.values_list("title", flat=True))


class TestNamesASheetLinksTo:
    def test_a_structure_name_finds_the_published_sheets_of_that_structure(self, client):
        adesir = StructureFactory(name="ADESIR")
        ActionFactory(title="Atelier couture", structure=adesir, **PLAIN)
        ActionFactory(title="Jardin partagé", structure=adesir, **PLAIN)
        ActionFactory(title="Brouillon", structure=adesir)
        ActionFactory(title="Ailleurs", **PLAIN)
        response = client.get(CATALOGUE, {"q": "ADESIR"})
        assert {action.title for action in response.context["object_list"]} == {
            "Atelier couture",
            "Jardin partagé",
        }
        assert found("adésir") == {"Atelier couture", "Jardin partagé"}

    def test_a_partner_of_the_action_and_a_funder_find_their_sheets(self):
        atelier = ActionFactory(title="Atelier", **PLAIN)
        sortie = ActionFactory(title="Sortie", **PLAIN)
        ActionPartnerFactory(action=atelier, partner=PartnerFactory(name="Ludothèque Zorglub"))
        ActionPartnerFactory(
            action=sortie,
            partner=PartnerFactory(name="Fondation Azimut"),
            role=PartnerRole.FINANCIAL,
        )
        FundingFactory(action=atelier, funder=PartnerFactory(name="Mutuelle Bretagne"))
        assert found("zorglub") == {"Atelier"}
        assert found("ludotheque zorglub") == {"Atelier"}
        assert found("azimut") == {"Sortie"}
        assert found("mutuelle") == {"Atelier"}

    def test_a_theme_label_finds_its_sheets(self):
        ActionFactory(title="Atelier", themes=[theme("parentalite")], **PLAIN)
        ActionFactory(title="Sortie", themes=[theme("culture")], **PLAIN)
        label = theme("parentalite").name
        assert found(label) == {"Atelier"}
        assert found(label.upper()) == {"Atelier"}

    def test_the_sections_of_the_older_layout_are_searched(self):
        ActionFactory(title="Diagnostic", diagnostic="Un constat de solitude.", **PLAIN)
        ActionFactory(title="Impacts", impacts="Des voisins plus liés.", **PLAIN)
        ActionFactory(title="Réussite", success_factors="La ténacité des bénévoles.", **PLAIN)
        assert found("solitude") == {"Diagnostic"}
        assert found("voisins") == {"Impacts"}
        assert found("tenacite") == {"Réussite"}

    def test_every_word_may_come_from_a_different_name_or_section(self):
        adesir = StructureFactory(name="ADESIR")
        sheet = ActionFactory(title="Atelier couture", structure=adesir, **PLAIN)
        ActionPartnerFactory(action=sheet, partner=PartnerFactory(name="Ludothèque Zorglub"))
        ActionFactory(title="Atelier bois", structure=adesir, **PLAIN)
        assert found("adesir zorglub couture") == {"Atelier couture"}
        assert found("adesir zorglub bois") == set()

    def test_a_sheet_linked_twice_to_a_name_is_found_once(self, client):
        caf = PartnerFactory(name="Caisse Zorglub")
        sheet = ActionFactory(title="Atelier", **PLAIN)
        ActionPartnerFactory(action=sheet, partner=caf)
        ActionPartnerFactory(action=sheet, partner=caf, role=PartnerRole.FINANCIAL)
        FundingFactory(action=sheet, funder=caf)
        response = client.get(CATALOGUE, {"q": "zorglub"})
        assert [action.title for action in response.context["object_list"]] == ["Atelier"]
        assert response.context["paginator"].count == 1

    def test_the_title_beats_the_structure_which_beats_themes_and_partners(self):
        structure = StructureFactory(name="Centre social Boussole")
        ActionFactory(title="Titre Boussole", **PLAIN)
        ActionFactory(title="Par sa structure", structure=structure, **PLAIN)
        partnered = ActionFactory(title="Par un partenaire", **PLAIN)
        ActionPartnerFactory(action=partnered, partner=PartnerFactory(name="Boussole asso"))
        Theme.objects.filter(slug="culture").update(name="Boussole culturelle")
        ActionFactory(title="Par un thème", themes=[theme("culture")], **PLAIN)
        assert ranked("boussole") == [
            "Titre Boussole",
            "Par sa structure",
            "Par un thème",
            "Par un partenaire",
        ]


class TestRenamesAndLinks:
    """What the search finds follows the names and links as they are now (on PostgreSQL,
    through the triggers that keep the vectors exact: tests/actions/test_search_vector.py)."""

    def test_a_renamed_structure_is_found_by_its_new_name_only(self):
        structure = StructureFactory(name="Maison Ancienne")
        ActionFactory(title="Atelier", structure=structure, **PLAIN)
        structure.name = "Maison Nouvelle"
        structure.save()
        assert found("nouvelle") == {"Atelier"}
        assert found("ancienne") == set()

    def test_a_renamed_or_unlinked_partner_is_found_as_it_is_now(self):
        sheet = ActionFactory(title="Atelier", **PLAIN)
        link = ActionPartnerFactory(action=sheet, partner=PartnerFactory(name="Zorglub"))
        link.partner.name = "Azimut"
        link.partner.save()
        assert (found("zorglub"), found("azimut")) == (set(), {"Atelier"})
        link.delete()
        assert found("azimut") == set()

    def test_a_relabelled_or_unlinked_theme_is_found_as_it_is_now(self):
        sheet = ActionFactory(title="Atelier", themes=[theme("culture")], **PLAIN)
        Theme.objects.filter(slug="culture").update(name="Arts vivants")
        assert found("vivants") == {"Atelier"}
        sheet.themes.set([theme("sport")])
        assert found("vivants") == set()
