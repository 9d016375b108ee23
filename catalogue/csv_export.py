"""CSV export of the catalogue's selection, for spreadsheet software.

UTF-8 with a byte order mark, so that Excel and LibreOffice read the accents correctly; cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) are prefixed with an apostrophe. Streamed, so a large selection is never held
in memory; the sheets are read in chunks (two more queries per chunk, for the themes and
publics).

Rows are read as tuples of the exported columns only, not as model instances: a 10,000-row
export would otherwise read every text section (about 4 kB a sheet) and build some 700,000
objects (sheets, structures, themes, publics and their related managers), which took most of
its time at national scale (docs/benchmarks.md).
"""

import csv
from itertools import islice

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from actions.enums import ActionStatus
from actions.models import Action

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


COLUMNS = (
    "pk",
    "title",
    "slug",
    "status",
    "structure__name",
    "structure__department__code",
    "structure__department__name",
    "structure__federation__name",
    "funding_total",
)
SLUG_MARK = "--slug--"


def names_by_sheet(relation: str, ids: list[int]) -> dict[int, list[str]]:
    """The names of the themes (or publics) of the sheets ``ids``, in their usual order."""
    field = Action._meta.get_field(relation)
    target = field.m2m_reverse_field_name()
    ordering = [f"{target}__{name}" for name in field.related_model._meta.ordering]
    links = (
        field.remote_field.through.objects.filter(action_id__in=ids)
        .order_by(*ordering)
        .values_list("action_id", f"{target}__name")
    )
    names: dict[int, list[str]] = {}
    for action_id, name in links:
        names.setdefault(action_id, []).append(name)
    return names


def csv_rows(actions, request):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header())
    # One URL built, then the slug swapped in: reverse() for each row costs more than the row.
    link = request.build_absolute_uri(
        reverse("catalogue:action_detail", kwargs={"slug": SLUG_MARK})
    )
    statuses = {value: str(label) for value, label in ActionStatus.choices}
    rows = actions.prefetch_related(None).values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        ids = [values[0] for values in chunk]
        themes, publics = names_by_sheet("themes", ids), names_by_sheet("publics", ids)
        for pk, title, slug, status, structure, code, department, federation, total in chunk:
            cells = [
                title,
                structure,
                code,
                department,
                federation or "",
                statuses.get(status, status),
                " ; ".join(themes.get(pk, ())),
                " ; ".join(publics.get(pk, ())),
                f"{total:.2f}",
                link.replace(SLUG_MARK, slug),
            ]
            yield writer.writerow([neutralise(cell) for cell in cells])


def csv_response(actions, *, request, filename="fiches-action.csv") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(actions, request), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
