"""The API's HTTP behaviour: conditional requests, caching, CORS, the rate limit, problem
details, the OpenAPI document and its browsable docs."""

import re

import pytest
from django.test import override_settings
from django.utils.http import http_date

from actions.models import Action
from catalogue.filters import ActionFilterSet
from pagecache import versions
from tests.actions.factories import ActionFactory
from tests.federations.factories import StructureFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def sheet():
    return ActionFactory(slug="fiche", published=True, structure=StructureFactory(slug="elan"))


class TestConditionalRequests:
    def test_the_same_answer_has_the_same_etag_and_a_304_without_body(self, client, sheet):
        first = client.get(f"{API}actions/")
        assert first["ETag"] == client.get(f"{API}actions/")["ETag"]
        again = client.get(f"{API}actions/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]

    def test_a_change_of_the_data_changes_the_etag(self, client, sheet):
        etag = client.get(f"{API}actions/fiche/")["ETag"]
        sheet.structure.name = "Nouveau nom"
        sheet.structure.save()
        response = client.get(f"{API}actions/fiche/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag

    def test_a_sheet_has_its_last_modification_and_answers_if_modified_since(self, client, sheet):
        response = client.get(f"{API}actions/fiche/")
        assert response["Last-Modified"] == http_date(sheet.updated_at.timestamp())
        later = http_date(sheet.updated_at.timestamp() + 60)
        assert client.get(f"{API}actions/fiche/", HTTP_IF_MODIFIED_SINCE=later).status_code == 304
        earlier = http_date(sheet.updated_at.timestamp() - 60)
        assert client.get(f"{API}actions/fiche/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200

    def test_lists_carry_the_time_of_the_catalogue_version(self, client, sheet):
        changed_at = versions.current().changed_at
        assert client.get(f"{API}actions/")["Last-Modified"] == http_date(changed_at.timestamp())

    def test_answers_are_public_for_a_minute_and_errors_are_not_cached(self, client, sheet):
        assert client.get(f"{API}actions/")["Cache-Control"] == "public, max-age=60"
        missing = client.get(f"{API}actions/inconnue/")
        assert not missing.has_header("Cache-Control") and not missing.has_header("ETag")


class TestCors:
    def test_any_origin_may_read_the_api(self, client, sheet):
        response = client.get(f"{API}actions/", HTTP_ORIGIN="https://reutilisateur.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]

    def test_a_preflight_allows_get_only(self, client, db):
        response = client.options(
            f"{API}actions/",
            HTTP_ORIGIN="https://reutilisateur.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
        assert response.status_code == 200
        assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"

    def test_the_pages_of_the_portal_are_not_opened_to_other_origins(self, client, db):
        response = client.get("/actions/", HTTP_ORIGIN="https://reutilisateur.example")
        assert not response.has_header("Access-Control-Allow-Origin")

    def test_an_error_can_be_read_by_another_origin_too(self, client, db):
        response = client.get(f"{API}actions/x/", HTTP_ORIGIN="https://reutilisateur.example")
        assert response.status_code == 404
        assert response["Access-Control-Allow-Origin"] == "*"


class TestRateLimit:
    @override_settings(API_RATE_LIMIT="3/m")
    def test_beyond_the_rate_a_429_problem_says_when_to_retry(self, client, db):
        for _ in range(3):
            assert client.get(f"{API}regions/").status_code == 200
        response = client.get(f"{API}regions/")
        assert response.status_code == 429
        assert response["Content-Type"] == "application/problem+json"
        assert 0 < int(response["Retry-After"]) <= 60
        assert response.json()["title"] == "Too Many Requests"

    @override_settings(API_RATE_LIMIT="2/m")
    def test_each_client_has_its_own_count(self, client, db):
        for _ in range(2):
            client.get(f"{API}regions/", REMOTE_ADDR="192.0.2.1")
        assert client.get(f"{API}regions/", REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get(f"{API}regions/", REMOTE_ADDR="192.0.2.2").status_code == 200

    @override_settings(API_RATE_LIMIT="1/m", BEHIND_PROXY=True)
    def test_behind_the_proxy_the_client_is_the_address_it_reports(self, client, db):
        client.get(f"{API}regions/", HTTP_X_REAL_IP="198.51.100.1")
        assert client.get(f"{API}regions/", HTTP_X_REAL_IP="198.51.100.1").status_code == 429
        assert client.get(f"{API}regions/", HTTP_X_REAL_IP="198.51.100.2").status_code == 200


class TestProblems:
    def test_an_unknown_address_under_the_api_is_a_404_problem(self, client, db):
        for path in ("/api/v1/inconnu/", "/api/v2/actions/", "/api/"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response["Content-Type"] == "application/problem+json"
            body = response.json()
            assert body["type"] == "about:blank"
            assert body["title"] == "Not Found" and body["status"] == 404
            assert body["instance"] == path

    def test_the_api_only_reads(self, client, db):
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(f"{API}regions/")
            assert response.status_code == 405
            assert response["Content-Type"] == "application/problem+json"
            assert response["Allow"] == "GET, HEAD, OPTIONS"

    def test_head_answers_the_headers_of_get(self, client, sheet):
        get, head = client.get(f"{API}actions/fiche/"), client.head(f"{API}actions/fiche/")
        assert head.status_code == 200 and head.content == b""
        assert head["ETag"] == get["ETag"] and head["Last-Modified"] == get["Last-Modified"]

    def test_the_detail_follows_the_language_asked(self, client, db):
        response = client.get(f"{API}actions/x/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.json()["detail"] == "No published data at this address."

    def test_an_unexpected_error_is_a_500_problem_and_is_logged(
        self, client, db, monkeypatch, caplog
    ):
        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr("api.v1.option_counts", broken)
        response = client.get(f"{API}regions/")
        assert response.status_code == 500
        assert response["Content-Type"] == "application/problem+json"
        assert "boom" not in response.content.decode()
        (record,) = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
        assert record.exc_info[1].args == ("boom",)


class TestDocumentation:
    def test_the_openapi_document_lists_every_operation_and_every_catalogue_filter(
        self, client, db
    ):
        document = client.get(f"{API}openapi.json").json()
        assert document["openapi"].startswith("3.")
        assert {"/api/v1/actions/", "/api/v1/actions/{slug}/", "/api/v1/facets/"} <= set(
            document["paths"]
        )
        for name in ("structures", "federations", "departements", "regions", "themes"):
            assert f"/api/v1/{name}/" in document["paths"]
        parameters = {p["name"] for p in document["paths"]["/api/v1/actions/"]["get"]["parameters"]}
        assert set(ActionFilterSet(queryset=Action.objects.none()).filters) <= parameters
        assert {"cursor", "limit"} <= parameters
        assert "Versions et stabilité" in document["info"]["description"]

    def test_the_browsable_docs_are_served_by_the_portal_without_any_cdn(self, client, db):
        html = client.get(f"{API}docs").content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(source.startswith("/static/") for source in sources)
        assert "/api/v1/openapi.json" in html
        assert '"validatorUrl": null' in html
