"""The public catalogue in a real browser, on the sample fixture (22 published sheets)."""

import re

import pytest

from tests.sample import load_sample

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sample(db):
    load_sample()


def result_heading(page):
    return page.locator("#titre-resultats")


def test_filter_by_theme_then_departement_through_the_page(page, sample):
    page.goto("/actions/")
    assert page.title() == "Catalogue des actions · Fiches action"
    assert result_heading(page).inner_text() == "22 actions"

    page.get_by_label(re.compile(r"^Vacances / loisirs")).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**/actions/?*theme=vacances-loisirs*")
    assert result_heading(page).inner_text() == "11 actions"
    # Empty fields are left out of the shared link.
    assert "year_min" not in page.url

    # Départements: the first ones shown, Val-de-Marne behind "Voir tout".
    page.locator("#facette-departement summary").click()
    page.locator("#facette-departement label", has_text="Val-de-Marne (94)").locator(
        "input"
    ).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**departement=94*")
    assert result_heading(page).inner_text() == "2 actions"
    chips = page.locator(".filter-chip")
    assert chips.count() == 2

    chips.filter(has_text="Vacances / loisirs").click()
    page.wait_for_load_state()
    assert "theme=" not in page.url
    assert result_heading(page).inner_text() == "2 actions"

    page.get_by_role("link", name="Tout effacer").click()
    page.wait_for_url("**/actions/")
    assert result_heading(page).inner_text() == "22 actions"


def test_search_from_the_home_page(page, sample):
    page.goto("/")
    page.get_by_role("searchbox", name="Rechercher une action").fill("BARCELONE")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/actions/?q=BARCELONE*")
    first = page.locator(".action-card").first
    assert "Séjour Autofinancé Barcelone" in first.inner_text()
    assert page.get_by_role("combobox", name="Trier par").input_value() == "relevance"


def test_open_a_sheet_and_follow_a_theme_link(page, sample):
    page.goto("/actions/?q=barcelone")
    page.get_by_role("link", name="Séjour Autofinancé Barcelone").click()
    page.wait_for_url("**/actions/sejour-autofinance-barcelone/")
    assert page.get_by_role("heading", level=1).inner_text() == "Séjour Autofinancé Barcelone"
    assert page.get_by_role("heading", name="Structure organisatrice").is_visible()

    page.locator("#section-themes + ul").get_by_role(
        "link", name="vacances / loisirs", exact=False
    ).click()
    page.wait_for_url("**/actions/?theme=vacances-loisirs")
    assert result_heading(page).inner_text() == "11 actions"
    assert page.get_by_label(re.compile(r"^Vacances / loisirs")).is_checked()


def test_skip_link_reaches_the_content(page, sample):
    page.goto("/actions/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.is_visible()
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_catalogue_screenshots_at_desktop_and_phone_widths(page, sample, artifacts_dir):
    page.goto("/actions/?theme=vacances-loisirs")
    page.screenshot(path=artifacts_dir / "catalogue-desktop.png", full_page=True)
    assert page.locator("#facettes").is_visible()

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    # On a phone the filters fold behind a button; the results and their count stay visible.
    assert not page.locator("#facettes").is_visible()
    assert result_heading(page).is_visible()
    no_horizontal_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_horizontal_scroll
    page.screenshot(path=artifacts_dir / "catalogue-phone.png", full_page=True)

    page.get_by_role("button", name=re.compile("Afficher les filtres")).click()
    page.locator("#facettes").wait_for(state="visible")
    page.screenshot(path=artifacts_dir / "catalogue-phone-filters.png", full_page=True)


def test_sheet_screenshots(page, sample, artifacts_dir):
    page.goto("/actions/sejour-autofinance-barcelone/")
    page.screenshot(path=artifacts_dir / "sheet-desktop.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    page.screenshot(path=artifacts_dir / "sheet-phone.png", full_page=True)
