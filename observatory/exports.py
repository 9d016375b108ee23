"""A dataset as a CSV download: the figures of a chart or of the map, unformatted.

Same conventions as the catalogue's export (``actions/csv_export.py``): UTF-8 with a byte order
mark, cells that a spreadsheet would run as a formula neutralised. Numbers are written as
spreadsheets read them (``1234``, ``5709800.00``), "no data" as an empty cell.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from catalogue.csv_export import BOM, neutralise

from .figures import Column, Dataset, Unit


def header(column: Column) -> str:
    if column.unit is Unit.EUROS:
        return _("%(header)s (€)") % {"header": column.header}
    return column.header


def cell(column: Column, value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if column.unit is Unit.EUROS else str(value)


def csv_text(dataset: Dataset) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        [neutralise(dataset.label_header), *(neutralise(header(c)) for c in dataset.columns)]
    )
    for row in dataset.rows:
        cells = (
            cell(column, value) for column, value in zip(dataset.columns, row.values, strict=True)
        )
        writer.writerow([neutralise(row.label), *(neutralise(text) for text in cells)])
    return BOM + output.getvalue()


def csv_response(dataset: Dataset) -> HttpResponse:
    response = HttpResponse(csv_text(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    return response
