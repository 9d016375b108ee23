"""A strict content security policy, and pages it does not break: no inline script, event
handler or style attribute left in what the portal renders (the browser test checks that
Chromium reports no violation)."""

import base64
import hashlib
import re

import pytest

from tests.actions.factories import ActionFactory
from tests.federations.factories import FederationFactory, MembershipFactory, StructureFactory

pytestmark = pytest.mark.django_db

INLINE = [
    # An inline script element; a data block (JSON, JSON-LD) is never run, so CSP allows it.
    re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>", re.I),
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),  # onclick=, onchange=...
    re.compile(r"javascript:", re.IGNORECASE),
]
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_get_a_policy_of_the_portals_own_files_only(client):
    response = client.get("/")
    policy = directives(response)

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.fixture
def pages(client, admin_user):
    """Public pages, the workspace and the admin, as their users see them."""
    federation = FederationFactory()
    sheet = ActionFactory(published=True, structure=StructureFactory(federation=federation))
    staff = MembershipFactory(federation=federation).user
    public = ["/", "/actions/", f"/actions/{sheet.slug}/", "/themes/", "/departements/"]
    public += ["/federations/", f"/structures/{sheet.structure.slug}/", "/comptes/connexion/"]
    public += ["/comptes/mot-de-passe/oubli/", "/une-page-absente/", "/donnees/", "/api/v1/docs"]
    rendered = {url: client.get(url) for url in public}
    client.force_login(staff)
    for url in ["/espace/", "/espace/actions/nouvelle/", f"/espace/actions/{sheet.pk}/modifier/"]:
        rendered[url] = client.get(url)
    client.force_login(admin_user)
    for url in [
        "/admin/",
        "/admin/actions/action/",
        f"/admin/actions/action/{sheet.pk}/change/",
        f"/admin/actions/action/{sheet.pk}/history/",
        "/admin/federations/structure/add/",
    ]:
        rendered[url] = client.get(url)
    return rendered


def test_no_page_has_inline_script_handler_or_style(pages):
    for url, response in pages.items():
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        for pattern in INLINE:
            found = pattern.search(html)
            assert found is None, f"{url}: {html[max(found.start() - 80, 0) : found.end() + 80]}"
        allowed_styles = directives(response).get("style-src-attr", [])
        for style in STYLE_ATTRIBUTE.findall(html):
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed_styles, f"{url}: style={style!r}"
