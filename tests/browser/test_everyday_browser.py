"""Everyday use on a laptop and a phone: the moderation queue at 1280 px, the workspace at
375 px in French and in English, the error summary after a failed submission."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.actions.factories import ActionFactory
from tests.browser.test_moderation_browser import log_in
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    ModeratorFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def serious(violations):
    return [v for v in violations if v["impact"] in {"critical", "serious"}]


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_moderation_queue_reads_at_1280_px_without_scrolling_sideways(
    page, axe_violations, artifacts_dir
):
    federation = FederationFactory(
        name="Fédération des centres sociaux et socioculturels de la Seine-Saint-Denis"
    )
    submitter = UserFactory(first_name="Marie-Claire", last_name="Dupont-Lefèvre")
    structure = StructureFactory(
        name="Maison de quartier Centre – Association Bellidée", federation=federation
    )
    for number in range(6):
        ActionFactory(
            submitted=True,
            submitted_by=submitter,
            title=f"Accompagnement à la scolarité des collégiens, saison {number}",
            structure=structure,
        )
    ActionFactory(modified=True, title="Forum seniors")
    log_in(page, ModeratorFactory())
    page.goto("/admin/actions/action/")
    page.screenshot(path=artifacts_dir / "admin-queue-1280.png")

    results = page.locator("#result_list")
    assert page.evaluate(
        "() => { const t = document.querySelector('#result_list');"
        " return t.scrollWidth <= t.parentElement.clientWidth; }"
    )
    for header in ("État", "Fédération", "Complétude", "Soumise par, le"):
        box = results.get_by_role("columnheader", name=header).bounding_box()
        assert box["x"] + box["width"] <= 1280, header
    first_row = results.locator("tbody tr").first
    expect(first_row.locator(".state-badge")).to_have_text("Soumise")
    expect(first_row.locator(".field-federation")).to_have_text("Seine-Saint-Denis")
    expect(first_row.locator(".field-submission")).to_contain_text("Marie-Claire Dupont-Lefèvre")
    assert overflow(page) == 0
    assert serious(axe_violations()) == []


@pytest.fixture
def staff():
    membership = MembershipFactory(user__first_name="Claire", user__last_name="Martin")
    structure = StructureFactory(
        federation=membership.federation,
        name="Centre social et culturel Pierrette Augier Lyon-Vaise",
    )
    ActionFactory(structure=structure, title="Séjour familles à la mer", updated_by=None)
    ActionFactory(structure=structure, submitted=True, title="Accompagnement à la scolarité (CLAS)")
    ActionFactory(structure=structure, published=True, title="Forum seniors")
    return membership.user


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_workspace_fits_a_phone_in_both_languages(
    page, login, axe_violations, artifacts_dir, staff, language
):
    login(staff)
    page.wait_for_url("**/espace/")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.url}]
    )
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/espace/", "/espace/actions/nouvelle/", "/espace/structures/nouvelle/"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.screenshot(
            path=artifacts_dir / f"workspace-375-{language}{path.replace('/', '-')}.png",
            full_page=True,
        )
        assert overflow(page) == 0, path
        assert serious(axe_violations()) == [], path
    page.goto("/espace/")
    card = page.locator("tr[data-action-row]").first
    assert card.evaluate("row => getComputedStyle(row).display") == "block"


def test_after_a_failed_submission_the_focus_is_on_the_error_summary(page, login, staff):
    login(staff)
    page.wait_for_url("**/espace/")
    page.goto("/espace/actions/nouvelle/")
    page.get_by_role("button", name="Soumettre").click()
    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("La fiche n'a pas été enregistrée")
    summary.get_by_role("link", name="Titre de l'action").click()
    expect(page.locator("#id_title")).to_be_focused()


def test_every_required_field_shows_its_star(page, login, staff):
    login(staff)
    page.wait_for_url("**/espace/")
    page.goto("/espace/actions/nouvelle/")
    structure = page.locator("fieldset[data-section=structure] > legend")
    expect(structure.locator(".asteriskField")).to_be_visible()
    expect(page.locator("label[for=id_title] .asteriskField")).to_be_visible()
