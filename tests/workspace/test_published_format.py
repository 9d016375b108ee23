"""A section is one declaration (actions/sections.py): a throw-away section declared here shows
in the workspace form (and is saved from it), on the public sheet page and in the CSV export; a
section left out of the declaration shows in none of them.

The throw-away section is the column of an older layout's section (``diagnostic``, which the
form does not offer) declared as a section of the current format, under a heading of its own:
a test cannot add a column to the table, and a new text section's column is made from the
same declaration (``actions.models.SectionTexts``) by the migration ``makemigrations`` writes.
"""

import csv
import io
from dataclasses import replace

import pytest
from django.urls import reverse

from actions import sections
from actions.models import Action
from tests.actions.factories import ActionFactory, public, theme
from tests.workspace.conftest import sheet_data

pytestmark = pytest.mark.django_db

HEADING = "Évaluation partagée (section jetable)"
TEXT = "Une évaluation menée avec les familles en fin de séjour."


def throwaway_format() -> tuple[sections.Section, ...]:
    older = sections.section("diagnostic")
    throwaway = replace(
        older, heading=HEADING, label="Évaluation partagée", counts_for_completeness=True
    )
    others = [s for s in sections.SECTIONS if s.field != "diagnostic"]
    return (*others, throwaway)


@pytest.fixture
def with_throwaway_section(monkeypatch):
    monkeypatch.setattr(sections, "SECTIONS", throwaway_format())


@pytest.fixture
def without_results_for_residents(monkeypatch):
    kept = tuple(s for s in sections.SECTIONS if s.field != "result_residents")
    monkeypatch.setattr(sections, "SECTIONS", kept)


def published_sheet(**fields) -> Action:
    return ActionFactory(
        published=True,
        themes=[theme("culture")],
        publics=[public("familles")],
        diagnostic=TEXT,
        result_residents="Les familles sont reparties ensemble.",
        **fields,
    )


def csv_rows(client) -> list[dict]:
    response = client.get(reverse("catalogue:action_export"))
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.usefixtures("with_throwaway_section")
class TestAThrowAwaySection:
    def test_the_workspace_form_offers_it_under_its_heading(self, staff_client):
        html = staff_client.get(reverse("workspace:action_create")).content.decode()
        assert f"<legend>{HEADING}</legend>" in html.replace('<legend class="">', "<legend>")
        assert '<textarea name="diagnostic"' in html

    def test_the_workspace_form_saves_it(self, staff_client, world):
        data = sheet_data(structure=world.structure_a1.pk, diagnostic=TEXT)
        assert staff_client.post(reverse("workspace:action_create"), data).status_code == 302
        assert Action.objects.get(title=data["title"]).diagnostic == TEXT

    def test_it_counts_for_completeness(self, world):
        sheet = world.sheet_a1
        assert "diagnostic" in {s.field for s in sections.empty_sections(sheet)}
        sheet.diagnostic = TEXT
        assert "diagnostic" not in {s.field for s in sections.empty_sections(sheet)}

    def test_the_public_page_shows_it(self, client):
        sheet = published_sheet()
        html = client.get(sheet.get_absolute_url()).content.decode()
        assert HEADING in html
        assert TEXT in html

    def test_the_csv_export_has_its_column(self, client):
        published_sheet()
        [row] = csv_rows(client)
        assert row[HEADING] == TEXT


class TestWithoutTheThrowAwaySection:
    def test_the_form_does_not_offer_the_older_layout_section(self, staff_client):
        html = staff_client.get(reverse("workspace:action_create")).content.decode()
        assert HEADING not in html
        assert '<textarea name="diagnostic"' not in html


@pytest.mark.usefixtures("without_results_for_residents")
class TestASectionLeftOut:
    def test_the_form_does_not_offer_it(self, staff_client):
        html = staff_client.get(reverse("workspace:action_create")).content.decode()
        assert "Résultat pour les habitants" not in html
        assert 'name="result_residents"' not in html

    def test_the_public_page_does_not_show_it(self, client):
        sheet = published_sheet()
        html = client.get(sheet.get_absolute_url()).content.decode()
        assert "Résultat pour les habitants" not in html
        assert "Les familles sont reparties ensemble." not in html

    def test_the_csv_export_has_no_column_for_it(self, client):
        published_sheet()
        [row] = csv_rows(client)
        assert "Résultat pour les habitants" not in row
