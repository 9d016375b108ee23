"""The structure directory parser: identity cards read from saved pages, no database."""

import functools
import random
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.importer.directory import department_code, parse_directory
from actions.importer.pages import decode
from federations.enums import FederationMembership, StructureKind
from tests.actions.directory_pages import card_text, directory_page

SENACS = Path(settings.BASE_DIR) / "fixtures" / "senacs"
CSX = SENACS / "structure_csx_page22_asc.txt"
EVS = SENACS / "structure_evs_page42.txt"


def cards_of(path: Path):
    return parse_directory(path.read_text(encoding="utf-8")).cards


def only_card(text: str):
    cards = parse_directory(text).cards
    assert len(cards) == 1
    return cards[0]


@pytest.fixture(scope="module")
def csx_cards():
    return cards_of(CSX)


@pytest.fixture(scope="module")
def evs_cards():
    return cards_of(EVS)


class TestCentreSocialSample:
    def test_the_page_holds_two_cards_the_last_cut(self, csx_cards):
        assert [(c.start_line, c.name, c.truncated) for c in csx_cards] == [
            (3, "Centre social et culturel Pierrette Augier Lyon-Vaise", False),
            (35, "CENTRE SOCIAL EUGENIE COTTON", True),
        ]

    def test_the_kind_comes_from_the_listing(self, csx_cards):
        assert {c.kind for c in csx_cards} == {StructureKind.CENTRE_SOCIAL}

    def test_identity_fields(self, csx_cards):
        values = csx_cards[0].values
        assert values["address"] == "9 rue Roquette"
        assert values["postcode"] == "69009"
        assert values["commune"] == "Lyon 9e Arrondissement"
        assert csx_cards[0].department_code == "69"
        assert values["email"] == "accueil@csvaise.fr"
        assert values["website"] == "http://www.csvaise.fr"
        assert values["siret"] == "77993294600048"

    def test_history_fields(self, csx_cards):
        values = csx_cards[0].values
        assert values["first_agrement_date"] == date(2024, 11, 24)
        assert values["population"] == 30000
        assert values["history"].startswith("Créé le 1er septembre 1954 sous la dénomination")
        assert values["history"].endswith("implantée depuis sa création dans le quartier de Vaise.")

    def test_the_five_axes_empty_ones_left_out(self, csx_cards):
        values = csx_cards[0].values
        assert values["project_axis_1"].startswith("Développer la mobilisation de tous les acteurs")
        assert values["project_axis_1"].endswith("l'animation de la communauté éducative,")
        assert values["project_axis_2"].startswith("Harmoniser le développement")
        assert values["project_axis_3"] == (
            "Développer les espaces de participation, d'engagements, de solidarité"
        )
        assert "project_axis_4" not in values and "project_axis_5" not in values

    def test_management_territory_and_priority_area(self, csx_cards):
        values = csx_cards[0].values
        assert values["management_mode"] == "Associatif"
        assert values["territory_type"] == "Un espace à dominante urbaine"
        assert values["territory_size"] == "Plusieurs quartiers"
        assert values["priority_geography"].startswith("Votre structure est située sur un quartier")
        assert values["in_priority_area"] is True

    def test_an_other_federation_naming_the_fcs_is_the_fcs(self, csx_cards):
        values = csx_cards[0].values
        assert values["federation_membership"] == FederationMembership.FCS
        assert "other_federation" not in values

    def test_the_three_specificities(self, csx_cards):
        values = csx_cards[0].values
        assert (values["for_travellers"], values["multi_site"], values["itinerant"]) == (
            False,
            False,
            False,
        )

    def test_the_cut_card_says_where_it_is_cut(self, csx_cards):
        cut = csx_cards[1]
        assert (cut.cut_field, cut.cut_line) == ("siret", 43)
        assert cut.values["address"] == "23 rue Georges LYVET"
        assert cut.department_code == "69"


class TestEspaceDeVieSocialeSample:
    def test_two_evs_cards_the_last_cut_in_its_axes(self, evs_cards):
        assert [(c.name, c.kind, c.truncated) for c in evs_cards] == [
            ("EVS MAISON DE QUARTIER", StructureKind.EVS, False),
            ("C MES LOISIRS", StructureKind.EVS, True),
        ]
        assert (evs_cards[1].cut_field, evs_cards[1].cut_line) == ("axes", 47)

    def test_every_field_of_the_first_card(self, evs_cards):
        card = evs_cards[0]
        assert card.department_code == "74"
        assert card.values == {
            "address": "10 rue de Vernaz a Gaillard",
            "postcode": "74240",
            "commune": "Gaillard",
            "email": "maisondequartier@gaillard.fr",
            "website": "http://www.gaillard.fr/maison-de-quartier/",
            "siret": "21740133000014",
            "first_agrement_date": date(2019, 7, 30),
            "population": 1635,
            "project_axis_1": (
                "Axe transversal : la mixité dans une approche à la fois spécifique et intégrée"
            ),
            "project_axis_2": "santé et environnement",
            "project_axis_3": "Ouverture sur le monde",
            "project_axis_4": "Accès au numérique et accompagnement vers l'insertion + parentalité",
            "project_axis_5": "participation citoyenne",
            "management_mode": "Collectivité locale",
            "territory_type": "Un espace à dominante urbaine",
            "territory_size": "Plusieurs quartiers",
            "priority_geography": (
                "Votre structure est située sur un quartier prioritaire de la Politique de la "
                "Ville (QPV)"
            ),
            "in_priority_area": True,
            "federation_membership": FederationMembership.NONE,
            "for_travellers": False,
            "multi_site": True,
            "itinerant": False,
        }

    def test_the_cut_card_keeps_its_empty_fields_out(self, evs_cards):
        card = evs_cards[1]
        assert card.values["commune"] == "Chens-sur-Léman"
        assert "siret" not in card.values and "population" not in card.values
        assert card.values["history"].startswith("Association CYNEMA Jeunes, créé en 2004")


class TestFields:
    def test_the_helper_card_reads_whole(self):
        card = only_card(directory_page(card_text()))
        assert not card.truncated and card.rejection is None and card.notices == []
        assert card.values["website"] == "http://www.csduparc.example.org"
        assert card.values["siret"] == "77993294600048"
        assert card.department_code == "94"

    @pytest.mark.parametrize("siret", ["A compléter", "A COMPLETER", "", "à compléter"])
    def test_a_siret_placeholder_is_dropped_silently(self, siret):
        card = only_card(directory_page(card_text(siret=siret)))
        assert "siret" not in card.values and card.notices == []

    def test_an_invalid_siret_is_dropped_with_the_validator_reason(self):
        card = only_card(directory_page(card_text(siret="779 932 946 00049")))
        assert "siret" not in card.values
        assert [n.message for n in card.notices] == [
            "SIRET « 779 932 946 00049 » non retenu : "
            "Ce SIRET n'est pas valide (clé de contrôle incorrecte)."
        ]

    def test_an_unreadable_email_website_date_or_population_is_reported(self):
        card = only_card(
            directory_page(
                card_text(
                    email="accueil at example",
                    website="pas de site",
                    agrement="31/02/2019",
                    population="beaucoup",
                )
            )
        )
        for name in ("email", "website", "first_agrement_date", "population"):
            assert name not in card.values
        assert len(card.notices) == 4

    def test_a_population_with_thousands_spaces(self):
        assert only_card(directory_page(card_text(population="30 000"))).values["population"] == (
            30000
        )

    @pytest.mark.parametrize(
        ("fcs", "other", "membership", "named"),
        [
            ("Oui", "Non", FederationMembership.FCS, None),
            ("Non", "Non", FederationMembership.NONE, None),
            (
                "Non",
                "Fédération Léo Lagrange",
                FederationMembership.OTHER,
                "Fédération Léo Lagrange",
            ),
            ("Oui", "Fédération Léo Lagrange", FederationMembership.FCS, "Fédération Léo Lagrange"),
            ("Non", "Fédération des centres sociaux de la Drôme", FederationMembership.FCS, None),
            ("", "", None, None),
        ],
    )
    def test_federation_membership(self, fcs, other, membership, named):
        values = only_card(directory_page(card_text(fcs=fcs, other_federation=other))).values
        assert values.get("federation_membership") == membership
        assert values.get("other_federation") == named

    @pytest.mark.parametrize(
        ("text", "qpv"),
        [
            (
                "Votre structure est située sur un quartier prioritaire de la Politique de la "
                "Ville (QPV)",
                True,
            ),
            ("Votre structure n'est pas située sur un quartier prioritaire (QPV)", False),
            ("Votre structure est située en zone de revitalisation rurale (ZRR)", None),
        ],
    )
    def test_the_priority_area_reading(self, text, qpv):
        values = only_card(directory_page(card_text(priority=text))).values
        assert values.get("in_priority_area") is qpv
        assert values["priority_geography"] == text

    def test_a_flag_with_an_odd_answer_is_reported_and_left_out(self):
        card = parse_directory(
            directory_page(card_text(travellers="Parfois"), card_text(name="B"))
        ).cards[0]
        assert "for_travellers" not in card.values
        assert "Parfois" in card.notices[0].message

    def test_a_multi_line_axis_and_history(self):
        text = card_text(history=("Première ligne.", "Seconde ligne.")).replace(
            "- Axe 2 : Accompagner les familles", "- Axe 2 : Accompagner\nles familles"
        )
        values = only_card(directory_page(text)).values
        assert values["history"] == "Première ligne.\nSeconde ligne."
        assert values["project_axis_2"] == "Accompagner\nles familles"


class TestAddress:
    def test_the_name_glued_to_the_street_is_removed_ignoring_case_and_accents(self):
        text = card_text(name="Centre Social Éole").replace(
            "Centre Social Éole12 rue", "CENTRE SOCIAL EOLE12 rue"
        )
        assert only_card(directory_page(text)).values["address"] == "12 rue des Lilas"

    def test_a_name_written_otherwise_splits_at_the_first_figure_with_a_notice(self):
        text = card_text(name="CS DU PARC").replace("CS DU PARC12 rue", "Centre du Parc12 rue")
        card = only_card(directory_page(text))
        assert card.values["address"] == "12 rue des Lilas"
        assert "rue lue à partir de" in card.notices[0].message

    def test_a_street_without_the_name_is_kept_with_a_notice(self):
        text = card_text(name="CS DU PARC").replace("CS DU PARC12 rue des Lilas", "Place du marché")
        card = only_card(directory_page(text))
        assert card.values["address"] == "Place du marché"
        assert "non retrouvé" in card.notices[0].message

    def test_several_street_lines_a_cedex_and_a_postcode_with_a_space(self):
        text = card_text(postcode="94 000", commune="Créteil CEDEX 12").replace(
            "12 rue des Lilas\n", "12 rue des Lilas\nBâtiment B\n"
        )
        values = only_card(directory_page(text)).values
        assert values["address"] == "12 rue des Lilas, Bâtiment B"
        assert (values["postcode"], values["commune"]) == ("94000", "Créteil")

    def test_a_postcode_at_the_end_of_the_street_line(self):
        text = card_text().replace(
            "12 rue des Lilas\n94000 Créteil", "12 rue des Lilas 94000 Créteil"
        )
        values = only_card(directory_page(text)).values
        assert (values["address"], values["postcode"], values["commune"]) == (
            "12 rue des Lilas",
            "94000",
            "Créteil",
        )

    def test_a_card_without_postcode_is_rejected(self):
        card = only_card(directory_page(card_text().replace("94000 Créteil\n", "")))
        assert card.rejection == "pas de code postal : département inconnu"


class TestDepartmentFromPostcode:
    @pytest.mark.parametrize(
        ("postcode", "code"),
        [
            ("01000", "01"),
            ("75011", "75"),
            ("20000", "2A"),
            ("20090", "2A"),
            ("20167", "2A"),
            ("20200", "2B"),
            ("20290", "2B"),
            ("20600", "2B"),
            ("97100", "971"),
            ("97200", "972"),
            ("97300", "973"),
            ("97400", "974"),
            ("97600", "976"),
        ],
    )
    def test_the_departement_of_a_postcode(self, postcode, code):
        assert department_code(postcode) == (code, "")

    @pytest.mark.parametrize("postcode", ["20700", "97133", "97150", "97500", "98000", "00100"])
    def test_postcodes_of_no_departement_are_refused_with_a_reason(self, postcode):
        code, reason = department_code(postcode)
        assert code is None and postcode in reason

    def test_a_corsican_card_is_filed_in_2a_or_2b(self):
        south = only_card(directory_page(card_text(postcode="20090", commune="Ajaccio")))
        north = only_card(directory_page(card_text(postcode="20600", commune="Bastia")))
        assert (south.department_code, north.department_code) == ("2A", "2B")

    def test_a_card_in_saint_martin_is_rejected(self):
        card = only_card(directory_page(card_text(postcode="97150", commune="Saint-Martin")))
        assert "collectivité d'outre-mer" in card.rejection


class TestPageShapes:
    def test_several_cards_any_number(self):
        names = [f"CENTRE SOCIAL N°{n}" for n in range(7)]
        cards = parse_directory(directory_page(*(card_text(name=n) for n in names))).cards
        assert [c.name for c in cards] == names
        assert not any(c.truncated for c in cards)

    def test_reordered_fields_read_the_same(self):
        reference = only_card(directory_page(card_text()))
        lines = card_text().splitlines()
        # Identity lines swapped, specificities in another order (the card still ends on one).
        lines[6], lines[8] = lines[8], lines[6]
        lines[-3], lines[-1] = lines[-1], lines[-3]
        card = only_card(directory_page("\n".join(lines) + "\n"))
        assert card.values == reference.values and not card.truncated

    def test_missing_fields_are_left_out_and_the_card_is_complete(self):
        text = card_text(omit=("Site internet", "Numéro SIRET", "Population", "Mode de gestion"))
        card = parse_directory(directory_page(text, card_text(name="B"))).cards[0]
        assert not card.truncated
        assert {"website", "siret", "population", "management_mode"}.isdisjoint(card.values)

    def test_blank_lines_crlf_nfd_and_utf16_read_the_same(self):
        plain = directory_page(card_text(), card_text(name="CENTRE SOCIAL DE L’ÉTANG"))
        reference = [c.values for c in parse_directory(plain).cards]
        for text in (
            plain.replace("\n", "\n\n"),
            plain.replace("\n", "\r\n"),
            unicodedata.normalize("NFD", plain),
            decode(plain.encode("utf-16")),
        ):
            assert [c.values for c in parse_directory(text).cards] == reference

    def test_a_card_without_its_heading_starts_at_its_name(self):
        text = directory_page(
            card_text(), card_text(name="SECOND").replace("Informations sur la structure\n", "")
        )
        first, second = parse_directory(text).cards
        assert (second.name, second.start_line) == ("SECOND", card_text().count("\n") + 2)
        assert second.values["address"] == "12 rue des Lilas"
        assert not first.truncated

    def test_concatenated_pages_keep_their_own_kind(self):
        text = directory_page(card_text()) + directory_page(card_text(name="EVS"), kind="evs")
        assert [c.kind for c in parse_directory(text).cards] == ["centre_social", "evs"]

    def test_a_card_cut_before_the_next_listing_is_cut(self):
        text = directory_page(card_text().split("Historique")[0]) + directory_page(
            card_text(name="EVS"), kind="evs"
        )
        first, second = parse_directory(text).cards
        assert first.truncated and first.cut_field == "siret"
        assert not second.truncated

    def test_a_card_cut_in_a_label_names_that_field_and_a_stray_line_names_none(self):
        head = card_text().split("Numéro SIRET")[0]
        assert only_card(directory_page(head + "Numéro SIR")).cut_field == "siret"
        assert only_card(directory_page(head + "…\n")).cut_field == "website"

    def test_a_page_without_listing_heading_gives_no_kind(self):
        card = only_card(card_text())
        assert card.kind is None and "type de structure inconnu" in card.rejection

    def test_a_footer_after_the_last_card_is_ignored_with_a_notice(self):
        card = only_card(directory_page(card_text()) + "Page précédente 1 2 3 Page suivante\n")
        assert not card.truncated
        assert "ligne non reconnue" in card.notices[0].message

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("", "fichier vide"),
            ((SENACS / "action_show_107.txt").read_text("utf-8"), "page de fiches action"),
            ((SENACS / "action_show_1379_CHARTE-ONLY.txt").read_text("utf-8"), "page de la charte"),
            ("Liste des centres sociaux\n", "aucune fiche de structure reconnue"),
        ],
        ids=["empty", "sheets", "charter", "no-card"],
    )
    def test_a_page_without_card_says_why(self, text, reason):
        page = parse_directory(text)
        assert page.cards == [] and page.reason.startswith(reason)


# -- the property: cut anywhere, a card is whole or marked cut, never half -------------------


@functools.cache
def whole_cards(text: str):
    return parse_directory(text).cards


def check_cut(text: str, offset: int) -> None:
    originals = {card.start_line: card for card in whole_cards(text)}
    for card in parse_directory(text[:offset]).cards:
        original = originals[card.start_line]
        # Never a département other than the postcode's: the whole postcode, or none.
        assert card.department_code in {None, original.department_code}
        if not card.truncated:
            # A card that is not marked cut is the whole card.
            assert (card.name, card.kind, card.values) == (
                original.name,
                original.kind,
                original.values,
            ), offset
        else:
            assert card.cut_line is not None


def offsets(text: str) -> list[int]:
    ends = [index for index, char in enumerate(text) if char == "\n"] + [len(text)]
    return ends + random.Random(14).sample(range(len(text)), 50)


HELPER_PAGE = directory_page(card_text(), card_text(name="CENTRE SOCIAL DES DEUX RIVES"))


@pytest.mark.parametrize(
    "text",
    [CSX.read_text("utf-8"), EVS.read_text("utf-8"), HELPER_PAGE],
    ids=["csx", "evs", "helper"],
)
def test_every_page_cut_at_every_line_and_50_characters_gives_whole_or_cut_cards(text):
    for offset in offsets(text):
        check_cut(text, offset)


@hypothesis_settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_a_page_cut_at_any_character_gives_whole_or_cut_cards(data):
    text = data.draw(st.sampled_from([CSX.read_text("utf-8"), EVS.read_text("utf-8"), HELPER_PAGE]))
    check_cut(text, data.draw(st.integers(min_value=0, max_value=len(text))))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text())
def test_random_text_never_crashes_the_directory_parser(text):
    parse_directory(text)
    parse_directory("Liste des centres sociaux\nInformations sur la structure\n" + text)
