"""French that reads right on the public pages, and the English beside it: counts (French
singular for 0 and 1), "Tous"/"Toutes" by gender, dates ("1er décembre 2026"), names in French
order (on SQLite and on PostgreSQL), and the data marked lang="fr" on English pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from actions.models import Theme
from federations.models import Region
from federations.text import french_sort_key, in_french
from mailing.dates import written_date
from tests.actions.factories import ActionFactory, theme
from tests.federations.factories import FederationFactory, StructureFactory, department
from tests.test_i18n import compiled_translations  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.db_sensitive,
    pytest.mark.usefixtures("compiled_translations"),
]

CATALOGUE = reverse("catalogue:action_list")
FRENCH, ENGLISH = {"accept-language": "fr"}, {"accept-language": "en"}


def html(client, url, headers, **query) -> str:
    return client.get(url, query, headers=headers).content.decode()


class TestCounts:
    @pytest.mark.parametrize(
        ("sheets", "french", "english"),
        [(0, "0 action", "0 actions"), (1, "1 action", "1 action"), (2, "2 actions", "2 actions")],
    )
    def test_the_catalogue_counts_in_each_language(self, client, sheets, french, english):
        for _ in range(sheets):
            ActionFactory(published=True)
        heading = '<h2 class="h4 mb-0" id="titre-resultats" aria-live="polite">{}</h2>'
        assert heading.format(french) in html(client, CATALOGUE, FRENCH)
        assert heading.format(english) in html(client, CATALOGUE, ENGLISH)

    def test_every_theme_without_sheets_reads_0_action_in_french(self, client):
        page = html(client, reverse("catalogue:theme_list"), FRENCH)
        assert page.count(">0 action</span>") == Theme.objects.count()
        assert "0 actions" not in page
        assert html(client, reverse("catalogue:theme_list"), ENGLISH).count(">0 actions<") == (
            Theme.objects.count()
        )

    def test_the_screen_reader_unit_of_an_option_agrees_with_its_count(self, client):
        page = html(client, CATALOGUE, FRENCH)
        assert '0<span class="visually-hidden"> action</span>' in page
        assert '0<span class="visually-hidden"> actions</span>' not in page


class TestAllOptions:
    @pytest.mark.parametrize(
        ("headers", "feminine", "masculine"), [(FRENCH, "Toutes", "Tous"), (ENGLISH, "All", "All")]
    )
    def test_the_all_option_agrees_with_the_gender_of_the_facet(
        self, client, headers, feminine, masculine
    ):
        page = html(client, CATALOGUE, headers)
        for name, label in [
            ("region", feminine),
            ("federation", feminine),
            ("dimension", feminine),
            ("initiative", masculine),
            ("territoire", masculine),
            ("funder", masculine),
        ]:
            assert f'name="{name}">\n    <option value="">{label}</option>' in page, name
        assert f'value="" checked><span>{masculine}</span></label>' in page  # the status


class TestDates:
    @pytest.mark.parametrize(
        ("language", "day", "expected"),
        [
            ("fr", datetime.date(2026, 12, 1), "1er décembre 2026"),
            ("fr", datetime.date(2025, 1, 6), "6 janvier 2025"),
            ("en", datetime.date(2026, 12, 1), "1 December 2026"),
            ("en", datetime.date(2025, 1, 6), "6 January 2025"),
        ],
    )
    def test_a_written_date_is_written_as_each_language_writes_it(self, language, day, expected):
        with translation.override(language):
            assert written_date(day) == expected

    def test_an_aware_datetime_is_dated_in_the_portal_s_time_zone(self):
        late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # Paris: 1 Dec
        with translation.override("fr"):
            assert written_date(late) == "1er décembre 2026"


class TestFrenchOrder:
    NAMES = ["zèbre", "Île-de-France", "Élan", "eau vive", "ferme", "Œuvre", "abeille", "Ilot"]
    EXPECTED = ["abeille", "eau vive", "Élan", "ferme", "Île-de-France", "Ilot", "Œuvre", "zèbre"]

    def test_python_sorts_names_in_french_order(self):
        assert sorted(self.NAMES, key=french_sort_key) == self.EXPECTED

    def test_the_database_sorts_names_as_python_does(self):
        for index, name in enumerate(self.NAMES):
            FederationFactory(name=name, slug=f"f-{index}")
        from federations.models import Federation

        names = list(Federation.objects.order_by(in_french("name")).values_list("name", flat=True))
        assert names == self.EXPECTED

    def test_the_region_facet_lists_ile_de_france_among_the_i(self, client):
        response = client.get(CATALOGUE)
        region = next(f for f in response.context["filter"].facets if f.name == "region")
        labels = [option.label for option in region.options]
        assert labels == sorted(Region.objects.values_list("name", flat=True), key=french_sort_key)
        assert labels.index("Île-de-France") < labels.index("La Réunion")

    def test_the_federations_page_lists_them_in_french_order(self, client):
        for index, name in enumerate(["fédération du Nord", "Fédération de l'Ain", "Élan 94"]):
            FederationFactory(name=name, slug=f"f-{index}")
        page = html(client, reverse("catalogue:federation_list"), FRENCH)
        positions = [page.index(name) for name in ["Élan 94", "Fédération de l&#x27;Ain"]]
        assert positions == sorted(positions)
        assert page.index("Fédération de l&#x27;Ain") < page.index("fédération du Nord")

    def test_the_departements_page_lists_regions_in_french_order(self, client):
        page = html(client, reverse("catalogue:department_list"), FRENCH)
        assert page.index(">Hauts-de-France</h2>") < page.index(">Île-de-France</h2>")
        assert page.index(">Île-de-France</h2>") < page.index(">La Réunion</h2>")


class TestDataInFrench:
    @pytest.fixture
    def sheet(self):
        structure = StructureFactory(department=department("94"))
        return ActionFactory(
            title="Veillées contes", structure=structure, published=True, themes=[theme("culture")]
        )

    def test_english_pages_mark_the_data_as_french(self, client, sheet):
        page = html(client, CATALOGUE, ENGLISH)
        assert '<span lang="fr">Culture</span>' in page
        assert '<h3 class="h5 card-title" lang="fr">' in page
        assert "<legend" in page and ">Départements<" not in page  # the facet's label translated
        sheet_page = html(client, sheet.get_absolute_url(), ENGLISH)
        assert '<h1 id="titre-fiche" lang="fr">Veillées contes</h1>' in sheet_page

    def test_french_pages_need_no_mark(self, client, sheet):
        page = html(client, CATALOGUE, FRENCH)
        page = page.replace('<html lang="fr">', "").replace('selected lang="fr">Français', "")
        assert 'lang="fr"' not in page
