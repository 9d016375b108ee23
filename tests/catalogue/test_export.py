"""Spreadsheet exports of the catalogue's selection: the standard CSV (/actions/export.csv),
the CSV for Excel in French (/actions/export-excel.csv) and XLSX (/actions/export.xlsx)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.enums import PartnerRole
from actions.sections import SECTIONS
from catalogue.csv_export import header, neutralise
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    AttachmentFactory,
    FundingFactory,
    PartnerFactory,
    build_catalogue,
    dimension,
    public,
    theme,
)
from tests.catalogue.unpublished import leaked, unpublished_sheets
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CSV_URL = reverse("catalogue:action_export")
EXCEL_URL = reverse("catalogue:action_export_excel")
XLSX_URL = reverse("catalogue:action_export_xlsx")


def body(client, url, params=None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200
    # Read to its end, the test client closes it (and the XLSX's temporary file), as a server
    # does. Not response.close(): that would also close the test's database connection.
    return b"".join(response.streaming_content)


def export(client, params=None) -> list[dict[str, str]]:
    """The standard CSV's rows, as {header: cell}."""
    rows = list(csv.reader(io.StringIO(body(client, CSV_URL, params).decode("utf-8"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def excel_rows(client, params=None) -> list[list[str]]:
    text = body(client, EXCEL_URL, params).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(client, params=None) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(body(client, XLSX_URL, params)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def sejour():
    federation = FederationFactory(name="Fédération du Val-de-Marne")
    structure = StructureFactory(
        name="Centre social Élan",
        department=department("94"),
        federation=federation,
        commune="Ivry-sur-Seine",
    )
    action = ActionFactory(
        title="Séjour à Barcelone",
        slug="sejour-a-barcelone",
        structure=structure,
        published=True,
        finished=True,
        dimension=dimension("citoyennete"),
        themes=[theme("vacances-loisirs"), theme("culture")],
        publics=[public("jeunesse")],
        summary="Un séjour préparé par les jeunes.",
        total_budget=Decimal("6000"),
        staff_count=2,
        year=2023,
    )
    caf = PartnerFactory(caf=True)
    FundingFactory(action=action, funder=caf, amount=Decimal("3000.50"), year=2023)
    FundingFactory(action=action, funder=PartnerFactory(name="Ville d'Ivry"), amount=1500)
    ActionPartnerFactory(action=action, partner=PartnerFactory(name="ANCV"))
    ActionPartnerFactory(action=action, partner=caf, role=PartnerRole.FINANCIAL)
    AttachmentFactory(action=action, title="Programme du séjour")
    return action


class TestStandardCsv:
    def test_response_is_an_rfc_4180_csv_in_utf8_without_a_byte_order_mark(self, client, sejour):
        response = client.get(CSV_URL)
        assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
        assert response["Content-Disposition"] == 'attachment; filename="fiches-action.csv"'
        content = b"".join(response.streaming_content)
        assert not content.startswith(b"\xef\xbb\xbf")
        assert content.startswith(b"Titre,")
        assert b"\r\n" in content and "Séjour à Barcelone".encode() in content

    def test_every_section_of_the_published_format_has_a_column(self, client, sejour):
        headers = list(export(client)[0])
        assert headers == header()
        for section in SECTIONS:
            assert any(h.startswith(str(section.heading)) for h in headers), section.field
        assert len(headers) > 30

    def test_one_row_per_sheet_with_its_sections(self, client, sejour):
        (row,) = export(client)
        assert row["Titre"] == "Séjour à Barcelone"
        assert row["Adresse de la fiche"] == "http://testserver/actions/sejour-a-barcelone/"
        assert row["Structure organisatrice"] == "Centre social Élan"
        assert row["Commune"] == "Ivry-sur-Seine"
        assert row["Code département"] == "94"
        assert row["Département"] == "Val-de-Marne"
        assert row["Région"] == "Île-de-France"
        assert row["Fédération"] == "Fédération du Val-de-Marne"
        assert row["Statut de l'action"] == "Terminée"
        assert row["Raisons pour lesquelles l'action est terminée"] == "Projet mené à terme"
        assert row["Dimension"] == "Citoyenneté"
        assert row["Mots clés associés à l'action"] == "Vacances / loisirs ; Culture"
        assert row["Public"] == "Jeunesse"
        assert row["Résumé"] == "Un séjour préparé par les jeunes."
        partners = "Avec qui cette action a-t-elle été menée ?"
        assert row[f"{partners} – Partenaire d'action"] == "ANCV"
        assert row[f"{partners} – Partenaire financier"] == "Caf"
        assert row["Fichier(s) associé(s)"] == "Programme du séjour"
        assert row["Budget total (€)"] == "6000.00"
        assert row["Nombre de salariés"] == "2"
        assert row["Nombre de bénévoles"] == ""
        assert row["Année"] == "2023"
        assert row["Lignes de financement"] == "Caf : 3000.50 (2023) ; Ville d'Ivry : 1500.00"
        assert row["Total des financements (€)"] == "4500.50"

    def test_only_published_sheets_and_their_partners_are_exported(self, client, sejour):
        secrets = unpublished_sheets(sejour.structure)
        text = body(client, CSV_URL).decode()
        assert [row["Titre"] for row in export(client)] == ["Séjour à Barcelone"]
        assert leaked(text, secrets) == []

    def test_the_catalogue_filters_apply(self, client, sejour):
        ActionFactory(title="Café des parents", published=True, themes=[theme("parentalite")])
        assert [r["Titre"] for r in export(client, {"theme": "parentalite"})] == [
            "Café des parents"
        ]
        rows = export(client, {"q": "barcelone", "departement": "94"})
        assert [r["Titre"] for r in rows] == ["Séjour à Barcelone"]

    def test_a_sheet_without_funding_has_a_zero_total(self, client):
        ActionFactory(title="Sans financement", published=True)
        (row,) = export(client)
        assert row["Total des financements (€)"] == "0.00"
        assert row["Lignes de financement"] == ""

    def test_an_empty_selection_gives_the_header_only(self, client, sejour):
        assert export(client, {"theme": "sante"}) == []


class TestExcelCsv:
    def test_semicolons_a_byte_order_mark_and_decimal_commas(self, client, sejour):
        response = client.get(EXCEL_URL)
        assert response["Content-Disposition"] == 'attachment; filename="fiches-action-excel.csv"'
        assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfTitre;")
        head, row = excel_rows(client)
        assert head == header()
        cells = dict(zip(head, row, strict=True))
        assert cells["Total des financements (€)"] == "4500,50"
        assert cells["Budget total (€)"] == "6000,00"
        assert cells["Lignes de financement"] == "Caf : 3000,50 (2023) ; Ville d'Ivry : 1500,00"

    def test_only_published_sheets_are_exported(self, client, sejour):
        secrets = unpublished_sheets(sejour.structure)
        text = body(client, EXCEL_URL).decode("utf-8-sig")
        assert [row[0] for row in excel_rows(client)[1:]] == ["Séjour à Barcelone"]
        assert leaked(text, secrets) == []


class TestXlsx:
    def test_a_workbook_with_typed_numbers_and_dates(self, client, sejour):
        response = client.get(XLSX_URL)
        b"".join(response.streaming_content)
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert response["Content-Disposition"] == 'attachment; filename="fiches-action.xlsx"'
        head, row = xlsx_rows(client)
        assert list(head) == header()
        cells = dict(zip(head, row, strict=True))
        assert cells["Titre"] == "Séjour à Barcelone"
        assert cells["Total des financements (€)"] == Decimal("4500.50")
        assert cells["Année"] == 2023
        assert cells["Publiée le"].year == sejour.published_at.year

    def test_text_is_never_a_formula_and_stays_verbatim(self, client):
        ActionFactory(title='=HYPERLINK("http://evil.example")', published=True, summary="- un")
        workbook = openpyxl.load_workbook(io.BytesIO(body(client, XLSX_URL)))
        cells = [cell for row in workbook.active.iter_rows(min_row=2) for cell in row]
        title = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
        assert title.data_type == "s"
        assert "- un" in [c.value for c in cells]

    def test_control_characters_that_xlsx_forbids_are_dropped(self, client):
        ActionFactory(title="Titre\x0bavec\x01contrôle", published=True)
        assert xlsx_rows(client)[1][0] == "Titreaveccontrôle"

    def test_only_published_sheets_and_their_partners_are_exported(self, client, sejour):
        secrets = unpublished_sheets(sejour.structure)
        rows = xlsx_rows(client)
        assert [row[0] for row in rows[1:]] == ["Séjour à Barcelone"]
        assert leaked(repr(rows), secrets) == []


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
        for rows in (
            [list(row.values()) for row in export(client, {"sort": "title"})],
            excel_rows(client, {"sort": "title"})[1:],
        ):
            cells = {cell for row in rows for cell in row}
            assert '\'=HYPERLINK("http://evil.example")' in cells
            assert "'-moins" in cells
            assert "'@centre" in cells


def test_each_export_costs_the_same_queries_for_5_and_60_sheets(client):
    structures = [action.structure for action in build_catalogue(5)]

    def queries():
        # A selection of every sheet, through a filter: the whole catalogue's CSVs are stored
        # once per catalogue version (tests/catalogue/test_growing_paths.py).
        selection = {"sort": "departement", "departement": ["94", "31", "2A"]}
        counts = []
        for url in (CSV_URL, EXCEL_URL, XLSX_URL):
            with CaptureQueriesContext(connection) as captured:
                body(client, url, selection)
            counts.append(len(captured))
        return counts

    few = queries()
    build_catalogue(55, structures=structures[:3])
    assert queries() == few
    assert max(few) <= 10  # 9, and the département options read once for the filter


def test_a_workbook_too_large_is_refused_with_the_other_ways(client, monkeypatch):
    monkeypatch.setattr("catalogue.views.XLSX_MAX_ROWS", 2)
    for _ in range(3):
        ActionFactory(published=True, themes=[theme("culture")])
    response = client.get(XLSX_URL, {"theme": "culture"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="/actions/export-excel.csv?theme=culture"' in html
    assert 'href="/donnees/"' in html
    assert body(client, XLSX_URL, {"theme": "culture", "year_min": 2100})
