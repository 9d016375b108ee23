"""Password guessing and reset-mail floods are slowed down (ops/throttling.py)."""

import pytest
from django.core import mail

from tests.federations.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"  # the factories' password


@pytest.fixture
def account():
    return UserFactory(username="camille", email="camille@example.org", superuser=True)


def guess(client, path, username, password):
    return client.post(path, {"username": username, "password": password})


@pytest.mark.parametrize("path", ["/comptes/connexion/", "/admin/login/"])
class TestLoginLockout:
    def test_thirty_wrong_passwords_end_locked_out_with_a_french_message(
        self, client, account, path
    ):
        statuses = [guess(client, path, "camille", f"essai-{n}").status_code for n in range(30)]

        assert statuses[:4] == [200] * 4
        assert set(statuses[4:]) == {429}
        response = guess(client, path, "camille", "encore-un-essai")
        body = response.content.decode()
        assert "Connexion suspendue" in body
        assert "réessayez dans 15 minutes" in body

    def test_the_right_password_is_refused_too_while_locked_out(self, client, account, path):
        for n in range(5):
            guess(client, path, "camille", f"essai-{n}")

        response = guess(client, path, "camille", PASSWORD)

        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_other_accounts_can_still_log_in(self, client, account, path):
        UserFactory(username="dominique", superuser=True)
        for n in range(5):
            guess(client, path, "camille", f"essai-{n}")

        response = guess(client, path, "dominique", PASSWORD)

        assert response.status_code == 302

    def test_a_success_before_the_limit_starts_the_count_again(self, client, account, path):
        for n in range(4):
            guess(client, path, "camille", f"essai-{n}")
        assert guess(client, path, "camille", PASSWORD).status_code == 302
        client.logout()

        statuses = [guess(client, path, "camille", f"autre-{n}").status_code for n in range(4)]

        assert statuses == [200] * 4


def test_the_lockout_message_is_translated(client, account):
    client.cookies["django_language"] = "en"
    for n in range(5):
        guess(client, "/comptes/connexion/", "camille", f"essai-{n}")

    response = guess(client, "/comptes/connexion/", "camille", "encore")

    assert "Too many failed login attempts" in response.content.decode()


RESET = "/comptes/mot-de-passe/oubli/"


class TestPasswordResetLimit:
    def test_reset_mails_to_one_address_stop_after_three_an_hour(self, client, account):
        statuses = [
            client.post(RESET, {"email": "camille@example.org"}).status_code for _ in "12345"
        ]

        assert statuses == [302, 302, 302, 429, 429]
        assert len(mail.outbox) == 3

    def test_the_refusal_says_why_in_french(self, client, account):
        for _ in range(3):
            client.post(RESET, {"email": "Camille@Example.org "})

        response = client.post(RESET, {"email": "camille@example.org"})

        assert "Trop de demandes de réinitialisation" in response.content.decode()

    def test_one_address_cannot_ask_for_more_than_twenty_an_hour(self, client):
        statuses = [
            client.post(RESET, {"email": f"personne-{n}@example.org"}).status_code
            for n in range(21)
        ]

        assert statuses[:20] == [302] * 20
        assert statuses[20] == 429

    def test_behind_the_proxy_the_clients_address_is_the_one_counted(self, client, settings):
        settings.BEHIND_PROXY = True
        for n in range(20):
            client.post(RESET, {"email": f"p-{n}@example.org"}, headers={"x-real-ip": "192.0.2.1"})

        other = client.post(RESET, {"email": "q@example.org"}, headers={"x-real-ip": "192.0.2.2"})
        same = client.post(RESET, {"email": "r@example.org"}, headers={"x-real-ip": "192.0.2.1"})

        assert other.status_code == 302
        assert same.status_code == 429
