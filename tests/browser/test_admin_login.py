"""The browser harness itself works: Chromium renders a page served by the live server."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_login_page_is_in_french_and_accepts_a_superuser(page, admin_user):
    page.goto("/admin/login/")
    assert "Connexion" in page.title()
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "mot-de-passe-de-test")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("#site-name").is_visible()
