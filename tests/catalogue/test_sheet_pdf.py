"""A sheet as a PDF (/actions/<slug>/fiche.pdf): its page printed with the print stylesheet."""

import io
import json

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils.http import http_date
from pypdf import PdfReader

from catalogue import pdf
from catalogue.pdf import static_file
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet():
    return ActionFactory(
        title="Séjour collectif famille senior", slug="sejour-collectif", published=True
    )


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["ratelimit"].clear()


def test_a_published_sheet_downloads_as_a_pdf_with_its_title(client, sheet):
    response = client.get(reverse("catalogue:action_pdf", args=[sheet.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'inline; filename="sejour-collectif-famille-senior.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert "Séjour collectif famille senior" in reader.pages[0].extract_text()
    assert reader.metadata.title.startswith("Séjour collectif famille senior")


def test_the_sheet_page_links_to_its_pdf(client, sheet):
    html = client.get(sheet.get_absolute_url()).content.decode()
    assert f'<a href="/actions/{sheet.slug}/fiche.pdf">Télécharger en PDF</a>' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html


def test_an_unpublished_sheet_has_no_pdf(client):
    draft = ActionFactory(slug="brouillon")
    assert client.get(reverse("catalogue:action_pdf", args=[draft.slug])).status_code == 404


def test_it_carries_the_last_change_and_a_conditional_get_is_not_printed_again(client, sheet):
    url = reverse("catalogue:action_pdf", args=[sheet.slug])
    last_modified = client.get(url)["Last-Modified"]
    assert last_modified == http_date(int(sheet.updated_at.timestamp()))
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304


def test_too_many_pdfs_from_one_address_get_a_429(client, sheet, monkeypatch):
    monkeypatch.setattr(pdf, "PDF_LIMITS", (("sheet-pdf-ip", "ip", "2/m"),))
    url = reverse("catalogue:action_pdf", args=[sheet.slug])
    for _ in range(2):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "file:///static/css/print.css",
        "http://testserver/media/x.png",
        "http://testserver/static/../config/settings/base.py",
        "http://testserver/static/vendor/bootstrap/bootstrap.min.css",
    ],
)
def test_the_printer_reads_no_address_but_the_static_files(url):
    with pytest.raises(FileNotFoundError):
        static_file(url)


def test_the_printer_reads_the_print_stylesheet():
    name, content = static_file("http://testserver/static/css/print.css")
    assert name == "css/print.css"
    assert b"size: A4" in content


def test_the_printer_reads_the_hashed_names_the_production_pages_link_to(settings, tmp_path):
    """In production the manifest storage links the page to ``css/print.<hash>.css``."""
    hashed = {name: name.replace(".css", ".0123456789ab.css") for name in pdf.PRINTED}
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": hashed, "version": "1.1", "hash": "0"})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    name, content = static_file("http://testserver/static/css/print.0123456789ab.css")
    assert name == "css/print.css"
    assert b"size: A4" in content
    with pytest.raises(FileNotFoundError):
        static_file("http://testserver/static/css/print.css")
