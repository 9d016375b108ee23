"""Chromium enforces the portal's content security policy and reports no violation on the
public pages, the workspace form and the admin, while their scripts keep working."""

import pytest
from playwright.sync_api import expect

from tests.actions.factories import ActionFactory, PartnerFactory
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Collects what the browser refused, from the first script of every page on.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH_VIOLATIONS)

    def violations():
        return page.evaluate("window.__cspViolations")

    return violations


@pytest.fixture
def sheet(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    federation = FederationFactory()
    PartnerFactory(caf=True)
    return ActionFactory(published=True, structure=StructureFactory(federation=federation))


def test_public_pages_and_the_language_menu_work_under_the_policy(page, watched, sheet):
    for url in ["/", "/actions/", f"/actions/{sheet.slug}/", "/departements/", "/nulle-part/"]:
        page.goto(url)
        assert watched() == [], url

    page.goto("/")
    page.get_by_label("Langue").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # only the button switches
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert watched() == []


def test_the_workspace_form_and_its_live_completeness_work_under_the_policy(
    page, watched, login, sheet
):
    staff = MembershipFactory(federation=sheet.structure.federation).user
    login(staff)
    page.wait_for_url("**/espace/")
    assert watched() == []
    page.goto("/espace/actions/nouvelle/")
    page.locator("#id_summary").fill("Une semaine à la mer.")
    live = page.locator("[data-completeness-live]")
    expect(live).to_be_visible()
    expect(live.locator("progress")).not_to_have_attribute("value", "0")
    page.get_by_role("button", name="Ajouter un financement").click()
    expect(page.locator("#id_financements-1-amount")).to_be_visible()

    assert watched() == []


def test_the_admin_works_under_the_policy(page, watched, login, sheet):
    login(UserFactory(username="moderation", superuser=True))
    page.wait_for_url("**/espace/**")
    for url in [
        "/admin/",
        "/admin/actions/action/",
        f"/admin/actions/action/{sheet.pk}/change/",
        f"/admin/actions/action/{sheet.pk}/history/",
    ]:
        page.goto(url)
        assert watched() == [], url
    page.goto(f"/admin/actions/action/{sheet.pk}/change/")
    page.get_by_role("link", name="Ajouter un objet Financement supplémentaire").or_(
        page.locator(".add-row a").first
    ).first.click()
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()

    assert watched() == []
