"""The public catalogue (/actions/): filters, their combinations, facets, chips, pagination,
sorting and a fixed number of queries, on factory-made sheets."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from actions.enums import PartnerRole
from actions.models import Theme
from federations.models import Department, Region
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    dimension,
    initiative,
    public,
    territory,
    theme,
)
from tests.catalogue.counted import nonzero
from tests.federations.factories import FederationFactory, StructureFactory, department
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("sheets")]

CATALOGUE = reverse("catalogue:action_list")


@shared_data(scope="module")
def sheets():
    """Five published sheets in four départements, and two that are not published: built once
    for the module, whose tests only read them (test_catalogue_sizes.py builds catalogues of
    other sizes)."""
    fd94 = FederationFactory(
        name="Fédération du Val-de-Marne", slug="fd-94", departments=[department("94")]
    )
    fd31 = FederationFactory(name="Fédération de Haute-Garonne", slug="fd-31")
    la_plaine = StructureFactory(
        name="La Plaine", slug="la-plaine", department=department("94"), federation=fd94
    )
    empalot = StructureFactory(
        name="Centre social d'Empalot", slug="empalot", department=department("31"), federation=fd31
    )
    ajaccio = StructureFactory(name="Les Salines", slug="salines", department=department("2A"))
    reunion = StructureFactory(name="Ti Case", slug="ti-case", department=department("974"))
    caf = PartnerFactory(caf=True)
    ancv = PartnerFactory(name="ANCV", slug="ancv")

    barcelone = ActionFactory(
        title="Séjour Autofinancé Barcelone",
        structure=empalot,
        published=True,
        finished=True,
        year=2019,
        dimension=dimension("citoyennete"),
        territory_scale=territory("un-quartier"),
        themes=[theme("vacances-loisirs"), theme("europe-et-international")],
        publics=[public("jeunesse")],
    )
    barcelone.initiatives.set([initiative("un-groupe-dhabitants")])
    FundingFactory(action=barcelone, funder=caf, amount=3000)
    seniors = ActionFactory(
        title="Séjour seniors à la mer",
        structure=la_plaine,
        published=True,
        year=2022,
        dimension=dimension("services"),
        territory_scale=territory("une-commune"),
        themes=[theme("vacances-loisirs"), theme("vieillissement")],
        publics=[public("seniors")],
    )
    seniors.initiatives.set([initiative("le-centre-social")])
    ActionPartnerFactory(action=seniors, partner=ancv, role=PartnerRole.FINANCIAL)
    cafe = ActionFactory(
        title="Café des parents",
        structure=la_plaine,
        published=True,
        year=2023,
        themes=[theme("parentalite")],
        publics=[public("familles")],
    )
    FundingFactory(action=cafe, funder=caf, amount=800)
    FundingFactory(action=cafe, funder=caf, amount=200, year=2024)
    ActionPartnerFactory(action=cafe, partner=caf, role=PartnerRole.FINANCIAL)
    ActionPartnerFactory(action=cafe, partner=ancv, role=PartnerRole.ACTION)
    contes = ActionFactory(
        title="Veillées contes",
        structure=ajaccio,
        published=True,
        year=2021,
        themes=[theme("culture")],
        publics=[public("tous-publics")],
    )
    marmailles = ActionFactory(
        title="Marmailles en fête",
        structure=reunion,
        published=True,
        year=2024,
        themes=[theme("parentalite"), theme("culture")],
        publics=[public("familles"), public("enfance")],
    )
    draft = ActionFactory(
        title="Brouillon vacances", structure=la_plaine, themes=[theme("vacances-loisirs")]
    )
    submitted = ActionFactory(
        title="Soumise vacances",
        structure=la_plaine,
        submitted=True,
        themes=[theme("vacances-loisirs")],
    )
    FundingFactory(action=draft, funder=ancv)
    return SimpleNamespace(**locals())


def titles(response) -> set[str]:
    return {action.title for action in response.context["object_list"]}


def facet(response, name):
    return next(f for f in response.context["filter"].facets if f.name == name)


def counts(response, name) -> dict[str, int]:
    return {option.value: option.count for option in facet(response, name).options}


class TestEachFilter:
    def test_without_filters_every_published_sheet_is_listed_and_only_those(self, client, sheets):
        response = client.get(CATALOGUE)
        assert response.status_code == 200
        assert titles(response) == {
            "Séjour Autofinancé Barcelone",
            "Séjour seniors à la mer",
            "Café des parents",
            "Veillées contes",
            "Marmailles en fête",
        }
        assert "Brouillon vacances" not in response.content.decode()
        assert "Soumise vacances" not in response.content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("theme=vacances-loisirs", {"Séjour Autofinancé Barcelone", "Séjour seniors à la mer"}),
            ("theme=culture", {"Veillées contes", "Marmailles en fête"}),
            ("public=familles", {"Café des parents", "Marmailles en fête"}),
            ("dimension=services", {"Séjour seniors à la mer"}),
            ("initiative=un-groupe-dhabitants", {"Séjour Autofinancé Barcelone"}),
            ("territoire=une-commune", {"Séjour seniors à la mer"}),
            ("status=finished", {"Séjour Autofinancé Barcelone"}),
            ("departement=94", {"Séjour seniors à la mer", "Café des parents"}),
            ("departement=2A", {"Veillées contes"}),
            ("departement=2a", {"Veillées contes"}),
            ("departement=974", {"Marmailles en fête"}),
            ("region=11", {"Séjour seniors à la mer", "Café des parents"}),
            ("region=94", {"Veillées contes"}),
            ("federation=fd-31", {"Séjour Autofinancé Barcelone"}),
            ("structure=la-plaine", {"Séjour seniors à la mer", "Café des parents"}),
            ("funder=caf", {"Séjour Autofinancé Barcelone", "Café des parents"}),
            ("funder=ancv", {"Séjour seniors à la mer"}),
            (
                "year_min=2022",
                {"Séjour seniors à la mer", "Café des parents", "Marmailles en fête"},
            ),
            ("year_max=2019", {"Séjour Autofinancé Barcelone"}),
            ("q=barcelone", {"Séjour Autofinancé Barcelone"}),
        ],
    )
    def test_filter_keeps_the_matching_published_sheets(self, client, sheets, query, expected):
        response = client.get(f"{CATALOGUE}?{query}")
        assert titles(response) == expected

    def test_status_ongoing_leaves_out_finished_sheets(self, client, sheets):
        response = client.get(CATALOGUE, {"status": "ongoing"})
        assert "Séjour Autofinancé Barcelone" not in titles(response)
        assert len(titles(response)) == 4

    def test_a_funder_of_an_unpublished_sheet_only_funds_nothing_public(self, client, sheets):
        sheets.seniors.partner_links.all().delete()
        response = client.get(CATALOGUE, {"funder": "ancv"})
        assert titles(response) == set()

    @pytest.mark.parametrize(
        "query",
        [
            {"theme": "astronomie"},
            {"region": "99"},
            {"region": "xyz"},
            {"departement": "99"},
            {"federation": "inconnue"},
            {"dimension": "inconnue"},
            {"funder": "inconnu"},
            {"status": "eternel"},
            {"year_min": "abc"},
            {"year_max": "99999"},
            {"structure": "inconnue"},
        ],
    )
    def test_a_bad_value_of_any_filter_is_ignored_and_the_page_says_so(self, client, sheets, query):
        """One rule for every facet and range: an unknown theme does not empty the catalogue
        any more than an unknown région does."""
        response = client.get(CATALOGUE, query)
        assert response.status_code == 200
        assert len(titles(response)) == 5
        ((name, value),) = query.items()
        assert [(i.name, i.value) for i in response.context["filter"].ignored] == [(name, value)]
        assert "Filtre ignoré : " in response.content.decode()
        assert f"« {value} »" in response.content.decode()

    def test_the_notice_names_the_facet_and_the_value(self, client, sheets):
        response = client.get(CATALOGUE, {"theme": "xyz"})
        assert (
            str(response.context["filter"].ignored[0])
            == "Filtre ignoré : Thèmes « xyz » : valeur inconnue"
        )

    def test_malformed_values_are_ignored_and_the_rest_still_applies(self, client, sheets):
        response = client.get(CATALOGUE, {"year_min": "deux mille", "departement": ["94", "x!"]})
        assert response.status_code == 200
        assert titles(response) == {"Séjour seniors à la mer", "Café des parents"}
        ignored = [(i.name, i.value) for i in response.context["filter"].ignored]
        assert ignored == [("departement", "x!"), ("year_min", "deux mille")]

    def test_an_unknown_value_beside_a_known_one_leaves_the_known_one_applied(self, client, sheets):
        response = client.get(CATALOGUE, {"theme": ["culture", "astronomie"]})
        assert titles(response) == {"Veillées contes", "Marmailles en fête"}
        assert [i.value for i in response.context["filter"].ignored] == ["astronomie"]


class TestCombinations:
    def test_several_themes_are_alternatives(self, client, sheets):
        response = client.get(f"{CATALOGUE}?theme=vieillissement&theme=culture")
        assert titles(response) == {
            "Séjour seniors à la mer",
            "Veillées contes",
            "Marmailles en fête",
        }

    def test_several_departements_are_alternatives(self, client, sheets):
        response = client.get(f"{CATALOGUE}?departement=2A&departement=974")
        assert titles(response) == {"Veillées contes", "Marmailles en fête"}

    def test_several_publics_are_alternatives(self, client, sheets):
        response = client.get(f"{CATALOGUE}?public=seniors&public=jeunesse")
        assert titles(response) == {"Séjour Autofinancé Barcelone", "Séjour seniors à la mer"}

    def test_different_filters_all_apply(self, client, sheets):
        response = client.get(f"{CATALOGUE}?theme=vacances-loisirs&departement=94")
        assert titles(response) == {"Séjour seniors à la mer"}

    def test_search_theme_departement_and_years_combine(self, client, sheets):
        response = client.get(
            f"{CATALOGUE}?q=séjour&theme=vacances-loisirs&departement=31&year_min=2018&year_max=2020"
        )
        assert titles(response) == {"Séjour Autofinancé Barcelone"}

    def test_funder_and_public_combine(self, client, sheets):
        response = client.get(f"{CATALOGUE}?funder=caf&public=familles")
        assert titles(response) == {"Café des parents"}

    def test_a_sheet_matching_several_themes_is_listed_once(self, client, sheets):
        response = client.get(f"{CATALOGUE}?theme=parentalite&theme=culture")
        listed = [action.title for action in response.context["object_list"]]
        assert sorted(listed) == ["Café des parents", "Marmailles en fête", "Veillées contes"]

    def test_a_combination_without_result_shows_the_empty_state(self, client, sheets):
        response = client.get(f"{CATALOGUE}?theme=vieillissement&departement=974")
        assert titles(response) == set()
        assert "Aucune action ne correspond à ces critères." in response.content.decode()
        assert "0 action" in response.content.decode()


class TestFacets:
    def test_theme_counts_cover_the_published_sheets_only(self, client, sheets):
        response = client.get(CATALOGUE)
        theme_counts = counts(response, "theme")
        assert theme_counts["vacances-loisirs"] == 2
        assert theme_counts["parentalite"] == 2
        assert theme_counts["culture"] == 2
        assert theme_counts["sante"] == 0  # no published sheet: listed, giving nothing

    def test_counts_follow_the_other_filters(self, client, sheets):
        response = client.get(CATALOGUE, {"departement": "94"})
        assert nonzero(counts(response, "theme")) == {
            "parentalite": 1,
            "vacances-loisirs": 1,
            "vieillissement": 1,
        }
        assert counts(response, "public")["seniors"] == 1
        assert counts(response, "public")["jeunesse"] == 0
        assert counts(response, "status") == {"ongoing": 2, "finished": 0}

    def test_a_facet_ignores_its_own_filter_so_alternatives_keep_their_counts(self, client, sheets):
        response = client.get(CATALOGUE, {"departement": "94"})
        departements = counts(response, "departement")
        assert nonzero(departements) == {"94": 1 + 1, "31": 1, "2A": 1, "974": 1}
        selected = [option.value for option in facet(response, "departement").selected]
        assert selected == ["94"]

    def test_options_without_result_are_listed_greyed_and_still_choosable(self, client, sheets):
        response = client.get(CATALOGUE, {"departement": "94"})
        jeunesse = next(o for o in facet(response, "public").options if o.value == "jeunesse")
        assert jeunesse.empty
        html = response.content.decode()
        assert (
            '<label class="facet-option facet-empty"><input class="form-check-input" '
            'type="checkbox" name="public" value="jeunesse">'
        ) in html
        assert "disabled" not in html

    def test_every_departement_is_listed_with_or_without_sheets(self, client, sheets):
        response = client.get(CATALOGUE)
        assert len(counts(response, "departement")) == Department.objects.count() > 100
        assert len(counts(response, "region")) == Region.objects.count()
        assert counts(response, "theme").keys() == set(Theme.objects.values_list("slug", flat=True))

    def test_a_selected_option_without_result_stays_checked_so_it_can_be_unchecked(
        self, client, sheets
    ):
        response = client.get(CATALOGUE, {"theme": "sante", "departement": "94"})
        sante = next(o for o in facet(response, "theme").options if o.value == "sante")
        assert sante.selected and sante.count == 1 - 1
        assert not sante.empty

    def test_region_federation_and_funder_facets_count_sheets(self, client, sheets):
        response = client.get(CATALOGUE)
        assert nonzero(counts(response, "region")) == {"11": 2, "76": 1, "94": 1, "04": 1}
        assert nonzero(counts(response, "federation")) == {"fd-94": 2, "fd-31": 1}
        # The Caf funds the café twice (two lines) and as financial partner: counted once.
        assert counts(response, "funder") == {"caf": 2, "ancv": 1}

    def test_vocabulary_facets_count_sheets(self, client, sheets):
        response = client.get(CATALOGUE)
        assert counts(response, "dimension")["services"] == 1
        assert counts(response, "initiative")["le-centre-social"] == 1
        assert counts(response, "territoire")["un-quartier"] == 1

    def test_facet_counts_follow_the_search(self, client, sheets):
        response = client.get(CATALOGUE, {"q": "séjour"})
        assert nonzero(counts(response, "theme")) == {
            "vacances-loisirs": 2,
            "vieillissement": 1,
            "europe-et-international": 1,
        }

    def test_each_option_is_a_labelled_control(self, client, sheets):
        response = client.get(CATALOGUE)
        html = response.content.decode()
        assert (
            '<label class="facet-option"><input class="form-check-input" type="checkbox" '
            'name="theme" value="culture"><span>Culture</span>'
        ) in html
        assert '<label class="form-label fw-semibold" for="filtre-region">Région</label>' in html


class TestChipsAndCount:
    def test_active_filters_appear_as_chips_that_remove_only_themselves(self, client, sheets):
        response = client.get(f"{CATALOGUE}?theme=vacances-loisirs&theme=culture&departement=94")
        chips = {
            (chip.label, chip.value): chip.remove_url for chip in response.context["filter"].chips
        }
        assert chips[("Thèmes", "Vacances / loisirs")] == "?theme=culture&departement=94"
        assert chips[("Départements", "Val-de-Marne (94)")] == (
            "?theme=vacances-loisirs&theme=culture"
        )
        assert 'href="/actions/">Tout effacer</a>' in response.content.decode()

    def test_search_structure_and_years_have_chips_too(self, client, sheets):
        response = client.get(
            CATALOGUE, {"q": "séjour", "structure": "la-plaine", "year_min": "2020", "page": "1"}
        )
        chips = {chip.label: chip for chip in response.context["filter"].chips}
        assert chips["Recherche"].value == "« séjour »"
        assert chips["Structure"].value == "La Plaine"
        assert chips["Depuis l'année"].value == "2020"
        assert "page" not in chips["Structure"].remove_url
        assert chips["Recherche"].remove_url == "?structure=la-plaine&year_min=2020"

    def test_removing_the_last_filter_goes_back_to_the_whole_catalogue(self, client, sheets):
        response = client.get(CATALOGUE, {"theme": "culture"})
        assert response.context["filter"].chips[0].remove_url == "?"

    def test_no_chip_and_no_clear_all_without_filters(self, client, sheets):
        response = client.get(CATALOGUE)
        assert response.context["filter"].chips == []
        assert "Tout effacer" not in response.content.decode()

    def test_result_count_is_always_shown(self, client, sheets):
        assert "5 actions" in client.get(CATALOGUE).content.decode()
        assert "1 action<" in client.get(CATALOGUE, {"theme": "vieillissement"}).content.decode()


class TestPaginationAndSort:
    def test_a_page_beyond_the_last_is_not_found(self, client, sheets):
        assert client.get(CATALOGUE, {"page": 9}).status_code == 404

    def test_newest_first_by_default(self, client, sheets):
        listed = [a.title for a in client.get(CATALOGUE).context["object_list"]]
        assert listed[0] == "Marmailles en fête"  # created last, so published last

    def test_sort_by_title_ignores_accents_and_case(self, client, sheets):
        ActionFactory(title="écrire ensemble", structure=sheets.reunion, published=True)
        listed = [a.title for a in client.get(CATALOGUE, {"sort": "title"}).context["object_list"]]
        assert listed == [
            "Café des parents",
            "écrire ensemble",
            "Marmailles en fête",
            "Séjour Autofinancé Barcelone",
            "Séjour seniors à la mer",
            "Veillées contes",
        ]

    def test_sort_by_departement_follows_insee_codes(self, client, sheets):
        listed = client.get(CATALOGUE, {"sort": "departement"}).context["object_list"]
        assert [a.structure.department.code for a in listed] == ["2A", "31", "94", "94", "974"]

    def test_relevance_is_offered_only_when_searching(self, client, sheets):
        plain = client.get(CATALOGUE).content.decode()
        assert 'value="relevance"' not in plain
        searching = client.get(CATALOGUE, {"q": "séjour"}).content.decode()
        assert '<option value="relevance" selected>' in searching

    def test_relevance_puts_title_matches_before_other_sections(self, client, sheets):
        ActionFactory(
            title="Atelier vélo",
            structure=sheets.reunion,
            published=True,
            summary="Préparer un séjour à vélo.",
        )
        listed = [a.title for a in client.get(CATALOGUE, {"q": "séjour"}).context["object_list"]]
        assert listed[-1] == "Atelier vélo"
        assert set(listed[:2]) == {"Séjour Autofinancé Barcelone", "Séjour seniors à la mer"}


class TestPageStructure:
    def test_page_is_french_accessible_and_titled(self, client, sheets):
        response = client.get(CATALOGUE, {"q": "séjour"})
        html = response.content.decode()
        assert "<title>« séjour » · Catalogue des actions · Fiches action</title>" in html
        assert 'class="visually-hidden-focusable skip-link" href="#contenu"' in html
        assert '<main id="contenu"' in html
        assert 'for="id_q" class="form-label">' in html
        assert 'id="id_q"' in html
        assert 'role="search"' in html
        assert html.index("<h1") < html.index("<h2")

    def test_download_links_keep_the_filters(self, client, sheets):
        html = client.get(CATALOGUE, {"theme": "culture", "page": 1}).content.decode()
        assert 'href="/actions/export.csv?theme=culture"' in html
        assert 'href="/actions/export-excel.csv?theme=culture"' in html
        assert 'href="/actions/export.xlsx?theme=culture"' in html

    def test_filter_form_posts_nothing_and_stays_in_the_query_string(self, client, sheets):
        html = client.get(CATALOGUE).content.decode()
        assert '<form method="get" action="/actions/" id="filtres"' in html
