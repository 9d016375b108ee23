"""The structure directory in a real browser: the two directory samples imported, plus a few
structures, searched and filtered through the page, then a structure's identity card."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from actions.importer.directory_loader import import_structures
from actions.importer.loader import Source
from federations.enums import StructureKind
from tests.actions.factories import ActionFactory
from tests.federations.factories import StructureFactory, department

pytestmark = pytest.mark.django_db(transaction=True)

SENACS = Path(settings.BASE_DIR) / "fixtures" / "senacs"


@pytest.fixture
def directory(db):
    import_structures(
        sources=[
            Source(path.name, path.read_text("utf-8"))
            for path in (
                SENACS / "structure_csx_page22_asc.txt",
                SENACS / "structure_evs_page42.txt",
            )
        ]
    )
    # Communes given, not the factory's random ones: one could contain a searched word.
    for name, commune, code in [
        ("Élan", "Créteil", "94"),
        ("eau vive", "Vitry-sur-Seine", "94"),
        ("Zèbre", "Marseille", "13"),
    ]:
        StructureFactory(
            name=name, commune=commune, department=department(code), kind=StructureKind.EVS
        )
    ActionFactory(
        title="Atelier couture",
        structure=StructureFactory(name="ADESIR", commune="Ajaccio", department=department("2A")),
        published=True,
    )


def result_heading(page):
    return page.locator("#titre-resultats")


def test_search_and_filter_the_directory_then_open_a_structure(page, directory, axe_violations):
    page.goto("/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Structures"
    ).click()
    page.wait_for_url("**/structures/")
    assert page.title() == "Annuaire des structures · Fiches action"
    assert result_heading(page).inner_text() == "6 structures"
    names = page.locator(".results h3").all_inner_texts()
    assert names[:3] == [
        "ADESIR",
        "Centre social et culturel Pierrette Augier Lyon-Vaise",
        "eau vive",
    ]
    assert axe_violations() == []

    page.get_by_label(re.compile(r"^Espace de vie sociale")).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**/structures/?*type=evs*")
    assert result_heading(page).inner_text() == "4 structures"
    assert "qpv" not in page.url  # empty fields are left out of the shared link

    page.get_by_role("searchbox", name="Rechercher une structure").fill("GAILLARD")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**q=GAILLARD*")
    assert result_heading(page).inner_text() == "1 structure"
    assert page.locator(".filter-chip").count() == 2

    page.get_by_role("link", name="EVS MAISON DE QUARTIER").click()
    page.wait_for_url("**/structures/evs-maison-de-quartier/")
    card = page.locator(".structure-card")
    assert "Collectivité locale" in card.inner_text()
    assert card.get_by_role("link", name="maisondequartier@gaillard.fr").is_visible()
    assert page.get_by_role("heading", name="Axes du projet en cours").is_visible()
    assert axe_violations() == []

    page.go_back()
    page.get_by_role("link", name="Tout effacer").click()
    page.wait_for_url("**/structures/")
    assert result_heading(page).inner_text() == "6 structures"


def test_a_structure_name_searched_in_the_catalogue_finds_its_sheets(page, directory):
    page.goto("/")
    page.get_by_role("searchbox", name="Rechercher une action").fill("adesir")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/actions/?q=adesir*")
    assert result_heading(page).inner_text() == "1 action"
    assert "Atelier couture" in page.locator(".action-card").first.inner_text()
