"""The map and a chart in a real browser: axe finds no violation, the keyboard reaches the
départements, the value shows on focus and hover, a département link leads to its page.

The page is a small template on the portal's layout, served at a URL of the live server
(Playwright answers that one request; the static files and the département pages are the
server's own)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory

from observatory.figures import ChartKind, Column, Dataset, Row
from tests.observatory.helpers import department_dataset

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = Template(
    """{% extends "layout/base.html" %}{% load static %}
{% block title %}Essai de l’observatoire{% endblock %}
{% block extra_head %}
<link rel="stylesheet" href="{% static 'css/observatory.css' %}">
{% endblock %}
{% block content %}
<h1>Essai de l’observatoire</h1>
<h2>Carte</h2>
{% include "observatory/includes/map.html" with dataset=map %}
{% include "observatory/includes/table.html" with dataset=map %}
<h2>Par année</h2>
{% include "observatory/includes/chart.html" with dataset=years csv_url="/annees.csv" %}
<h2>Par thème</h2>
{% include "observatory/includes/chart.html" with dataset=themes %}
{% endblock %}"""
)
VALUES = {"01": 0, "36": 14, "59": 143, "62": 12, "75": 7, "2A": 2, "971": 3, "974": 40}


def page_html():
    request = RequestFactory().get("/essai-observatoire/")
    request.user = AnonymousUser()
    years = Dataset(
        slug="annees",
        title="Fiches par année",
        label_header="Année",
        columns=(Column("Fiches"),),
        rows=tuple(Row(str(year), (count,)) for year, count in [(2023, 4), (2024, 9), (2025, 0)]),
        chart=ChartKind.COLUMNS,
    )
    themes = Dataset(
        slug="themes",
        title="Fiches par thème",
        label_header="Thème",
        columns=(Column("Fiches"),),
        rows=(Row("Parentalité", (12,), href="/actions/?theme=parentalite"), Row("Santé", (None,))),
    )
    context = {"map": department_dataset(VALUES), "years": years, "themes": themes}
    return PAGE.render(RequestContext(request, context))


@pytest.fixture
def observatory_page(page, live_server):
    html = page_html()
    page.route(
        f"{live_server.url}/essai-observatoire/",
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
    )
    page.goto("/essai-observatoire/")
    return page


def test_the_page_with_the_map_and_charts_has_no_accessibility_violation(
    observatory_page, axe_violations, artifacts_dir
):
    page = observatory_page
    assert page.locator("svg.choropleth a").count() == 101
    assert page.get_by_role("img", name="Fiches par année").is_visible()
    assert page.get_by_role("table", name="Fiches par thème").is_visible()
    page.screenshot(path=artifacts_dir / "observatoire-essai-1280.png", full_page=True)
    assert axe_violations() == []
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=artifacts_dir / "observatoire-essai-375.png", full_page=True)
    assert axe_violations() == []


def test_the_keyboard_reaches_the_departements_and_their_value_shows_on_focus(
    observatory_page, artifacts_dir
):
    page = observatory_page
    ain = page.get_by_role("link", name="Ain (01) — Fiches publiées : 0")
    readout = page.locator('a[data-code="01"] .lecture')
    assert not readout.is_visible()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg.choropleth') !== null"):
            break
    assert page.evaluate("document.activeElement.getAttribute('data-code')") == "01"
    assert readout.is_visible()
    assert readout.text_content() == "Ain (01) — Fiches publiées : 0"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-code')") == "02"
    assert not readout.is_visible()
    page.locator("svg.choropleth").screenshot(path=artifacts_dir / "observatoire-focus.png")

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/departements/01/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ain")
    assert ain.count() == 0


def test_the_value_shows_on_hover(observatory_page):
    page = observatory_page
    page.locator('a[data-code="36"] path').hover()
    readout = page.locator('a[data-code="36"] .lecture')
    assert readout.is_visible()
    assert readout.text_content() == "Indre (36) — Fiches publiées : 14"
