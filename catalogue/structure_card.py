"""What the page of a structure shows of its identity card in the observatory's directory: its
groups of lines, in the directory's order, with the model's French labels; empty lines and
empty groups left out (most structures created by sheet imports have only a name and a place).

Every field is public directory data: the observatory publishes each card. The e-mail is the
structure's contact address as the directory gives it ("Adresse mail contact", often
accueil@… or direction@…), shown as such; no field names a person. Reads the structure's
department, région and federation: fetch them with ``Structure.objects.for_directory()``.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from federations.models import Structure


@dataclass(frozen=True)
class CardLine:
    label: str
    kind: str  # how the template renders ``value``: text, lines, link, email, place, yesno...
    value: Any


@dataclass(frozen=True)
class CardGroup:
    heading: str
    lines: list[CardLine]


def _label(name: str) -> str:
    return capfirst(Structure._meta.get_field(name).verbose_name)


def _line(structure: Structure, name: str, kind: str = "text", label=None) -> CardLine | None:
    value = getattr(structure, name)
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        return None
    return CardLine(str(label or _label(name)), kind, value)


def _choice(structure: Structure, name: str) -> CardLine | None:
    if not getattr(structure, name):
        return None
    return CardLine(_label(name), "text", getattr(structure, f"get_{name}_display")())


def _address(structure: Structure) -> CardLine | None:
    town = " ".join(part for part in (structure.postcode, structure.commune) if part)
    lines = [line for line in (structure.address.strip(), town) if line]
    return CardLine(_label("address"), "lines", lines) if lines else None


def _siret(structure: Structure) -> CardLine | None:
    siret = structure.siret
    if not siret:
        return None
    return CardLine(_label("siret"), "text", f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")


def identity_card(structure: Structure) -> list[CardGroup]:
    """The groups of the card that have at least one line (the history and the project's axes
    are not here: the page shows them as text, see ``Structure.project_axes``)."""
    groups = [
        CardGroup(
            str(_("Fiche identité")),
            [
                _choice(structure, "kind"),
                _address(structure),
                CardLine(_label("department"), "department", structure.department),
                CardLine(str(_("Région")), "text", structure.department.region.name),
                _line(structure, "email", "email", label=_("Courriel de contact")),
                _line(structure, "website", "link"),
                _siret(structure),
                _line(structure, "first_agrement_date", "date"),
                _line(structure, "population", "number"),
            ],
        ),
        CardGroup(
            str(_("Mode de gestion")),
            [_line(structure, "management_mode")],
        ),
        CardGroup(
            str(_("Territoire d'intervention et géographie prioritaire")),
            [
                _line(structure, "territory_type"),
                _line(structure, "territory_size"),
                _line(structure, "priority_geography"),
                _line(structure, "in_priority_area", "yesno"),
            ],
        ),
        CardGroup(
            str(_("Adhésion à une fédération")),
            [
                _line(structure, "federation", "federation"),
                _choice(structure, "federation_membership"),
                _line(structure, "other_federation"),
            ],
        ),
        CardGroup(
            str(_("Spécificités de la structure")),
            [
                _line(structure, "for_travellers", "yesno"),
                _line(structure, "multi_site", "yesno"),
                _line(structure, "itinerant", "yesno"),
            ],
        ),
    ]
    kept = [CardGroup(group.heading, [line for line in group.lines if line]) for group in groups]
    return [group for group in kept if group.lines]
