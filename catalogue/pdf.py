"""A sheet as a PDF: its public page, printed by WeasyPrint with the print stylesheet
(static/css/print.css: A4, no navigation, external links followed by their address), so the
PDF is what the browser's "Print" gives.

Bounded: one sheet per request, and at most ``PDF_LIMITS`` per client address (a PDF costs
about a second of CPU, a page a few milliseconds), counted by django-ratelimit like the other
limits of ops/throttling.py; beyond, 429 with ``Retry-After``. WeasyPrint reads nothing from
the network: the stylesheets and images the page links to under ``STATIC_URL`` are read from
the static files (``static_file``); any other address is refused.

WeasyPrint is imported when a PDF is asked for, not with the portal: it loads Pango (Debian's
libpango-1.0-0 and libpangoft2-1.0-0, which scripts/_setup.sh installs) when imported.
"""

import mimetypes
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify

from ops.throttling import exceeds_any

PDF_LIMITS = (("sheet-pdf-ip", "ip", "10/m"),)
# The static files the printed page reads: the portal's styles and the print stylesheet.
# Bootstrap's 230 kB, which WeasyPrint takes seconds to read, is left out: print.css gives the
# printed page what it needs of it.
PRINTED = {"css/portal.css", "css/print.css"}


def static_file(url: str) -> tuple[str, bytes]:
    """(name, content) of the portal's static file at ``url``, one of ``PRINTED`` under the
    address the pages link to (in production, the hashed name of the manifest storage);
    ``FileNotFoundError`` for any other address."""
    if not url.startswith(("http:", "https:")):
        raise FileNotFoundError(f"not a static file: {url}")
    addresses = {urlsplit(staticfiles_storage.url(name)).path: name for name in PRINTED}
    name = addresses.get(urlsplit(url).path)
    if name is None:
        raise FileNotFoundError(f"not a file of the printed page: {url}")
    found = finders.find(name) or (
        staticfiles_storage.exists(name) and staticfiles_storage.path(name)
    )
    if not found:
        raise FileNotFoundError(f"no static file {name}")
    with open(found, "rb") as file:
        return name, file.read()


def static_fetcher():
    """WeasyPrint's ``url_fetcher``: a static file of the portal (``static_file``), nothing
    else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name, content = static_file(url)
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=content, headers={"Content-Type": content_type})

    return StaticFilesFetcher()


def pdf_limited(request) -> bool:
    return exceeds_any(request, PDF_LIMITS, method="GET")


def sheet_pdf_response(request, template_name: str, context: dict, action) -> HttpResponse:
    """The sheet's page (``template_name`` with ``context``) as an inline PDF named after its
    title."""
    from weasyprint import HTML

    if pdf_limited(request):
        response = render(request, "429.html", status=429)
        response["Retry-After"] = "60"
        return response
    html = render_to_string(template_name, context, request=request)
    document = HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=static_fetcher()
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(action.title)[:80] or 'fiche'}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
