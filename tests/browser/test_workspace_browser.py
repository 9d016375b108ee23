"""A staff member enters a sheet in the workspace with a real browser, and submits it."""

import re

import pytest
from playwright.sync_api import expect

from actions import sections
from actions.enums import PublicationStatus
from actions.models import Action
from tests.actions.factories import PartnerFactory
from tests.federations.factories import MembershipFactory, StructureFactory
from tests.workspace.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    membership = MembershipFactory(user__username="claire", user__first_name="Claire")
    StructureFactory(federation=membership.federation, name="Centre social Les Portes")
    StructureFactory(federation=membership.federation, name="Centre social du Port")
    PartnerFactory(caf=True)
    return membership.user


def test_staff_creates_a_sheet_with_two_fundings_and_a_file_then_submits_it(
    page, login, artifacts_dir, staff
):
    login(staff)
    page.wait_for_url("**/espace/")
    page.get_by_role("link", name="Nouvelle fiche").click()
    page.wait_for_url("**/espace/actions/nouvelle/")

    page.get_by_label("Titre de l'action").fill("Séjour familles à la mer")
    page.get_by_label("Structure organisatrice").select_option(label="Centre social Les Portes")
    page.get_by_label("Culture", exact=True).check()
    page.get_by_label("Vacances / loisirs", exact=True).check()
    page.get_by_label("Familles", exact=True).check()
    page.locator("#id_summary").fill("Une semaine à la mer pour des familles qui ne partent pas.")
    page.locator("#id_description").fill("Préparé toute l'année avec les familles.")

    page.locator("#id_financements-0-funder_name").fill("Caf")
    page.locator("#id_financements-0-amount").fill("2500")
    page.locator("#id_financements-0-year").fill("2024")
    page.get_by_role("button", name="Ajouter un financement").click()
    page.locator("#id_financements-1-funder_name").fill("Fondation de France")
    page.locator("#id_financements-1-amount").fill("1200.50")

    page.locator("#id_fichiers-0-title").fill("Programme du séjour")
    page.locator("#id_fichiers-0-file").set_input_files(
        files=[{"name": "programme.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    live = page.locator("[data-completeness-live]")
    expect(live).to_be_visible()
    expect(live).not_to_contain_text(" 0 %")

    page.get_by_role("button", name="Soumettre").click()
    page.wait_for_url(re.compile(r"/espace/$"))

    expect(page.get_by_role("status")).to_contain_text("est envoyée à la modération")
    submitted = page.locator(
        "section.status-group", has=page.get_by_role("heading", name="Soumise")
    )
    expect(submitted.get_by_role("link", name="Séjour familles à la mer")).to_be_visible()
    page.screenshot(path=artifacts_dir / "workspace-submitted.png")

    action = Action.objects.get(title="Séjour familles à la mer")
    assert action.publication_status == PublicationStatus.SUBMITTED
    assert action.submitted_by == staff
    assert sorted((f.funder.name, str(f.amount)) for f in action.fundings.all()) == [
        ("Caf", "2500.00"),
        ("Fondation de France", "1200.50"),
    ]
    attachment = action.attachments.get()
    assert (attachment.title, attachment.content_type) == ("Programme du séjour", "application/pdf")


def test_a_funding_line_fills_the_financial_resources_in_the_live_completeness(page, login, staff):
    """The rule of the server (actions.sections.is_filled): a funder typed on a funding line
    fills "Ressources financières", without its free text."""
    login(staff)
    page.wait_for_url("**/espace/")
    page.get_by_role("link", name="Nouvelle fiche").click()
    page.wait_for_url("**/espace/actions/nouvelle/")
    live = page.locator("[data-completeness-live] progress")
    expect(live).to_be_visible()
    before = live.evaluate("bar => bar.value")
    page.locator("#id_financements-0-funder_name").fill("Caf")
    counted = len(sections.completeness_sections())
    filled = round(before * counted / 100)
    assert live.evaluate("bar => bar.value") == round(100 * (filled + 1) / counted)
    page.locator("#id_financements-0-funder_name").fill("")
    assert live.evaluate("bar => bar.value") == before
