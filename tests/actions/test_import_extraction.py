"""Figures read from a sheet's texts: funding lines, total budget, people counts, year."""

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.enums import PartnerKind
from actions.importer.extraction import (
    MAX_AMOUNT,
    extract_funding,
    extract_people,
    extract_year,
    partner_identity,
)

BARCELONA = """Aide aux séjours Caf : 3000
Bons FCSF : 3980
Autofinancement : 6245
participation des familles : 2490
Aide du Conseil départemental : 1400
participation du centre social : 486"""

SKI = """Coût du séjour : 21 280.00€
Autofinancement : 4 500€
Participation des familles : 6 000€
CAF : 6 700€
Ville : 4 080€"""

CITY_CONTRACT = """Contrat de ville :
- Etat : 13 500€
- Région : 13 000€
- Commune : 24 500€
ASP ( Agence de Service et de Paiement) : 27 529 €"""

PARENTING = """Budget 2016 : 62000 € de financements flèchés pour les actions parentalité :
- CAF (ACF) :
- REAAP :
- Mairie de Ganges :
- CD34 :
- FONJEP :
- ANCV"""

HOLIDAYS = """- Convention d'objectifs et de financement avec la CAF de l'Yonne :
150 € par départ familles
en 2018 : 10 projets familles soit 1500 €
-enveloppe dédiée au projet par le CCAS
au total 1 000 € attribué en fonction des demandes argumentée des travailleurs sociaux"""


def funded(text):
    return [(line.funder, line.amount) for line in extract_funding(text).lines]


class TestFundingLines:
    def test_barcelona_gives_six_lines_summing_to_17601_without_a_budget(self):
        result = extract_funding(BARCELONA, first_line=328)
        assert funded(BARCELONA) == [
            ("Caf", Decimal("3000")),
            ("Bons FCSF", Decimal("3980")),
            ("Autofinancement", Decimal("6245")),
            ("Participation des familles", Decimal("2490")),
            ("Conseil départemental", Decimal("1400")),
            ("Participation du centre social", Decimal("486")),
        ]
        assert sum(line.amount for line in result.lines) == Decimal("17601")
        assert [line.line for line in result.lines] == list(range(328, 334))
        assert result.total_budget is None

    def test_a_cost_line_is_the_budget_and_the_other_lines_fund_it(self):
        result = extract_funding(SKI)
        assert result.total_budget == Decimal("21280.00")
        assert funded(SKI) == [
            ("Autofinancement", Decimal("4500")),
            ("Participation des familles", Decimal("6000")),
            ("Caf", Decimal("6700")),
            ("Commune", Decimal("4080")),
        ]
        assert sum(line.amount for line in result.lines) == result.total_budget

    def test_a_heading_without_amount_becomes_the_note_of_the_lines_it_introduces(self):
        result = extract_funding(CITY_CONTRACT)
        assert [(x.funder, x.kind, x.amount, x.note) for x in result.lines] == [
            ("État", PartnerKind.ETAT, Decimal("13500"), "Contrat de ville"),
            ("Région", PartnerKind.REGION, Decimal("13000"), "Contrat de ville"),
            ("Commune", PartnerKind.COMMUNE, Decimal("24500"), "Contrat de ville"),
            ("ASP (Agence de Service et de Paiement)", PartnerKind.OTHER, Decimal("27529"), ""),
        ]
        assert result.partners == []

    def test_funders_listed_without_amount_are_financial_partners_and_the_budget_is_kept(self):
        result = extract_funding(PARENTING)
        assert result.lines == []
        assert result.total_budget == Decimal("62000")
        assert result.budget_year == 2016
        assert [(p.name, p.kind) for p in result.partners] == [
            ("Caf", PartnerKind.CAF),
            ("REAAP", PartnerKind.OTHER),
            ("Mairie de Ganges", PartnerKind.COMMUNE),
            ("CD34", PartnerKind.DEPARTEMENT),
            ("FONJEP", PartnerKind.OTHER),
            ("ANCV", PartnerKind.OTHER),
        ]

    def test_sentences_with_figures_are_not_funding_lines(self):
        result = extract_funding(HOLIDAYS)
        assert result.lines == []
        assert result.total_budget is None
        assert [(p.name, p.note) for p in result.partners] == [
            ("Caf", "Convention d'objectifs et de financement avec la CAF de l'Yonne")
        ]

    @pytest.mark.parametrize(
        ("line", "amount"),
        [
            ("CAF : 6 700€", "6700"),
            ("CAF : 6\u00a0700 €", "6700"),
            ("CAF : 6\u202f700 euros", "6700"),
            ("CAF : 6.700", "6700"),
            ("CAF : 6 700,50 €", "6700.50"),
            ("CAF : 21 280.00€", "21280"),
            ("CAF : 1.234.567,8 euros", "1234567.80"),
            ("CAF : 3000", "3000"),
            ("CAF : 12,5 k€", "12500"),
            ("- CAF = 450 EUR", "450"),
        ],
    )
    def test_amount_spellings(self, line, amount):
        assert funded(line) == [("Caf", Decimal(amount))]

    @pytest.mark.parametrize(
        "text",
        [
            "en 2018 : 10 projets familles soit 1500 €",
            "- logistique camping : marabout, banc, tables, cuisine.",
            "Ressources mobilisées :\n- 2 salariés la semaine + 1 conducteur",
            "CAF : 150 € par famille",
            "Les aides CAF (VACAF AVS/AVF), ANCV et MSA sont attribuées aux participants.",
            "- Un budget pour l'achat de fournitures pédagogiques",
            "Cf Pièce jointe N°1",
        ],
    )
    def test_lines_that_state_no_funding(self, text):
        result = extract_funding(text)
        assert (result.lines, result.partners, result.total_budget) == ([], [], None)

    def test_an_amount_too_large_to_store_is_ignored_and_reported(self):
        result = extract_funding("CAF : 99999999999999 €")
        assert result.lines == []
        assert result.notices == [(1, "montant illisible ou trop grand, ignoré")]


class TestAmountStyles:
    @pytest.mark.parametrize(
        "text",
        ["CAF : 1,200.50 €", "CAF : 1.200,50 €", "CAF : 1 200,50 €", "CAF : 1\u202f200,50 €"],
        ids=["english", "french-dots", "french-spaces", "narrow-no-break-space"],
    )
    def test_thousands_and_cents_in_every_style_are_the_same_amount(self, text):
        assert funded(text) == [("Caf", Decimal("1200.50"))]

    @pytest.mark.parametrize(
        ("text", "amount"),
        [
            ("Commune : 12,000 €", "12000"),
            ("Commune : 2,000,000 euros", "2000000"),
            ("Commune : 1,20 €", "1.20"),
            ("Commune : 12.5 €", "12.50"),
        ],
    )
    def test_a_comma_before_three_digits_groups_thousands_before_two_it_gives_cents(
        self, text, amount
    ):
        assert funded(text) == [("Commune", Decimal(amount))]

    def test_an_english_budget_and_an_english_bare_amount_are_the_total_budget(self):
        assert extract_funding("Budget : 2,500.00 euros").total_budget == Decimal("2500")
        assert extract_funding("12,500.75 €").total_budget == Decimal("12500.75")

    @pytest.mark.parametrize(
        ("text", "notice"),
        [
            ("CAF : 1,200,50 €", "montant illisible ou trop grand, ignoré"),
            ("CAF : 1.200.50 €", "montant illisible ou trop grand, ignoré"),
            ("CAF : 1,2345 €", "montant illisible, ignoré : « 1,2345 € »"),
            ("CAF : 3 000 € puis 1,2345 €", "montant illisible, ignoré : « 1,2345 € »"),
        ],
    )
    def test_a_figure_read_neither_way_is_reported_not_dropped_silently(self, text, notice):
        result = extract_funding(text, first_line=7)
        assert (result.lines, result.total_budget) == ([], None)
        assert result.notices == [(7, notice)]

    @pytest.mark.parametrize(
        "text", ["150 € par départ", "en 2018, 1 500 € par an", "12,50 € par personne"]
    )
    def test_rates_and_phrases_with_readable_figures_are_not_reported(self, text):
        assert extract_funding(text).notices == []


class TestTotalBudget:
    @pytest.mark.parametrize(
        ("text", "budget"),
        [
            ("12000 €", "12000"),
            ("35 000", "35000"),
            ("1000 euros", "1000"),
            ("24800 hors salaires", "24800"),
            (
                "7500 €\nLe centre social a été subventionné par la Conférence des financeurs.",
                "7500",
            ),
            ("- Environ 15 000 euros dont 11 330 de subvention directe.", "15000"),
            ("Budget 2016 : 62000 €", "62000"),
            ("Coût total : 8 000 €\nCAF : 5 000 €", "8000"),
        ],
    )
    def test_a_cost_line_or_a_lone_bare_amount_is_the_total_budget(self, text, budget):
        assert extract_funding(text).total_budget == Decimal(budget)

    def test_no_funder_is_invented_for_a_budget(self):
        assert extract_funding("Budget 2016 : 62000 €").lines == []
        assert extract_funding("12000 €").partners == []

    @pytest.mark.parametrize(
        "text",
        ["12000 €\n3000 €", "12000 €\nCAF : 3000 €", "150 € par départ familles", ""],
    )
    def test_no_budget_when_bare_amounts_are_not_the_only_figure(self, text):
        assert extract_funding(text).total_budget is None


class TestPartnerIdentity:
    @pytest.mark.parametrize(
        ("label", "name", "kind"),
        [
            ("CAF", "Caf", PartnerKind.CAF),
            ("Caf", "Caf", PartnerKind.CAF),
            ("la CAF", "Caf", PartnerKind.CAF),
            ("CAF (ACF)", "Caf", PartnerKind.CAF),
            ("Caisse d'Allocations Familiales", "Caf", PartnerKind.CAF),
            ("Aide aux séjours Caf", "Caf", PartnerKind.CAF),
            ("Etat", "État", PartnerKind.ETAT),
            ("État", "État", PartnerKind.ETAT),
            ("DDCS", "DDCS", PartnerKind.ETAT),
            ("Politique de la ville", "Politique de la ville", PartnerKind.ETAT),
            ("Région", "Région", PartnerKind.REGION),
            ("Conseil régional", "Région", PartnerKind.REGION),
            ("Région Occitanie", "Région Occitanie", PartnerKind.REGION),
            ("Département", "Conseil départemental", PartnerKind.DEPARTEMENT),
            ("Aide du Conseil départemental", "Conseil départemental", PartnerKind.DEPARTEMENT),
            ("CD34", "CD34", PartnerKind.DEPARTEMENT),
            ("Ville", "Commune", PartnerKind.COMMUNE),
            ("Commune", "Commune", PartnerKind.COMMUNE),
            ("Mairie", "Commune", PartnerKind.COMMUNE),
            ("Mairie de Ganges", "Mairie de Ganges", PartnerKind.COMMUNE),
            ("Association Vacances et Familles", "Association Vacances et Familles", "association"),
            ("Fondation de France", "Fondation de France", PartnerKind.COMPANY),
            ("ANCV", "ANCV", PartnerKind.OTHER),
            ("participation des familles", "Participation des familles", PartnerKind.OTHER),
        ],
    )
    def test_funder_names_and_kinds(self, label, name, kind):
        assert partner_identity(label)[:2] == (name, kind)

    def test_the_words_written_are_kept_as_a_note_when_they_say_more(self):
        assert partner_identity("CAF")[2] == ""
        assert partner_identity("Aide aux séjours Caf")[2] == "Aide aux séjours Caf"
        assert partner_identity("Ville")[2] == "Ville"


class TestPeople:
    @pytest.mark.parametrize(
        ("text", "staff", "volunteers", "participants"),
        [
            ("2 salariés et 3 bénévoles", 2, 3, None),
            ("15 bénévoles et 20 professionnels", 20, 15, None),
            (
                "- Des professionnels : environ 3 salariés\n- Des bénévoles : environ 4 bénévoles",
                3,
                4,
                None,
            ),
            ("3 salariés à temps partiel et 10 bénévoles", 3, 10, None),
            (
                "5 professionnelles (3 référentes familles + deux travailleuses sociales)",
                5,
                None,
                None,
            ),
            (
                "NOMBRE DE PERSONNES BENEFICIAIRES : 13\nNOMBRE DE PERSONNES ENCADRANTES: 3",
                3,
                None,
                13,
            ),
            (
                "Pour le centre A - 3 animateurs et 24 jeunes\nPour le centre B - 2 animateurs",
                5,
                None,
                None,
            ),
            (
                "Une coordinatrice, 3 animatrices jeunesses (2 mi-temps), un bénévole régulier",
                3,
                1,
                None,
            ),
            ("1 professionnel et 15 personnes participants à l'atelier", 1, None, 15),
            ("- 2 médiatrices sociales\n- 3 bénévoles", 2, 3, None),
            ("une dizaine de professionnels", None, None, None),
            ("150", None, None, None),
            ("", None, None, None),
        ],
    )
    def test_counts_stated_in_the_text(self, text, staff, volunteers, participants):
        people = extract_people(text)
        assert (people.staff, people.volunteers, people.participants) == (
            staff,
            volunteers,
            participants,
        )


class TestYear:
    def test_a_budget_year_wins(self):
        assert extract_year(["Action démarrée en 2012"], budget_year=2016) == 2016

    def test_a_single_year_mentioned_is_the_year(self):
        assert extract_year(["Projet qui a eu lieu en décembre 2018", "Le 17/02/2018."]) == 2018

    def test_several_years_leave_it_unknown(self):
        assert extract_year(["Démarré en décembre 2016, voyage en mai 2018"]) is None

    def test_amounts_and_large_numbers_are_not_years(self):
        assert (
            extract_year(["Coût : 2000 €, 2 016 personnes, 2016,50 et 1126 participants"]) is None
        )


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text())
@example("100000000000000000000000000")  # past Decimal's precision: found by hypothesis
@example("Caf : 99999999999999999999999999999 €")
def test_random_text_never_crashes_the_extraction(text):
    funding = extract_funding(text)
    for line in funding.lines:
        assert Decimal(0) <= line.amount <= MAX_AMOUNT
        assert line.funder and len(line.note) <= 255
    if funding.total_budget is not None:
        assert Decimal(0) <= funding.total_budget <= MAX_AMOUNT
    people = extract_people(text)
    assert all(count is None or count >= 0 for count in vars(people).values())
    year = extract_year([text])
    assert year is None or 1950 <= year <= 2099


money_lines = st.lists(
    st.tuples(
        st.sampled_from(["CAF", "Ville", "Etat", "- Région", "Coût", "Autofinancement", ""]),
        st.sampled_from([" : ", ": ", " = ", " "]),
        st.from_regex(r"\A[0-9]{1,9}([ .][0-9]{3})?([.,][0-9]{2})?\Z"),
        st.sampled_from(["€", " €", " euros", "", " par mois"]),
    ).map("".join),
    max_size=12,
).map("\n".join)


@hypothesis_settings(max_examples=200, deadline=None)
@given(money_lines)
def test_random_money_lines_give_storable_amounts(text):
    funding = extract_funding(text)
    assert all(Decimal(0) <= line.amount <= MAX_AMOUNT for line in funding.lines)
    assert len(funding.lines) <= text.count("\n") + 1
