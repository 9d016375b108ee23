"""A dataset as CSV: the same rows as the table, unformatted, safe for spreadsheets."""

import csv
import io
from decimal import Decimal

from observatory.exports import csv_response
from observatory.figures import Column, Dataset, Row, Unit

FUNDING = Dataset(
    slug="financements",
    title="Financements par type de financeur",
    label_header="Financeur",
    columns=(Column("Total", Unit.EUROS), Column("Médiane", Unit.EUROS), Column("Fiches")),
    rows=(
        Row("Caf", (Decimal("5709800"), Decimal("12000.5"), 1234)),
        Row('=HYPERLINK("x")', (Decimal("0"), None, 0)),
    ),
)


def test_csv_has_a_header_raw_numbers_empty_cells_for_no_data_and_no_formula():
    response = csv_response(FUNDING)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="financements.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["Financeur", "Total (€)", "Médiane (€)", "Fiches"],
        ["Caf", "5709800.00", "12000.50", "1234"],
        ['\'=HYPERLINK("x")', "0.00", "", "0"],
    ]
