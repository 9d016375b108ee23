"""/donnees/: the latest export, its files and the schema of its tables, for people."""

import json

import pytest
from django.urls import reverse

from tests.opendata.conftest import read_table

pytestmark = pytest.mark.django_db

PAGE = reverse("opendata:index")


def test_before_any_export_the_page_says_so(client, export):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Aucun export n’a encore été publié" in response.content.decode()
    assert client.get(reverse("opendata:file", args=["actions.csv"])).status_code == 404


@pytest.mark.usefixtures("sample")
class TestTheSampleExported:
    def test_the_page_lists_the_files_with_their_size_date_and_licence(
        self, client, sample, export
    ):
        export()
        response = client.get(PAGE)
        html = response.content.decode()
        resources = response.context["resources"]
        assert {r["path"] for r in resources} >= {"actions.csv", "actions.json", "fundings.csv"}
        for resource in resources:
            assert f'href="/donnees/{resource["path"]}"' in html
        assert 'href="/donnees/datapackage.json"' in html and 'href="/donnees/dcat.jsonld"' in html
        assert 'rel="license"' in html and "Licence Ouverte" in html
        assert '<td class="text-end">22</td>' in html  # the sheets' rows
        assert response.context["created"].year >= 2025

    def test_the_page_documents_every_column_of_every_table(self, client, sample, export):
        export()
        response = client.get(PAGE)
        html = response.content.decode()
        for resource in response.context["resources"]:
            assert f'id="table-{resource["name"]}"' in html
            for field in resource["fields"]:
                assert f"<code>{field['name']}</code>" in html or (
                    f'<code class="fw-bold">{field["name"]}</code>' in html
                )
        assert "<code>structures.slug</code>" in html  # a foreign key

    def test_the_schema_documentation_follows_the_language(self, client, sample, export):
        export()
        html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Action sheets" in html

    def test_a_file_of_the_export_is_served_with_its_type(self, client, sample, export):
        directory = export()
        response = client.get(reverse("opendata:file", args=["actions.csv"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
        body = b"".join(response.streaming_content)
        assert body == (directory / "actions.csv").read_bytes()
        assert len(read_table(directory, "actions")) == 22
        package = client.get(reverse("opendata:file", args=["datapackage.json"]))
        assert package["Content-Type"] == "application/json"
        assert json.loads(b"".join(package.streaming_content))["name"]

    @pytest.mark.parametrize("name", ["secrets.csv", "..", "datapackage.json.bak", "%2e%2e"])
    def test_only_the_files_of_the_package_are_served(self, client, sample, export, name):
        directory = export()
        (directory / "secrets.csv").write_text("confidentiel")
        assert client.get(f"/donnees/{name}").status_code == 404

    def test_files_can_be_read_from_other_origins_but_not_the_page(self, client, sample, export):
        export()
        origin = "https://www.data.gouv.fr"
        response = client.get("/donnees/actions.csv", HTTP_ORIGIN=origin)
        b"".join(response.streaming_content)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not client.get(PAGE, HTTP_ORIGIN=origin).has_header("Access-Control-Allow-Origin")

    def test_a_file_answers_if_modified_since(self, client, sample, export):
        export()
        first = client.get("/donnees/regions.csv")
        b"".join(first.streaming_content)
        again = client.get("/donnees/regions.csv", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert again.status_code == 304
