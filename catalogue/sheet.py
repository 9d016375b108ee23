"""What the public page of a sheet shows: its sections, in the published order, empty ones out.

The order, the headings and what is empty come from ``actions.sections`` (the published
format).
Reads related rows through ``.all()`` only, so a sheet fetched with
``Action.objects.for_sheet()`` costs no further query.
"""

from dataclasses import dataclass
from typing import Any

from actions import sections
from actions.enums import PartnerRole
from actions.formatting import format_euros
from actions.models import Action

from .facets import declared
from .facets.declaration import Path


@dataclass
class SheetSection:
    field: str
    heading: str
    kind: str  # how the template renders ``value``
    value: Any
    parameter: str = ""  # catalogue parameter of "links" sections


def _people(action: Action) -> dict:
    return {
        "text": action.people_mobilised,
        "staff": action.staff_count,
        "volunteers": action.volunteer_count,
        "participants": action.participant_count,
    }


def _funding(action: Action) -> dict:
    lines = list(action.fundings.all())
    return {
        "text": action.financial_resources,
        "lines": [
            {
                "funder": line.funder,
                "year": line.year,
                "note": line.note,
                "amount": format_euros(line.amount),
            }
            for line in lines
        ],
        "total": format_euros(sum((line.amount for line in lines), start=0)),
        "budget": format_euros(action.total_budget) if action.total_budget is not None else "",
    }


def _partners(action: Action) -> list[dict]:
    links = list(action.partner_links.all())
    groups = []
    for role, label in PartnerRole.choices:
        partners = [link.partner for link in links if link.role == role]
        if partners:
            groups.append({"role": role, "label": label, "partners": partners})
    return groups


def _section_value(action: Action, section: sections.Section) -> tuple[str, Any]:
    """How the template shows ``section`` (its kind there) and what it shows."""
    kind, name = section.kind, section.field
    if kind == sections.STRUCTURE:
        return "structure", action.structure
    if kind == sections.CHOICE:
        return "status", getattr(action, f"get_{name}_display")()
    if kind == sections.ATTACHMENTS:
        return "attachments", list(getattr(action, name).all())
    if kind == sections.PARTNERS:
        return "partners", _partners(action)
    if kind == sections.FUNDING:
        return "funding", _funding(action)
    if kind == sections.PEOPLE:
        return "people", _people(action)
    if kind == sections.TERMS:
        return "links", list(getattr(action, name).all())
    if kind == sections.TERM:
        return "links", [getattr(action, name)]
    return "text", getattr(action, name).strip()


def catalogue_parameters() -> dict[str, str]:
    """{field of the sheet: the catalogue parameter of the facet that reads it}: the entries of
    those sections link to the catalogue filtered by them."""
    return {
        facet.reach.path: facet.name for facet in declared.FACETS if isinstance(facet.reach, Path)
    }


def sheet_sections(action: Action) -> list[SheetSection]:
    """The sections ``action`` fills (``actions.sections.is_filled``), in the published
    order."""
    parameters = catalogue_parameters()
    shown = []
    for section in sections.sections():
        if not sections.is_filled(action, section):
            continue
        kind, value = _section_value(action, section)
        shown.append(
            SheetSection(
                field=section.field,
                heading=str(section.heading),
                kind=kind,
                value=value,
                parameter=parameters.get(section.field, ""),
            )
        )
    return shown
