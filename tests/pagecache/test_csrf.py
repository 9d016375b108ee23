"""The forms on cached public pages: a CSRF token for signed-in people only, checked for them
only (pagecache/csrf.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.federations.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/actions/"
SET_LANGUAGE = reverse("set_language")
SUBSCRIBE = reverse("alerts:subscribe")
ALERT = {"email": "camille@example.org", "query": "theme=culture", "frequency": "daily"}


@pytest.fixture
def browser():
    """A client that checks CSRF tokens, as browsers' requests are checked."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def signed_in(browser):
    browser.force_login(UserFactory())
    return browser


class TestAnonymousPages:
    def test_an_anonymous_page_carries_no_token_and_sets_no_cookie(self, browser):
        response = browser.get(CATALOGUE)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies

    def test_a_signed_in_page_carries_the_token(self, signed_in):
        assert "csrfmiddlewaretoken" in signed_in.get(CATALOGUE).content.decode()


class TestLanguageSwitch:
    def test_an_anonymous_visitor_switches_without_a_token(self, browser):
        response = browser.post(SET_LANGUAGE, {"language": "en", "next": CATALOGUE})
        assert response.status_code == 302
        assert response.cookies["django_language"].value == "en"

    def test_a_signed_in_person_needs_the_token(self, signed_in):
        response = signed_in.post(SET_LANGUAGE, {"language": "en", "next": CATALOGUE})
        assert response.status_code == 403

    def test_a_signed_in_person_switches_with_the_token(self, signed_in):
        signed_in.get(CATALOGUE)
        token = signed_in.cookies["csrftoken"].value
        response = signed_in.post(
            SET_LANGUAGE, {"language": "en", "next": CATALOGUE, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302


class TestAlertForm:
    def test_an_anonymous_visitor_subscribes_without_a_token(self, browser):
        response = browser.post(SUBSCRIBE, ALERT)
        assert response.status_code == 200
        assert "Confirmez votre adresse" in response.content.decode()

    def test_a_signed_in_person_needs_the_token(self, signed_in):
        assert signed_in.post(SUBSCRIBE, ALERT).status_code == 403
