"""Spreadsheet exports of the catalogue's selection: one row per sheet, with every part of the
published format (catalogue/records.py), in three forms.

- ``CSV``: RFC 4180 (comma, CRLF line ends, double quotes), UTF-8 *without* a byte order mark,
  decimal point. The form for programs: a BOM is no part of RFC 4180 and most CSV readers
  take it for the first letter of the first header; the media type already says UTF-8.
- ``EXCEL_CSV``: what Excel opens by a double click in a French locale: semicolons, decimal
  comma, and a UTF-8 BOM (without it, Excel reads the accents as Windows-1252).
- ``XLSX`` (openpyxl, write-only: rows go to a temporary file, not to memory): numbers and
  dates as typed cells, text as string cells, so nothing is ever run as a formula. A
  workbook is written whole before it is sent (about 50 µs a cell, 45 cells a sheet), so it
  holds at most ``XLSX_MAX_ROWS`` sheets; the CSVs and the bulk download have no limit.

In both CSV forms, cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are prefixed with an apostrophe: a file downloaded from
a web page is opened in a spreadsheet sooner or later. Programs wanting the text verbatim read
the API or the bulk download (/donnees/).

The CSVs are streamed; sheets are read ``CHUNK_SIZE`` at a time as records
(``catalogue.records.iter_sheet_records``: a fixed number of queries per chunk).
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from actions.models import ActionPartner

from . import records
from .records import Links, Part, iter_sheet_records

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500
LIST_SEPARATOR = " ; "

CSV, EXCEL_CSV, XLSX = "csv", "excel-csv", "xlsx"


def neutralise(value) -> str:
    """A cell that cannot be run as a formula by a spreadsheet."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


# Columns: the parts of a record, flattened ---------------------------------------------------

TEXT, NUMBER, MOMENT, LINES = "text", "number", "moment", "lines"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # TEXT, NUMBER (int, Decimal or None), MOMENT (aware datetime or None), LINES
    value: Callable[[dict], object]


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _labels(key: str) -> Callable[[dict], str]:
    return lambda record: _joined(entry["label"] for entry in record[key])


def _euros(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _part_columns(part: Part) -> list[Column]:
    name, label = part.name, str(part.label)
    if part.kind == records.SLUG:
        return []  # the URL column names the sheet
    if part.kind in (records.TEXT, records.URL):
        return [Column(label, TEXT, lambda r: r[name])]
    if part.kind == records.DATETIME:
        return [Column(label, MOMENT, lambda r: r[name])]
    if part.kind == records.CHOICE:
        return [Column(label, TEXT, lambda r: r[name]["label"])]
    if part.kind == records.TERM:
        return [Column(label, TEXT, lambda r: r[name]["label"] if r[name] else "")]
    if part.kind == records.TERMS:
        return [Column(label, TEXT, _labels(name))]
    if part.kind == records.INTEGER:
        return [Column(label, NUMBER, lambda r: r[name])]
    if part.kind == records.AMOUNT:
        return [Column(label, NUMBER, lambda r: _euros(r[name]))]
    if part.kind == records.STRUCTURE:
        return [
            Column(label, TEXT, lambda r: r[name]["name"]),
            Column(_("Commune"), TEXT, lambda r: r[name]["commune"]),
            Column(_("Code département"), TEXT, lambda r: r[name]["departement"]["code"]),
            Column(_("Département"), TEXT, lambda r: r[name]["departement"]["name"]),
            Column(_("Région"), TEXT, lambda r: r[name]["region"]["name"]),
            Column(
                _("Fédération"),
                TEXT,
                lambda r: r[name]["federation"]["name"] if r[name]["federation"] else "",
            ),
        ]
    if part.kind == records.PARTNERS:
        return [
            Column(
                f"{label} – {role_label}",
                TEXT,
                lambda r, role=role: _joined(
                    p["name"] for p in r[name] if p["role"]["slug"] == role
                ),
            )
            for role, role_label in ActionPartner._meta.get_field("role").flatchoices
        ]
    if part.kind == records.ATTACHMENTS:
        return [Column(label, TEXT, lambda r: _joined(a["title"] for a in r[name]))]
    if part.kind == records.FUNDINGS:
        return [Column(label, LINES, lambda r: r[name])]
    raise ValueError(f"No spreadsheet column for a part of kind {part.kind}.")


def columns() -> list[Column]:
    return [column for part in records.parts() for column in _part_columns(part)]


def header() -> list[str]:
    return [column.header for column in columns()]


# Rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notation:
    """How one form writes numbers, moments and funding lines as text."""

    decimal: str

    def number(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", self.decimal)
        return str(value)

    def moment(self, value: datetime | None) -> str:
        return "" if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def fundings(self, lines) -> str:
        return _joined(
            f"{line['funder']['name']} : {self.number(_euros(line['amount']))}"
            + (f" ({line['year']})" if line["year"] else "")
            + (f" – {line['note']}" if line["note"] else "")
            for line in lines
        )

    def cells(self, record: dict, columns: list[Column]) -> list[str]:
        cells = []
        for column in columns:
            value = column.value(record)
            if column.kind == NUMBER:
                cells.append(self.number(value))
            elif column.kind == MOMENT:
                cells.append(self.moment(value))
            elif column.kind == LINES:
                cells.append(neutralise(self.fundings(value)))
            else:
                cells.append(neutralise(value))
        return cells


POINT, COMMA = Notation(decimal="."), Notation(decimal=",")


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming with csv.writer."""

    def write(self, value):
        return value


def csv_rows(actions, request, *, excel: bool = False) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",")
    notation = COMMA if excel else POINT
    cols = columns()
    yield (BOM if excel else "") + writer.writerow(header())
    for record in iter_sheet_records(actions, Links.for_request(request), batch=CHUNK_SIZE):
        yield writer.writerow(notation.cells(record, cols))


def csv_response(
    actions, *, request, excel: bool = False, filename: str = "fiches-action"
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(actions, request, excel=excel),
        content_type="text/csv; charset=utf-8; header=present",
    )
    suffix = "-excel" if excel else ""
    response["Content-Disposition"] = f'attachment; filename="{filename}{suffix}.csv"'
    return response


# XLSX ------------------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 5000


def _xlsx_cell(sheet, column: Column, value):
    if column.kind == MOMENT:
        value = None if value is None else timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if column.kind == NUMBER:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
        return cell
    if column.kind == LINES:
        value = POINT.fundings(value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value or ""))
    cell.data_type = "s"  # a string, even when it starts with "=": never a formula
    return cell


def xlsx_response(actions, *, request, filename: str = "fiches-action") -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Fiches action"))
    cols = columns()
    bold = Font(bold=True)
    titles = []
    for title in header():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for record in iter_sheet_records(actions, Links.for_request(request), batch=CHUNK_SIZE):
        sheet.append([_xlsx_cell(sheet, column, column.value(record)) for column in cols])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
