"""The map and a chart in a real browser: axe finds no violation, the keyboard reaches the
départements, the value shows on focus and hover, a département link leads to its page.

First on a small template on the portal's layout, served at a URL of the live server
(Playwright answers that one request; the static files and the département pages are the
server's own); then the observatory's own pages on the sample fixture."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory

from observatory.figures import ChartKind, Column, Dataset, Row
from tests.observatory.helpers import department_dataset
from tests.sample import load_sample

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
    # The département's page has its own map (of its région), not the test page's.
    assert page.get_by_role("heading", name="Essai de l’observatoire").count() == 0
    assert ain.count() == 1


def test_the_value_shows_on_hover(observatory_page):
    page = observatory_page
    page.locator('a[data-code="36"] path').hover()
    readout = page.locator('a[data-code="36"] .lecture')
    assert readout.is_visible()
    assert readout.text_content() == "Indre (36) — Fiches publiées : 14"


# The observatory's pages, on the sample fixture ---------------------------------------------


@pytest.fixture
def sample(db):
    load_sample()


def test_the_observatory_of_a_theme_its_map_tables_and_a_departement_link(
    page, sample, axe_violations, artifacts_dir
):
    page.goto("/observatoire/?theme=vacances-loisirs")
    assert page.title() == "Observatoire · Fiches action"
    assert page.locator("html").get_attribute("lang") == "fr"
    map_ = page.get_by_role("group", name="Fiches publiées par département")
    assert map_.locator("a").count() == 101
    for table in ("Fiches par thème", "Fiches par année de l’action", "Structures par type"):
        assert page.get_by_role("table", name=table).is_visible()
    assert page.get_by_role("img", name="Fiches par thème").is_visible()
    themes = page.get_by_role("table", name="Fiches par thème")
    assert themes.get_by_role("row", name="Vacances / loisirs 11").is_visible()
    # The same selection in the catalogue, both ways.
    assert (
        page.get_by_role("link", name="Voir la liste de ces actions").get_attribute("href")
        == "/actions/?theme=vacances-loisirs"
    )
    assert page.get_by_label(re.compile(r"^Vacances / loisirs")).is_checked()

    page.screenshot(path=artifacts_dir / "observatoire-1280.png", full_page=True)
    assert axe_violations() == []
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=artifacts_dir / "observatoire-375.png", full_page=True)
    assert axe_violations() == []
    page.set_viewport_size({"width": 1280, "height": 900})

    map_.locator('a[data-code="94"] path').click()
    page.wait_for_url("**/departements/94/")
    assert page.get_by_role("heading", level=1).inner_text() == "Val-de-Marne (94)"
    assert page.get_by_role("heading", name="Le réseau en chiffres").is_visible()


def test_the_catalogue_and_the_observatory_switch_with_the_selection(page, sample):
    page.goto("/actions/?theme=vacances-loisirs&departement=94")
    page.get_by_role("link", name="Voir sur la carte et en chiffres").click()
    page.wait_for_url("**/observatoire/?theme=vacances-loisirs&departement=94")
    key_figures = page.locator(".figures li").first
    assert key_figures.inner_text().split() == ["2", "actions", "publiées"]
    page.get_by_label(re.compile(r"^Val-de-Marne \(94\)")).uncheck()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r".*/observatoire/\?theme=vacances-loisirs$"))
    assert page.locator(".figures li").first.inner_text().split()[0] == "11"


def test_a_federation_page_in_figures(page, sample, axe_violations, artifacts_dir):
    page.goto("/federations/federation-des-centres-sociaux-du-val-de-marne/")
    figures = page.get_by_role("region", name="Le réseau en chiffres")
    assert figures.get_by_role("group", name="Fiches publiées par département").is_visible()
    assert figures.get_by_role("table", name="Structures par type").is_visible()
    page.screenshot(path=artifacts_dir / "federation-1280.png", full_page=True)
    assert axe_violations() == []
