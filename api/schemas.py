"""The API's response schemas (and so its OpenAPI document), from the published format.

A sheet's schema is built from ``catalogue.records.parts()``: one property per part, typed by
its kind, described by its heading; the nested shapes are the records' own (``Term``,
``StructureRef``…). A section added to the published format appears here without a line to
write.
"""

from datetime import datetime

from ninja import Schema
from pydantic import Field, create_model
from typing_extensions import TypedDict

from catalogue import records
from catalogue.records import (
    AttachmentRef,
    DepartmentRecord,
    FederationRecord,
    FundingLine,
    PartnerLink,
    PartnerRef,
    Place,
    StructureRecord,
    StructureRef,
    Term,
    VocabularyRecord,
)

KIND_TYPES = {
    records.SLUG: str,
    records.URL: str,
    records.DATETIME: datetime,
    records.TEXT: str,
    records.CHOICE: Term,
    records.TERM: Term | None,
    records.TERMS: list[Term],
    records.STRUCTURE: StructureRef,
    records.PARTNERS: list[PartnerLink],
    records.ATTACHMENTS: list[AttachmentRef],
    records.INTEGER: int | None,
    records.AMOUNT: float | None,
    records.FUNDINGS: list[FundingLine],
}

Action = create_model(
    "Action",
    __base__=Schema,
    __doc__="Une fiche action publiée, section par section dans l'ordre du format publié.",
    **{
        part.name: (KIND_TYPES[part.kind], Field(description=str(part.label)))
        for part in records.parts()
    },
)


class ActionPage(Schema):
    count: int = Field(description="Nombre de fiches de la sélection.")
    next: str | None = Field(description="Adresse de la page suivante ; null sur la dernière.")
    ignored: dict[str, list[str]] = Field(
        description="Valeurs mal formées ou inconnues, ignorées comme le fait le catalogue : "
        "le reste de la sélection s'applique."
    )
    results: list[Action]


class FacetOption(Schema):
    value: str
    label: str
    count: int
    selected: bool


class Facet(Schema):
    name: str = Field(description="Le paramètre de filtre.")
    label: str
    options: list[FacetOption]


class Facets(Schema):
    count: int = Field(description="Nombre de fiches de la sélection.")
    ignored: dict[str, list[str]]
    facets: list[Facet]


class Counted(TypedDict):
    action_count: int


class Structure(StructureRecord, Counted):
    """A structure with its number of published sheets."""


class StructurePage(Schema):
    next: str | None
    results: list[Structure]


class Federation(FederationRecord, Counted):
    """A federation with its number of published sheets."""


class Department(DepartmentRecord, Counted):
    """A département with its number of published sheets."""


class Region(Place, Counted):
    """A région with its number of published sheets."""


class VocabularyEntry(VocabularyRecord, Counted):
    """A vocabulary value with its number of published sheets."""


class PartnerPage(Schema):
    next: str | None
    results: list[PartnerRef]


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict] | None = None
