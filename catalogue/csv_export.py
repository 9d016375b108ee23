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
(``catalogue.records.iter_sheet_records``: a fixed number of queries per chunk), so memory does
not grow with the selection.

The CSVs of the whole catalogue (no filter; any sort) are written once per catalogue version
(``StoredExports``): the first request streams the file as it is written, later ones are sent
from disk until a write moves the version. Why a file rather than the bulk download (/donnees/)
or the page cache: the bulk download's tables are normalised, unaltered data for programs, not
these flattened, neutralised columns; the page cache holds pages of at most 1 MB in Redis or
the database, and the whole catalogue is hundreds of megabytes (~2.2 kB a sheet).
"""

import csv
import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from actions.models import ActionPartner
from pagecache import versions

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


CSV_TYPE = "text/csv; charset=utf-8; header=present"


def _csv_filename(filename: str, excel: bool) -> str:
    return f"{filename}{'-excel' if excel else ''}.csv"


def csv_response(
    actions, *, request, excel: bool = False, filename: str = "fiches-action"
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(actions, request, excel=excel), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_csv_filename(filename, excel)}"'
    return response


class StoredExports:
    """CSVs written once per catalogue version, in ``directory`` (``EXPORT_CACHE_DIR``).

    A file is named after the version's number and a digest of what its bytes depend on: the
    version's tag, the language of the headers and labels, the site's address (the URLs in
    it), the form (CSV or the CSV for Excel) and the sort. It is written beside its name and
    renamed when complete, so a reader finds a whole file or none; an interrupted download
    leaves nothing. Every write of public data moves the version: a file of an earlier
    version is never read again, and the next file written removes it.
    """

    READ_BLOCK = 1 << 16  # bytes sent at a time from a stored file

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def path(self, request, *, variant: str, excel: bool) -> Path:
        version = versions.current()
        parts = (
            versions.tag(version),
            get_language(),
            request.build_absolute_uri("/"),
            EXCEL_CSV if excel else CSV,
            variant,
        )
        digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
        return self.directory / f"{version.number}-{digest}.csv"

    def response(
        self, actions, *, request, variant: str, excel: bool = False, filename="fiches-action"
    ):
        """The CSV of ``actions`` (the whole catalogue in the order ``variant`` names): sent
        from its file when it is written, else streamed while it is written."""
        path = self.path(request, variant=variant, excel=excel)
        name = _csv_filename(filename, excel)
        try:
            stored = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        except FileNotFoundError:
            chunks = self._kept(csv_rows(actions, request, excel=excel), path)
            response = StreamingHttpResponse(chunks, content_type=CSV_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        response = FileResponse(stored, as_attachment=True, filename=name, content_type=CSV_TYPE)
        response.block_size = self.READ_BLOCK
        return response

    def _kept(self, chunks: Iterator[str], path: Path) -> Iterator[str]:
        """``chunks``, written to ``path`` as they are sent; renamed into place at the end."""
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
        try:
            with open(partial, "w", encoding="utf-8", newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
                    yield chunk
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        self._remove_other_versions(path.name.split("-", 1)[0])

    def _remove_other_versions(self, number: str) -> None:
        for stale in self.directory.glob("*-*.csv"):
            if stale.name.split("-", 1)[0] != number:
                stale.unlink(missing_ok=True)


def stored_exports() -> StoredExports:
    return StoredExports(settings.EXPORT_CACHE_DIR)


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
