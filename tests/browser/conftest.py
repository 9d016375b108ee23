"""Browser tests: Debian's Chromium driven by Playwright's Python API against ``live_server``.

Playwright's own browser downloads are not used (no network): the system Chromium is launched
through ``executable_path``. Screenshots go to ``test-artifacts/`` (git-ignored).
"""

import functools
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM would otherwise
# refuse to run next to it (SynchronousOnlyOperation) in fixtures and live_server set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's chromium-headless-shell: the same Chromium as the chromium package, in its headless
# build without the browser's own layer (what Playwright itself launches for headless tests).
# Same pixels and axe results as the full browser on the portal's pages, a third less CPU.
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium-headless-shell"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
# axe-core, vendored (see vendor/axe-core/README.md), and the rules it runs: WCAG 2.2 A and AA.
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One Chromium for the test process. While it runs, Playwright's event loop runs in this
    thread, and Django keeps the database connections opened meanwhile apart from the others
    (asgiref's Local follows the event loop): they are closed here, inside the loop, so that
    none is left when the test database is dropped (``django_db_setup``, torn down after)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's "
            "chromium-headless-shell."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@functools.cache
def _axe_source() -> str:
    return AXE.read_text("utf-8")


@pytest.fixture
def axe_violations(page):
    """``axe_violations()`` runs axe-core on the page as it is now and returns its violations,
    each reduced to its rule, impact and the selectors of the offending elements."""

    def run():
        # Evaluated, not added as a <script>: the portal's CSP refuses scripts it did not serve.
        # Once per document: a second run on the same page (at another width) reuses it.
        if page.evaluate("typeof axe === 'undefined'"):
            page.evaluate(_axe_source())
        # resultTypes: the passing, incomplete and inapplicable rules list one node each instead
        # of all of them (axe-core's API.md); the violations come back the same, every node.
        violations = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']}).then(results => results.violations)",
            AXE_TAGS,
        )
        return [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "nodes": [node["target"] for node in violation["nodes"]],
            }
            for violation in violations
        ]

    return run


@pytest.fixture
def login(page):
    """Log ``user`` in through the real login form (password from the factories)."""

    def do_login(user, password="mot-de-passe-de-test"):
        page.goto("/comptes/connexion/")
        page.get_by_label("Nom d’utilisateur").or_(page.get_by_label("Nom d'utilisateur")).fill(
            user.username
        )
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()

    return do_login
