"""The structure directory (/structures/): every structure, searched by name and commune,
filtered by facets that count structures, in French alphabetical order, 30 a page."""

import itertools
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.importer.directory_loader import import_structures
from actions.importer.loader import Source
from catalogue.views import STRUCTURES_PER_PAGE
from federations.enums import StructureKind
from federations.models import Structure
from tests.actions.factories import ActionFactory, without_history
from tests.catalogue.counted import nonzero
from tests.federations.factories import FederationFactory, StructureFactory, department
from tests.shared import shared_data

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("catalogue:structure_list")


@shared_data(scope="class")
def directory():
    """Five structures, three sheets published: built once for each class whose tests only
    read them."""
    fd94 = FederationFactory(name="Fédération du Val-de-Marne", slug="fd-94")
    elan = StructureFactory(
        name="Élan",
        commune="Créteil",
        department=department("94"),
        federation=fd94,
        management_mode="Associatif",
        in_priority_area=True,
    )
    eau = StructureFactory(
        name="eau vive",
        kind=StructureKind.EVS,
        commune="Vitry-sur-Seine",
        department=department("94"),
        federation=fd94,
        management_mode="Collectivité locale",
        in_priority_area=False,
    )
    etoile = StructureFactory(
        name="Étoile du Sud",
        kind=StructureKind.EVS,
        commune="Marseille",
        department=department("13"),
        management_mode="Associatif",
        in_priority_area=True,
    )
    ferme = StructureFactory(
        name="Ferme de Créteil",
        commune="Bonneuil-sur-Marne",
        department=department("94"),
        federation=fd94,
    )
    adesir = StructureFactory(
        name="ADESIR", commune="Ajaccio", department=department("2A"), management_mode=""
    )
    ActionFactory.create_batch(2, structure=elan, published=True)
    ActionFactory(structure=adesir, published=True)
    ActionFactory(structure=ferme)  # a draft: not counted
    return {"elan": elan, "eau": eau, "etoile": etoile, "ferme": ferme, "adesir": adesir}


def names(response) -> list[str]:
    return [structure.name for structure in response.context["object_list"]]


def counts(response, name) -> dict[str, int]:
    facet = next(f for f in response.context["filter"].facets if f.name == name)
    return {option.value: option.count for option in facet.options}


class TestListing:
    def test_every_structure_is_listed_in_french_order_with_its_published_sheets(
        self, client, directory
    ):
        response = client.get(DIRECTORY)
        assert response.status_code == 200
        assert names(response) == [
            "ADESIR",
            "eau vive",
            "Élan",
            "Étoile du Sud",
            "Ferme de Créteil",
        ]
        published = {s.name: s.action_count for s in response.context["object_list"]}
        assert published == {
            "ADESIR": 1,
            "eau vive": 0,
            "Élan": 2,
            "Étoile du Sud": 0,
            "Ferme de Créteil": 0,  # its draft is not counted
        }
        assert response.context["paginator"].count == 5

    def test_each_structure_links_to_its_page_with_its_kind_commune_and_federation(
        self, client, directory
    ):
        html = client.get(DIRECTORY).content.decode()
        assert f'<a href="/structures/{directory["eau"].slug}/">eau vive</a>' in html
        assert "Espace de vie sociale · Vitry-sur-Seine · Val-de-Marne (94)" in html
        assert "Fédération du Val-de-Marne" in html
        assert "2 actions publiées" in html
        assert '<h2 class="h4 mb-2" id="titre-resultats" aria-live="polite">5 structures' in html
        assert "<title>Annuaire des structures · Fiches action</title>" in html

    def test_without_any_match_the_empty_state_says_so(self, client, directory):
        html = client.get(DIRECTORY, {"q": "introuvable"}).content.decode()
        assert "Aucune structure ne correspond à ces critères." in html
        assert f'href="{DIRECTORY}">Voir toutes les structures</a>' in html


class TestPagesAndLinks:
    """Without the shared directory: these tests build their own structures, or none."""

    def test_thirty_a_page_and_the_pages_keep_the_filters(self, client):
        StructureFactory.create_batch(STRUCTURES_PER_PAGE + 5, department=department("59"))
        first = client.get(DIRECTORY, {"departement": "59"})
        assert len(first.context["object_list"]) == STRUCTURES_PER_PAGE
        assert 'href="?departement=59&amp;page=2"' in first.content.decode()
        second = client.get(DIRECTORY, {"departement": "59", "page": "2"})
        assert len(second.context["object_list"]) == 5
        assert not set(names(first)) & set(names(second))
        assert client.get(DIRECTORY, {"page": "9"}).status_code == 404

    def test_the_header_and_the_home_page_link_to_the_directory(self, client):
        home = client.get(reverse("catalogue:home")).content.decode()
        assert f'href="{DIRECTORY}">Structures</a>' in home
        assert f'<a href="{DIRECTORY}">Toutes les structures de l’annuaire' in home
        listing = client.get(DIRECTORY).content.decode()
        assert f'href="{DIRECTORY}" aria-current="page">Structures</a>' in listing


class TestSearch:
    @pytest.mark.parametrize("text", ["elan", "ÉLAN", "Élan", "élan"])
    def test_a_name_is_found_whatever_its_case_and_accents(self, client, directory, text):
        assert names(client.get(DIRECTORY, {"q": text})) == ["Élan"]

    @pytest.mark.parametrize("text", ["creteil", "CRÉTEIL", "Créteil"])
    def test_names_and_communes_are_both_searched(self, client, directory, text):
        # Élan is in Créteil; the Ferme de Créteil is not, but has it in its name.
        assert names(client.get(DIRECTORY, {"q": text})) == ["Élan", "Ferme de Créteil"]

    def test_every_word_must_match_the_name_or_the_commune(self, client, directory):
        assert names(client.get(DIRECTORY, {"q": "ferme bonneuil"})) == ["Ferme de Créteil"]
        assert names(client.get(DIRECTORY, {"q": "ferme marseille"})) == []

    def test_a_search_without_words_finds_nothing_without_error(self, client, directory):
        response = client.get(DIRECTORY, {"q": "«»!?"})
        assert response.status_code == 200
        assert names(response) == []

    def test_the_search_is_a_chip_and_the_facets_count_within_it(self, client, directory):
        response = client.get(DIRECTORY, {"q": "creteil"})
        assert nonzero(counts(response, "departement")) == {"94": 2}
        chips = [
            (chip.label, chip.value, chip.remove_url) for chip in response.context["filter"].chips
        ]
        assert chips == [("Recherche", "« creteil »", "?")]
        assert f'<a class="btn btn-sm btn-link" href="{DIRECTORY}">Tout effacer</a>' in (
            response.content.decode()
        )


class TestFacets:
    def test_each_facet_counts_structures_with_or_without_sheets(self, client, directory):
        response = client.get(DIRECTORY)
        assert counts(response, "type") == {"centre_social": 3, "evs": 2, "other": 0}
        assert nonzero(counts(response, "departement")) == {"13": 1, "2A": 1, "94": 3}
        assert nonzero(counts(response, "region")) == {"93": 1, "94": 1, "11": 3}
        assert nonzero(counts(response, "federation")) == {"fd-94": 3}
        assert counts(response, "qpv") == {"1": 2, "0": 1}  # unknown for two of them
        assert counts(response, "gestion") == {"Associatif": 2, "Collectivité locale": 1}

    def test_the_sidebar_counts_structures_for_screen_readers(self, client, directory):
        html = client.get(DIRECTORY).content.decode()
        assert '<legend class="fs-6 fw-semibold">Type de structure</legend>' in html
        assert '3<span class="visually-hidden"> structures</span>' in html
        assert '1<span class="visually-hidden"> structure</span>' in html
        assert '<option value="Associatif">Associatif (2)</option>' in html

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"type": "evs"}, ["eau vive", "Étoile du Sud"]),
            (
                {"type": ["evs", "centre_social"]},
                ["ADESIR", "eau vive", "Élan", "Étoile du Sud", "Ferme de Créteil"],
            ),
            ({"departement": ["13", "2a"]}, ["ADESIR", "Étoile du Sud"]),
            ({"region": "93"}, ["Étoile du Sud"]),
            ({"federation": "fd-94"}, ["eau vive", "Élan", "Ferme de Créteil"]),
            ({"qpv": "1"}, ["Élan", "Étoile du Sud"]),
            ({"qpv": "0"}, ["eau vive"]),
            ({"gestion": "Collectivité locale"}, ["eau vive"]),
            ({"gestion": "Associatif", "departement": "94"}, ["Élan"]),
        ],
    )
    def test_each_filter_keeps_the_matching_structures(self, client, directory, query, expected):
        assert names(client.get(DIRECTORY, query)) == expected

    def test_a_facet_ignores_its_own_filter_and_the_others_follow_it(self, client, directory):
        response = client.get(DIRECTORY, {"type": "evs"})
        assert counts(response, "type") == {"centre_social": 3, "evs": 2, "other": 0}
        assert nonzero(counts(response, "departement")) == {"13": 1, "94": 1}
        assert counts(response, "qpv") == {"1": 1, "0": 1}
        assert counts(response, "gestion") == {"Associatif": 1, "Collectivité locale": 1}

    def test_a_chosen_value_is_a_chip_that_removes_only_itself(self, client, directory):
        response = client.get(DIRECTORY, {"qpv": "1", "gestion": "Associatif"})
        chips = {(c.label, c.value): c.remove_url for c in response.context["filter"].chips}
        assert chips == {
            ("Quartier prioritaire (QPV)", "En quartier prioritaire"): "?gestion=Associatif",
            ("Mode de gestion", "Associatif"): "?qpv=1",
        }

    @pytest.mark.parametrize(
        "query",
        [
            {"type": "archipel"},
            {"qpv": "peut-être"},
            {"gestion": "x" * 500},
            {"departement": "<script>"},
            {"federation": "../admin"},
        ],
    )
    def test_a_malformed_value_is_ignored(self, client, directory, query):
        response = client.get(DIRECTORY, query)
        assert response.status_code == 200
        assert response.context["paginator"].count == 5

    def test_an_unknown_management_mode_is_ignored_and_the_page_says_so(self, client, directory):
        response = client.get(DIRECTORY, {"gestion": "Régie CAF"})
        assert response.context["paginator"].count == 5
        assert counts(response, "gestion") == {"Associatif": 2, "Collectivité locale": 1}
        assert "Filtre ignoré : Mode de gestion « Régie CAF » : valeur inconnue" in (
            response.content.decode()
        )


@without_history()  # the directory does not show it
def _build_structures(count: int, federations) -> None:
    places = itertools.cycle(["94", "13", "2A", "59", "971"])
    modes = itertools.cycle(["Associatif", "Collectivité locale", "CAF", ""])
    flags = itertools.cycle([True, False, None])
    kinds = itertools.cycle([StructureKind.CENTRE_SOCIAL, StructureKind.EVS])
    for federation in itertools.islice(itertools.cycle(federations), count):
        structure = StructureFactory(
            department=department(next(places)),
            federation=federation,
            kind=next(kinds),
            management_mode=next(modes),
            in_priority_area=next(flags),
        )
        ActionFactory(structure=structure, published=True)


QUERIES = [
    {},
    {"q": "centre", "type": "evs"},
    {"departement": ["94", "2A"], "region": "11", "qpv": "1", "page": "1"},
    {"federation": "fd-a", "gestion": "Associatif"},
]


def test_the_directory_costs_the_same_queries_for_5_and_60_structures(
    client, django_assert_max_num_queries
):
    federations = [
        FederationFactory(slug="fd-a"),
        FederationFactory(slug="fd-b"),
        None,
    ]
    _build_structures(5, federations)

    def queries(query) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DIRECTORY, query).status_code == 200
        return len(captured)

    few = [queries(query) for query in QUERIES]
    _build_structures(55, federations)
    FederationFactory.create_batch(3)
    many = [queries(query) for query in QUERIES]
    assert many == few
    for query in QUERIES:
        with django_assert_max_num_queries(8):
            client.get(DIRECTORY, query)


CSX = Path(settings.BASE_DIR) / "fixtures" / "senacs" / "structure_csx_page22_asc.txt"


def card_of(html: str) -> dict[str, str]:
    """{label: text} of the identity card's lines, tags removed, spaces (no-break ones too)
    made single."""
    card = html[html.index('id="titre-fiche-structure"') :]
    card = card[: card.index("</aside>")]
    pairs = re.findall(
        r'<dt class="col-5">(.*?)</dt>\s*<dd class="col-7[^"]*">(.*?)</dd>', card, re.S
    )
    return {
        unescape(label): " ".join(unescape(re.sub(r"<[^>]+>", " ", value)).split())
        for label, value in pairs
    }


class TestStructurePage:
    @pytest.fixture
    def vaise(self):
        FederationFactory(name="Fédération du Rhône", slug="fd-69", departments=[department("69")])
        import_structures(sources=[Source("annuaire.txt", CSX.read_text("utf-8"))])
        return Structure.objects.get()

    def test_the_identity_card_shows_every_field_of_the_directory(self, client, vaise):
        html = client.get(vaise.get_absolute_url()).content.decode()
        assert card_of(html) == {
            "Type": "Centre social",
            "Adresse": "9 rue Roquette 69009 Lyon 9e Arrondissement",
            "Département": "Rhône (69)",
            "Région": "Auvergne-Rhône-Alpes",
            "Courriel de contact": "accueil@csvaise.fr",
            "Site web": "http://www.csvaise.fr",
            "SIRET": "779 932 946 00048",
            "Date du premier agrément": "24 novembre 2024",
            "Population de la zone de compétence": "30 000",
            "Mode de gestion": "Associatif",
            "Type de territoire d'intervention": "Un espace à dominante urbaine",
            "Taille du territoire d'intervention": "Plusieurs quartiers",
            "Géographie prioritaire": (
                "Votre structure est située sur un quartier prioritaire de la Politique de la "
                "Ville (QPV)"
            ),
            "En quartier prioritaire de la politique de la ville (QPV)": "Oui",
            "Fédération": "Fédération du Rhône",
            "Adhésion à une fédération": "Fédération des centres sociaux",
            "Structure « gens du voyage »": "Non",
            "Structure multi-sites / éclatée": "Non",
            "Structure itinérante": "Non",
        }
        assert '<a href="mailto:accueil@csvaise.fr">accueil@csvaise.fr</a>' in html
        assert '<a href="/federations/fd-69/">Fédération du Rhône</a>' in html
        assert '<a href="/departements/69/">Rhône (69)</a>' in html

    def test_its_history_and_the_axes_of_its_project_are_shown_in_order(self, client, vaise):
        html = client.get(vaise.get_absolute_url()).content.decode()
        assert "<p>Créé le 1er septembre 1954 sous la dénomination initiale" in html
        axes = re.findall(
            r"<li>(.*?)</li>", html[html.index('id="titre-axes"') :].split("</ol>")[0]
        )
        assert [axis[:30] for axis in axes] == [
            "Développer la mobilisation de ",
            "Harmoniser le développement de",
            "Développer les espaces de part",
        ]

    def test_a_structure_without_directory_card_shows_its_place_only(self, client):
        structure = StructureFactory(commune="", department=department("2A"))
        html = client.get(structure.get_absolute_url()).content.decode()
        assert card_of(html) == {
            "Type": "Centre social",
            "Département": "Corse-du-Sud (2A)",
            "Région": "Corse",
        }
        assert 'id="titre-historique"' not in html
        assert 'id="titre-axes"' not in html
        assert "<h3" not in html[html.index('id="titre-fiche-structure"') : html.index("</aside>")]

    def test_a_flag_the_directory_leaves_unanswered_is_not_shown(self, client):
        structure = StructureFactory(multi_site=True, itinerant=False, for_travellers=None)
        card = card_of(client.get(structure.get_absolute_url()).content.decode())
        assert card["Structure multi-sites / éclatée"] == "Oui"
        assert card["Structure itinérante"] == "Non"
        assert "Structure « gens du voyage »" not in card

    def test_the_page_costs_the_same_queries_with_a_full_card(
        self, client, vaise, django_assert_max_num_queries
    ):
        ActionFactory.create_batch(3, structure=vaise, published=True)
        with django_assert_max_num_queries(6):
            assert client.get(vaise.get_absolute_url()).status_code == 200
