"""Log in, log out, change and reset a password (by email) at /comptes/."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.federations.factories import MembershipFactory

PASSWORD = "mot-de-passe-de-test"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return MembershipFactory(user__username="claire", user__email="claire@example.org").user


class TestUrls:
    @pytest.mark.parametrize(
        ("name", "path"),
        [
            ("login", "/comptes/connexion/"),
            ("logout", "/comptes/deconnexion/"),
            ("password_change", "/comptes/mot-de-passe/"),
            ("password_change_done", "/comptes/mot-de-passe/modifie/"),
            ("password_reset", "/comptes/mot-de-passe/oubli/"),
            ("password_reset_done", "/comptes/mot-de-passe/oubli/envoye/"),
            ("password_reset_complete", "/comptes/reinitialisation/terminee/"),
        ],
    )
    def test_account_pages_live_under_comptes(self, name, path):
        assert reverse(name) == path


class TestLogin:
    def test_the_login_page_uses_the_default_french_labels(self, client):
        response = client.get(reverse("login"))
        content = response.content.decode()
        assert "Nom d’utilisateur" in content
        assert "Mot de passe" in content
        assert ">Se connecter</button>" in content
        assert 'name="csrfmiddlewaretoken"' in content

    def test_logging_in_leads_to_the_workspace(self, client, staff):
        response = client.post(reverse("login"), {"username": "claire", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("workspace:dashboard")
        assert client.get(reverse("workspace:dashboard")).status_code == 200

    def test_logging_in_follows_a_safe_next_url_only(self, client, staff):
        create = reverse("workspace:action_create")
        response = client.post(
            reverse("login"), {"username": "claire", "password": PASSWORD, "next": create}
        )
        assert response["Location"] == create
        client.logout()
        response = client.post(
            reverse("login"),
            {"username": "claire", "password": PASSWORD, "next": "https://ailleurs.example"},
        )
        assert response["Location"] == reverse("workspace:dashboard")

    def test_a_wrong_password_is_refused_in_french(self, client, staff):
        response = client.post(reverse("login"), {"username": "claire", "password": "non"})
        assert response.status_code == 200
        assert "Saisissez un nom d’utilisateur et un mot de passe valides" in (
            response.content.decode()
        )

    def test_login_is_protected_against_csrf(self, staff):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "claire", "password": PASSWORD})
        assert response.status_code == 403

    def test_the_workspace_sends_anonymous_visitors_to_the_login_page(self, client):
        response = client.get(reverse("workspace:dashboard"))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/espace/"


class TestLogout:
    def test_logging_out_takes_a_post(self, client, staff):
        client.force_login(staff)
        assert client.get(reverse("logout")).status_code == 405
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert client.get(reverse("workspace:dashboard")).status_code == 302


class TestPasswordChange:
    def test_a_logged_in_user_changes_their_password(self, client, staff):
        client.force_login(staff)
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "un-nouveau-secret-solide",
                "new_password2": "un-nouveau-secret-solide",
            },
        )
        assert response["Location"] == reverse("password_change_done")
        staff.refresh_from_db()
        assert staff.check_password("un-nouveau-secret-solide")

    def test_anonymous_visitors_cannot(self, client):
        response = client.get(reverse("password_change"))
        assert response["Location"].startswith(reverse("login"))


class TestPasswordReset:
    def test_a_reset_link_is_emailed_and_lets_the_user_choose_a_new_password(
        self, client, staff, settings
    ):
        settings.SITE_URL = "https://fiches.example.org"
        response = client.post(reverse("password_reset"), {"email": "claire@example.org"})
        assert response["Location"] == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["claire@example.org"]
        assert message.subject == "Fiches action : choisir un nouveau mot de passe"
        assert "« claire »" in message.body
        link = re.search(
            r"https://fiches\.example\.org(/comptes/reinitialisation/\S+/)", message.body
        )
        assert link, message.body

        form_page = client.get(link.group(1), follow=True)
        assert form_page.context["validlink"] is True
        response = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "un-autre-secret-solide", "new_password2": "un-autre-secret-solide"},
        )
        assert response["Location"] == reverse("password_reset_complete")
        staff.refresh_from_db()
        assert staff.check_password("un-autre-secret-solide")

    def test_an_unknown_address_sends_nothing_but_says_the_same(self, client, staff):
        response = client.post(reverse("password_reset"), {"email": "personne@example.org"})
        assert response["Location"] == reverse("password_reset_done")
        assert mail.outbox == []
