"""Branded French error pages, and a 503 rather than a 500 when the database is unreachable."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def database_down():
    """Every new cursor fails the way a stopped PostgreSQL makes psycopg fail."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "cursor",
        side_effect=OperationalError("connection refused: is the server running?"),
    )


class TestBrandedPages:
    def test_an_unknown_page_is_a_french_404_in_the_site_layout(self, client):
        response = client.get("/cette-page-n-existe-pas/")

        assert response.status_code == 404
        body = response.content.decode()
        assert "Cette page n'existe pas" in body
        assert 'class="site-header' in body
        assert "Retour à l'accueil" in body

    def test_the_404_is_translated(self, client):
        client.cookies["django_language"] = "en"

        response = client.get("/cette-page-n-existe-pas/")

        assert "This page does not exist" in response.content.decode()

    def test_a_bad_request_is_a_french_400(self, client):
        response = client.get("/", headers={"host": "ailleurs.example.org"})

        assert response.status_code == 400
        assert "Requête invalide" in response.content.decode()

    def test_a_form_without_its_csrf_token_explains_what_to_do(self):
        client = Client(enforce_csrf_checks=True)

        response = client.post("/comptes/connexion/", {"username": "a", "password": "b"})

        assert response.status_code == 403
        assert "Le formulaire n'a pas pu être vérifié" in response.content.decode()

    def test_a_server_error_is_a_french_500_that_needs_no_database(self, django_assert_num_queries):
        client = Client(raise_request_exception=False)
        with (
            mock.patch("catalogue.views.HomeView.get_context_data", side_effect=RuntimeError),
            django_assert_num_queries(0),
        ):
            response = client.get("/")

        assert response.status_code == 500
        assert "Une erreur inattendue s'est produite" in response.content.decode()


class TestDatabaseUnavailable:
    def test_pages_answer_503_with_retry_after(self):
        client = Client(raise_request_exception=False)
        with database_down():
            response = client.get("/actions/")

        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        body = response.content.decode()
        assert "Service momentanément indisponible" in body
        assert 'class="site-header' in body

    def test_a_logged_in_visitor_gets_the_503_too(self, admin_user):
        """The session and the user are read from the database before the view runs."""
        client = Client(raise_request_exception=False)
        client.force_login(admin_user)
        with database_down():
            response = client.get("/espace/")

        assert response.status_code == 503

    def test_the_site_answers_again_once_the_database_is_back(self):
        client = Client(raise_request_exception=False)
        with database_down():
            assert client.get("/themes/").status_code == 503

        assert client.get("/themes/").status_code == 200

    def test_other_errors_stay_500(self):
        client = Client(raise_request_exception=False)
        with mock.patch("catalogue.views.HomeView.get_context_data", side_effect=ValueError):
            response = client.get("/")

        assert response.status_code == 500
        assert "Retry-After" not in response
