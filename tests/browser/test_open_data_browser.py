"""The pages people read about the open data, in a real browser: /donnees/ and the API's
browsable docs load under the portal's content security policy without a console error, a
refused resource or a request to any other origin; /donnees/ passes axe."""

import pytest
from django.test import override_settings

from opendata.export import publish
from tests.sample import load_sample

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""
# Pages of the portal have no favicon yet: the browser's own request for one is not theirs.
BROWSER_OWN = ("/favicon.ico",)


@pytest.fixture
def exported(tmp_path, live_server):
    load_sample()
    destination = tmp_path / "donnees"
    publish(destination, base_url=live_server.url)
    with override_settings(OPEN_DATA_DIR=destination):
        yield destination


@pytest.fixture
def problems(page, live_server):
    """``problems()``: what went wrong on ``page`` so far: CSP violations, console errors,
    uncaught exceptions, failed responses and requests to other origins (empty lists when
    nothing did)."""
    seen = {"console": [], "exceptions": [], "failed": [], "elsewhere": []}
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")  # reported with its URL below
            and seen["console"].append(m.text)
        ),
    )
    page.on("pageerror", lambda error: seen["exceptions"].append(str(error)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith(BROWSER_OWN)
            and seen["failed"].append(f"{r.status} {r.url}")
        ),
    )
    page.on(
        "request",
        lambda r: (
            not r.url.startswith((live_server.url, "data:", "blob:"))
            and seen["elsewhere"].append(r.url)
        ),
    )

    def report():
        return {**seen, "csp": page.evaluate("window.__cspViolations")}

    return report


NOTHING = {"console": [], "exceptions": [], "failed": [], "elsewhere": [], "csp": []}


def test_the_open_data_page_loads_cleanly_under_the_policy(exported, page, problems, artifacts_dir):
    page.goto("/donnees/")
    assert page.get_by_role("heading", level=1).inner_text() == "Données ouvertes"
    assert page.get_by_role("link", name="actions.csv").is_visible()
    assert page.get_by_role("heading", name="fundings.csv · Lignes de financement").count() == 1
    page.screenshot(path=artifacts_dir / "donnees-1280.png")
    assert problems() == NOTHING


def test_the_open_data_page_has_no_accessibility_violation(exported, page, axe_violations):
    page.goto("/donnees/")
    assert axe_violations() == []


def test_a_file_downloads_from_the_page(exported, page, problems):
    page.goto("/donnees/")
    with page.expect_download() as download:
        page.get_by_role("link", name="regions.csv").click()
    assert download.value.suggested_filename == "regions.csv"
    assert problems() == NOTHING


def test_the_api_docs_load_from_the_portal_alone_under_the_policy(page, problems, artifacts_dir):
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/actions/", exact=True).first.wait_for()
    assert page.get_by_text("Versions et stabilité").is_visible()
    page.screenshot(path=artifacts_dir / "api-docs-1280.png")
    assert problems() == NOTHING


def test_trying_an_operation_in_the_docs_calls_the_api(page, problems, db):
    page.goto("/api/v1/docs")
    operation = page.locator("#operations-réseau-api_v1_list_regions")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response("**/api/v1/regions/") as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert problems() == NOTHING
