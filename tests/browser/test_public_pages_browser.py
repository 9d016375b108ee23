"""The public pages in a real browser, at 1280 and 375 px, in French and in English: axe-core
finds no critical or serious violation on any of them; the catalogue's facet labels are never
clipped; the language menu, the skip links and the error summary work from the keyboard."""

import re

import pytest

from actions.models import Action, Theme
from federations.models import Federation, Structure
from tests.sample import load_sample

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 375]


@pytest.fixture
def sample(db):
    load_sample()


def public_pages() -> list[str]:
    sheet = Action.objects.published().order_by("pk").first()
    federation = Federation.objects.order_by("pk").first()
    structure = Structure.objects.order_by("pk").first()
    return [
        "/",
        "/actions/",
        "/actions/?theme=vacances-loisirs&departement=94&theme=inconnu",
        sheet.get_absolute_url(),
        "/themes/",
        "/departements/",
        "/departements/94/",
        "/federations/",
        federation.get_absolute_url(),
        "/structures/",
        structure.get_absolute_url(),
        "/observatoire/",
        "/accessibilite/",
    ]


def serious(violations) -> list:
    return [v for v in violations if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_public_page_has_a_critical_or_serious_axe_violation(
    page, live_server, sample, axe_violations, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = {}
    for url in public_pages():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        if violations := serious(axe_violations()):
            found[url] = violations
    assert found == {}


def test_the_alert_pages_have_no_critical_or_serious_axe_violation(page, sample, axe_violations):
    page.goto("/actions/?theme=vacances-loisirs")
    page.get_by_text("Recevoir les nouvelles fiches").click()
    # The browser would refuse the malformed address itself: the server's answer is tested.
    page.evaluate("document.querySelector('.alert-subscribe form').noValidate = true")
    page.get_by_label("Votre adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="Créer l'alerte").click()
    page.get_by_role("heading", name="Recevoir les nouvelles fiches").wait_for()
    assert serious(axe_violations()) == []
    page.get_by_label("Votre adresse électronique").fill("camille@centre.example.org")
    page.get_by_role("button", name="Créer l'alerte").click()
    page.get_by_role("heading", name="Confirmez votre adresse").wait_for()
    assert serious(axe_violations()) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_theme_label_of_the_sidebar_is_fully_visible(page, sample, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/actions/")
    if width < 992:
        page.get_by_role("button", name="Afficher les filtres").click()
    themes = page.locator("#facette-theme .facet-option")
    assert themes.count() == Theme.objects.count()
    page.locator("#facette-theme").get_by_text("Démocratie & citoyenneté").wait_for()
    clipped = themes.evaluate_all(
        """labels => labels.filter(label => {
            const name = label.querySelector('span');
            const box = label.closest('aside').getBoundingClientRect();
            const own = name.getBoundingClientRect();
            return name.scrollWidth > name.clientWidth + 1 || own.right > box.right + 1
                || own.width === 0;
        }).map(label => label.textContent.trim())"""
    )
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_long_list_hides_its_rest_behind_show_all_and_has_a_filter_box(page, sample):
    page.goto("/actions/")
    departements = page.locator("#facette-departement")
    more = departements.locator("details.facet-more")
    assert not more.evaluate("details => details.open")
    assert not departements.get_by_label(re.compile(r"^Val-de-Marne \(94\)")).is_visible()
    departements.get_by_role("searchbox", name="Filtrer : Départements").fill("val-d")
    assert more.evaluate("details => details.open")
    visible = departements.locator(".facet-option:visible")
    names = [text.split(" (")[0] for text in visible.all_inner_texts()]
    assert names == ["Val-de-Marne", "Val-d'Oise"] or names == ["Val-d'Oise", "Val-de-Marne"]
    departements.locator("label", has_text="Val-de-Marne (94)").locator("input").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**departement=94*")
    # The chosen option, in the rest of the list, shows it opened.
    assert page.locator("#facette-departement details.facet-more").evaluate("d => d.open")


def test_an_option_giving_nothing_is_greyed_but_can_be_chosen(page, sample):
    page.goto("/actions/?departement=94")
    empty = page.locator("#facette-theme .facet-empty").first
    assert empty.locator(".facet-count").inner_text().startswith("0")
    assert empty.evaluate("label => getComputedStyle(label).fontStyle") == "italic"
    checkbox = empty.locator("input")
    assert checkbox.is_enabled()
    checkbox.check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_load_state()
    assert page.locator("#titre-resultats").inner_text() == "0 action"


def test_the_language_menu_changes_nothing_until_its_button_is_pressed(page, sample):
    page.goto("/actions/")
    menu = page.get_by_label("Langue")
    menu.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/actions/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Changer"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("heading", name="Action catalogue").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_first_result_is_three_tab_presses_away(page, sample):
    page.goto("/actions/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller aux résultats"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator(".results .action-card a").first
    assert first.evaluate("link => link === document.activeElement")


def test_after_a_failed_subscription_the_focus_is_on_the_error_summary(page, sample):
    page.goto("/actions/?theme=vacances-loisirs")
    page.get_by_text("Recevoir les nouvelles fiches").click()
    page.evaluate("document.querySelector('.alert-subscribe form').noValidate = true")
    page.get_by_label("Votre adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="Créer l'alerte").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert summary.evaluate("summary => summary === document.activeElement")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "email"


def test_a_bad_filter_value_is_announced_and_focused(page, sample):
    page.goto("/actions/?theme=inconnu")
    notice = page.locator(".ignored-filters")
    assert notice.inner_text() == "Filtre ignoré : Thèmes « inconnu » : valeur inconnue"
    assert notice.evaluate("notice => notice === document.activeElement")
    assert page.locator("#titre-resultats").inner_text() == "22 actions"


def test_favicon_on_every_page(page, sample):
    for url in ["/", "/actions/", "/accessibilite/"]:
        page.goto(url)
        icon = page.locator("link[rel=icon]")
        assert icon.get_attribute("type") == "image/svg+xml"
        assert page.request.get(icon.get_attribute("href")).status == 200
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert response.body().startswith(b"\x00\x00\x01\x00")
