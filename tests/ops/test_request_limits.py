"""Requests refused before any view, form or query sees them (ops/middleware.py)."""

import io

import pytest
from django.test import Client, RequestFactory

from ops.middleware import RequestLimitsMiddleware

pytestmark = pytest.mark.django_db


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


class TestBodySize:
    def test_a_body_larger_than_the_largest_upload_is_refused_unread(self, settings):
        request = RequestFactory().generic(
            "POST", "/espace/actions/nouvelle/", content_type="multipart/form-data; boundary=x"
        )
        request.META["CONTENT_LENGTH"] = str(settings.REQUEST_MAX_BYTES + 1)
        request.META["wsgi.input"] = UnreadableBody()
        request._stream = UnreadableBody()

        response = RequestLimitsMiddleware(lambda request: pytest.fail("reached the view"))(request)

        assert response.status_code == 413
        assert "Envoi trop volumineux" in response.content.decode()
        assert "32 Mo" in response.content.decode()

    def test_through_the_whole_stack_the_413_is_branded(self, client, settings):
        response = client.post(
            "/comptes/connexion/",
            data=b"x",
            content_type="application/octet-stream",
            headers={"content-length": str(settings.REQUEST_MAX_BYTES + 1)},
        )

        assert response.status_code == 413
        assert 'class="site-header' in response.content.decode()

    def test_a_body_within_the_limit_goes_through(self, client):
        response = client.post("/comptes/connexion/", {"username": "x", "password": "y"})

        assert response.status_code == 200

    def test_a_malformed_content_length_is_a_400(self, client):
        response = client.post(
            "/comptes/connexion/",
            data=b"x",
            content_type="application/octet-stream",
            headers={"content-length": "beaucoup"},
        )

        assert response.status_code == 400


NUL_URLS = [
    "/departements/%00/",
    "/structures/a%00b/",
    "/federations/%00/",
    "/actions/%00/",
    "/actions/?q=%00",
    "/actions/?theme=%00",
    "/actions/?departement=75%00",
    "/actions/export.csv?q=%00",
    "/fichiers/1/?%00=1",
    "/espace/?status=%00",
    "/admin/actions/action/?publication_status__exact=%00",
    "/admin/actions/action/?structure__federation__id__exact=%00",
    "/admin/federations/structure/?q=%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_in_the_path_or_query_string_is_a_400(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_too_many_query_parameters_are_a_400(settings):
    query = "&".join(f"theme={n}" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = Client(raise_request_exception=False).get(f"/actions/?{query}")

    assert response.status_code == 400
