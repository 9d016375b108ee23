"""What the public page of a sheet shows: its sections, in the published order, empty ones out.

The order and the headings come from ``actions.sections.SECTIONS`` (the published format).
Reads related rows through ``.all()`` only, so a sheet fetched with
``Action.objects.for_sheet()`` costs no further query.
"""

from dataclasses import dataclass
from typing import Any

from actions.enums import PartnerRole
from actions.formatting import format_euros
from actions.models import Action
from actions.sections import SECTIONS

from .facets import declared
from .facets.declaration import Path


@dataclass
class SheetSection:
    field: str
    heading: str
    kind: str  # how the template renders ``value``
    value: Any
    parameter: str = ""  # catalogue parameter of "links" sections


def _people(action: Action) -> dict | None:
    counts = {
        "staff": action.staff_count,
        "volunteers": action.volunteer_count,
        "participants": action.participant_count,
    }
    if not action.people_mobilised.strip() and all(v is None for v in counts.values()):
        return None
    return {"text": action.people_mobilised, **counts}


def _funding(action: Action) -> dict | None:
    lines = list(action.fundings.all())
    if not action.financial_resources.strip() and not lines and action.total_budget is None:
        return None
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


def _partners(action: Action) -> list[dict] | None:
    links = list(action.partner_links.all())
    groups = []
    for role, label in PartnerRole.choices:
        partners = [link.partner for link in links if link.role == role]
        if partners:
            groups.append({"role": role, "label": label, "partners": partners})
    return groups or None


def _section_value(action: Action, name: str) -> tuple[str, Any]:
    if name == "structure":
        return "structure", action.structure
    if name == "status":
        return "status", action.get_status_display()
    if name == "attachments":
        return "attachments", list(action.attachments.all()) or None
    if name == "partners":
        return "partners", _partners(action)
    if name == "financial_resources":
        return "funding", _funding(action)
    if name == "people_mobilised":
        return "people", _people(action)
    if name in {"themes", "publics", "initiatives"}:
        return "links", list(getattr(action, name).all()) or None
    if name in {"dimension", "territory_scale"}:
        entry = getattr(action, name)
        return "links", [entry] if entry else None
    text = (getattr(action, name) or "").strip()
    return "text", text or None


def catalogue_parameters() -> dict[str, str]:
    """{field of the sheet: the catalogue parameter of the facet that reads it}: the entries of
    those sections link to the catalogue filtered by them."""
    return {
        facet.reach.path: facet.name for facet in declared.FACETS if isinstance(facet.reach, Path)
    }


def sheet_sections(action: Action) -> list[SheetSection]:
    parameters = catalogue_parameters()
    sections = []
    for section in SECTIONS:
        kind, value = _section_value(action, section.field)
        if value:
            sections.append(
                SheetSection(
                    field=section.field,
                    heading=str(section.heading),
                    kind=kind,
                    value=value,
                    parameter=parameters.get(section.field, ""),
                )
            )
    return sections
