"""CSV export of the catalogue's selection, for spreadsheet software.

UTF-8 with a byte order mark, so that Excel and LibreOffice read the accents correctly; cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) are prefixed with an apostrophe. Streamed, so a large selection is never held
in memory; the sheets are read in chunks (two prefetch queries per chunk).
"""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 1000


def neutralise(value) -> str:
    """A cell that cannot be run as a formula by a spreadsheet."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming with csv.writer."""

    def write(self, value):
        return value


def header() -> list[str]:
    return [
        _("Titre"),
        _("Structure"),
        _("Code département"),
        _("Département"),
        _("Fédération"),
        _("Statut"),
        _("Thèmes"),
        _("Publics"),
        _("Total des financements (€)"),
        _("Lien vers la fiche"),
    ]


def row(action, request) -> list[str]:
    structure = action.structure
    department = structure.department
    return [
        action.title,
        structure.name,
        department.code,
        department.name,
        structure.federation.name if structure.federation else "",
        action.get_status_display(),
        " ; ".join(theme.name for theme in action.themes.all()),
        " ; ".join(public.name for public in action.publics.all()),
        f"{action.funding_total:.2f}",
        request.build_absolute_uri(action.get_absolute_url()),
    ]


def csv_rows(actions, request):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header())
    for action in actions.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([neutralise(cell) for cell in row(action, request)])


def csv_response(actions, *, request, filename="fiches-action.csv") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(actions, request), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
