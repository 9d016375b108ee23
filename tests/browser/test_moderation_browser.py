"""Two moderators save the same sheet in the admin with real browsers; then one publishes the
version on the page."""

import pytest
from playwright.sync_api import expect

from actions.enums import PublicationStatus
from actions.models import Action
from tests.actions.factories import ActionFactory, public, theme
from tests.federations.factories import ModeratorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("mot-de-passe-de-test")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_the_second_save_shows_the_conflict_keeps_the_typing_and_publishing_takes_the_version(
    browser, live_server, page, artifacts_dir
):
    sheet = ActionFactory(
        submitted=True,
        title="Forum seniors",
        summary="Résumé d'origine.",
        themes=[theme("vieillissement")],
        publics=[public("seniors")],
    )
    first, second = ModeratorFactory(first_name="Maud"), ModeratorFactory(first_name="Inès")
    other = browser.new_context(base_url=live_server.url, locale="fr-FR")
    other_page = other.new_page()
    try:
        change = f"/admin/actions/action/{sheet.pk}/change/"
        log_in(page, first)
        log_in(other_page, second)
        page.goto(change)
        other_page.goto(change)

        page.locator("#id_summary").fill("Résumé corrigé par Maud.")
        page.locator("input[name=_save]").click()
        page.wait_for_url("**/admin/actions/action/")

        other_page.locator("#id_summary").fill("Résumé corrigé par Inès.")
        other_page.locator("input[name=_save]").click()
        conflict = other_page.locator("#edit-conflict")
        expect(conflict).to_contain_text("Vos modifications n'ont pas été enregistrées")
        expect(conflict).to_contain_text("Résumé corrigé par Maud.")
        expect(conflict).to_contain_text("Résumé corrigé par Inès.")
        expect(other_page.locator("#id_summary")).to_have_value("Résumé corrigé par Inès.")
        conflict.screenshot(path=artifacts_dir / "admin-edit-conflict.png")
        expect(other_page.locator("#moderation-form")).to_have_count(0)
        assert Action.objects.get(pk=sheet.pk).summary == "Résumé corrigé par Maud."

        other_page.locator("input[name=_save]").click()
        other_page.wait_for_url("**/admin/actions/action/")
        assert Action.objects.get(pk=sheet.pk).summary == "Résumé corrigé par Inès."

        page.goto(change)
        page.get_by_role("button", name="Publier cette version").click()
        page.wait_for_url("**/admin/actions/action/")
        expect(page.locator("ul.messagelist")).to_contain_text("1 fiche publiée.")
        stored = Action.objects.get(pk=sheet.pk)
        assert stored.publication_status == PublicationStatus.PUBLISHED
        assert stored.summary == "Résumé corrigé par Inès."
    finally:
        other.close()
