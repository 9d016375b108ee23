"""CSV export of the catalogue (/actions/export.csv)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.csv_export import neutralise
from tests.actions.factories import (
    ActionFactory,
    FundingFactory,
    PartnerFactory,
    build_catalogue,
    public,
    theme,
)
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

EXPORT = reverse("catalogue:action_export")


def export(client, params=None) -> tuple[bytes, list[list[str]]]:
    response = client.get(EXPORT, params or {})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def sejour():
    federation = FederationFactory(name="Fédération du Val-de-Marne")
    structure = StructureFactory(
        name="Centre social Élan", department=department("94"), federation=federation
    )
    action = ActionFactory(
        title="Séjour à Barcelone",
        slug="sejour-a-barcelone",
        structure=structure,
        published=True,
        finished=True,
        themes=[theme("vacances-loisirs"), theme("culture")],
        publics=[public("jeunesse")],
    )
    FundingFactory(action=action, funder=PartnerFactory(caf=True), amount=Decimal("3000.50"))
    FundingFactory(action=action, funder=PartnerFactory(), amount=1500)
    return action


class TestContent:
    def test_response_is_a_utf8_csv_attachment_with_a_byte_order_mark(self, client, sejour):
        response = client.get(EXPORT)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="fiches-action.csv"'
        body = b"".join(response.streaming_content)
        assert body.startswith(b"\xef\xbb\xbf")
        assert "Séjour à Barcelone".encode() in body

    def test_one_row_per_sheet_with_its_main_fields(self, client, sejour):
        _, rows = export(client)
        assert rows[0] == [
            "Titre",
            "Structure",
            "Code département",
            "Département",
            "Fédération",
            "Statut",
            "Thèmes",
            "Publics",
            "Total des financements (€)",
            "Lien vers la fiche",
        ]
        assert rows[1] == [
            "Séjour à Barcelone",
            "Centre social Élan",
            "94",
            "Val-de-Marne",
            "Fédération du Val-de-Marne",
            "Terminée",
            "Vacances / loisirs ; Culture",
            "Jeunesse",
            "4500.50",
            "http://testserver/actions/sejour-a-barcelone/",
        ]
        assert len(rows) == 2

    def test_only_published_sheets_are_exported(self, client, sejour):
        ActionFactory(title="Brouillon", structure=sejour.structure)
        ActionFactory(title="Soumise", structure=sejour.structure, submitted=True)
        _, rows = export(client)
        assert [row[0] for row in rows[1:]] == ["Séjour à Barcelone"]

    def test_the_catalogue_filters_apply(self, client, sejour):
        ActionFactory(title="Café des parents", published=True, themes=[theme("parentalite")])
        _, rows = export(client, {"theme": "parentalite"})
        assert [row[0] for row in rows[1:]] == ["Café des parents"]
        _, rows = export(client, {"q": "barcelone", "departement": "94"})
        assert [row[0] for row in rows[1:]] == ["Séjour à Barcelone"]

    def test_a_sheet_without_funding_has_a_zero_total(self, client):
        ActionFactory(title="Sans financement", published=True)
        _, rows = export(client)
        assert rows[1][8] == "0.00"

    def test_an_empty_selection_gives_the_header_only(self, client, sejour):
        _, rows = export(client, {"theme": "sante"})
        assert len(rows) == 1


class TestFormulaInjection:
    @pytest.mark.parametrize("dangerous", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"])
    def test_cells_a_spreadsheet_would_run_are_neutralised(self, dangerous):
        assert neutralise(dangerous) == f"'{dangerous}"

    @pytest.mark.parametrize("harmless", ["Séjour", "3000.50", "", "a=b"])
    def test_other_cells_are_unchanged(self, harmless):
        assert neutralise(harmless) == harmless

    def test_a_title_starting_with_equals_is_exported_as_text(self, client):
        ActionFactory(title='=HYPERLINK("http://evil.example")', published=True)
        structure = StructureFactory(name="@centre")
        ActionFactory(title="-moins", structure=structure, published=True)
        _, rows = export(client, {"sort": "title"})
        cells = {cell for row in rows[1:] for cell in row}
        assert '\'=HYPERLINK("http://evil.example")' in cells
        assert "'-moins" in cells
        assert "'@centre" in cells


def test_export_costs_the_same_queries_for_5_and_60_sheets(client):
    structures = [action.structure for action in build_catalogue(5)]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            export(client, {"sort": "departement"})
        return len(captured)

    few = queries()
    build_catalogue(55, structures=structures[:3])
    assert queries() == few <= 3
