"""A published sheet as data, for machines: the API, the bulk download and the spreadsheets.

A record has every section of the published format, keyed and ordered as
``actions.sections.SECTIONS``; what a section holds follows from its field on the model
(``kind_of``): text, a choice, one or several vocabulary entries (slug and label), the
structure with its place and federation, the partners with their role, the attached files.
Around the sections: the sheet's identity (slug, title, canonical URL, dates), the model's
numeric fields (year, budget, people counted: ``NUMBERS``, read from the model), and the
funding lines with their total. ``PARTS`` lists them all, in that order; the outputs iterate
over it rather than naming the fields again, so a section added to ``SECTIONS`` reaches them
all.

Only what the public pages show is published: no person (the sheets' authors, uploaders and
moderators are never read), no e-mail address, no unpublished sheet (callers pass published
sheets: ``Action.objects.for_sheet()``), no partner that only unpublished sheets name
(``public_partners``).

Records are built from sheets fetched with ``Action.objects.for_sheet()``: related rows are
read through ``.all()`` only, so a page of records costs a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from typing_extensions import TypedDict

from actions.enums import PublicationStatus
from actions.models import Action, ActionPartner, Attachment, Funding, Partner, Vocabulary
from actions.sections import SECTIONS
from federations.models import Department, Federation, Region, Structure

from .facets import declared
from .facets.declaration import Reference

# The shapes of a record's values ---------------------------------------------------------------


class Term(TypedDict):
    """A vocabulary entry or a choice: its slug (the catalogue's filter value) and label."""

    slug: str
    label: str


class Place(TypedDict):
    """A département or a région: INSEE code and name."""

    code: str
    name: str


class FederationRef(TypedDict):
    slug: str
    name: str
    url: str


class StructureRef(TypedDict):
    slug: str
    name: str
    url: str
    kind: Term
    commune: str
    postcode: str
    departement: Place
    region: Place
    federation: FederationRef | None


class StructureRecord(StructureRef):
    """A structure on its own: what its public page shows, and its SIRET (a public
    identifier of the SIRENE register, which the other open data of the sector key on)."""

    address: str
    siret: str
    website: str


class FederationRecord(FederationRef):
    website: str
    description: str
    departements: list[Place]


class DepartmentRecord(Place):
    region: Place
    url: str


class VocabularyRecord(Term):
    position: int


class PartnerRef(TypedDict):
    slug: str
    name: str
    kind: Term


class PartnerLink(PartnerRef):
    role: Term


class AttachmentRef(TypedDict):
    title: str
    url: str
    content_type: str
    size: int


class FundingLine(TypedDict):
    id: int
    funder: PartnerRef
    amount: float
    year: int | None
    note: str


# The parts of a record -------------------------------------------------------------------------

# Kinds of part: what a value is (and how each output writes it).
SLUG, URL, DATETIME = "slug", "url", "datetime"
TEXT, CHOICE, TERM, TERMS = "text", "choice", "term", "terms"
STRUCTURE, PARTNERS, ATTACHMENTS = "structure", "partners", "attachments"
INTEGER, AMOUNT, FUNDINGS = "integer", "amount", "fundings"

# Bookkeeping of the write path, never published: the optimistic lock's counter.
BOOKKEEPING = {"version"}


@dataclass(frozen=True)
class Part:
    """One key of a record: ``name`` (the key, a field of the sheet where there is one),
    ``kind`` and ``label`` (French, translatable)."""

    name: str
    kind: str
    label: str
    section: bool = False  # a section of the published format


def kind_of(field) -> str:
    """The kind of a section, from its field on the model."""
    related = field.related_model
    if related is Structure:
        return STRUCTURE
    if related is Partner:
        return PARTNERS
    if related is Attachment:
        return ATTACHMENTS
    if related is not None and issubclass(related, Vocabulary):
        return TERMS if field.many_to_many else TERM
    if related is None and field.choices:
        return CHOICE
    if isinstance(field, models.CharField | models.TextField):
        return TEXT
    raise ImproperlyConfigured(f"Section {field.name}: no published form for {field!r}.")


def _label(name: str) -> str:
    return capfirst(Action._meta.get_field(name).verbose_name)


def numeric_fields() -> list[models.Field]:
    """The sheet's numbers (budget, people counted, year), in the model's order."""
    return [
        field
        for field in Action._meta.concrete_fields
        if isinstance(field, models.IntegerField | models.DecimalField)
        and not field.primary_key
        and not field.is_relation
        and field.name not in BOOKKEEPING
    ]


def _parts() -> tuple[Part, ...]:
    identity = (
        Part("slug", SLUG, _label("slug")),
        Part("title", TEXT, _label("title")),
        Part("url", URL, _("Adresse de la fiche")),
        Part("published_at", DATETIME, _label("published_at")),
        Part("updated_at", DATETIME, _label("updated_at")),
    )
    sections = tuple(
        Part(s.field, kind_of(Action._meta.get_field(s.field)), s.heading, section=True)
        for s in SECTIONS
    )
    funding = (
        Part("fundings", FUNDINGS, _("Lignes de financement")),
        Part("funding_total", AMOUNT, _("Total des financements (€)")),
    )
    return identity + sections + NUMBERS + funding


NUMBERS: tuple[Part, ...] = tuple(
    Part(f.name, AMOUNT if isinstance(f, models.DecimalField) else INTEGER, _label(f.name))
    for f in numeric_fields()
)
PARTS: tuple[Part, ...] = _parts()


def parameter(model: type[models.Model]) -> str:
    """The catalogue parameter whose values are rows of ``model`` (``theme``, ``territoire``,
    ``departement``…): the outputs name a reference table after it."""
    names = {Action: "action", Structure: "structure", Partner: "partner"}
    for facet in declared.FACETS:
        if isinstance(facet.options, Reference):
            names[facet.options.model] = facet.name
    return names[model]


def collection(model: type[models.Model]) -> str:
    """The name of a reference table in the outputs (an API endpoint, a file of the bulk
    download): the plural of its parameter (``themes``, ``territoires``), so the list of a
    parameter's values is found by its name."""
    return f"{parameter(model)}s"


STRUCTURE_KIND = Structure._meta.get_field("kind")
PARTNER_KIND = Partner._meta.get_field("kind")
PARTNER_ROLE = ActionPartner._meta.get_field("role")


# Building records ------------------------------------------------------------------------------


class Links:
    """Absolute URLs of the public pages, from ``base`` (``https://host``): each kind of URL is
    reversed once, then the slug swapped in (reversing for every row costs more than the
    row)."""

    MARK = "--mark--"

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self._patterns = {
            "sheet": self._pattern("catalogue:action_detail", slug=self.MARK),
            "structure": self._pattern("catalogue:structure_detail", slug=self.MARK),
            "federation": self._pattern("catalogue:federation_detail", slug=self.MARK),
            "department": self._pattern("catalogue:department_detail", code=self.MARK),
            "attachment": self._pattern("attachments:download", pk=0).replace("/0/", "/--mark--/"),
        }

    def _pattern(self, name, **kwargs) -> str:
        return self.base + reverse(name, kwargs=kwargs)

    def __call__(self, kind: str, key) -> str:
        return self._patterns[kind].replace(self.MARK, str(key))

    @classmethod
    def for_request(cls, request) -> "Links":
        return cls(request.build_absolute_uri("/"))


def amount(value: Decimal | None) -> float | None:
    """Euros as a JSON number: amounts have two decimals and fewer than 15 digits, which a
    double holds exactly to the cent."""
    return None if value is None else float(value)


def utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def term(entry) -> Term:
    return {"slug": entry.slug, "label": entry.name}


def choice(field: models.Field, value: str) -> Term:
    """A value of a field with choices, and its label."""
    return {"slug": value, "label": str(dict(field.flatchoices).get(value, value))}


def place(row: Department | Region) -> Place:
    return {"code": row.code, "name": row.name}


def federation_ref(federation: Federation | None, links: Links) -> FederationRef | None:
    if federation is None:
        return None
    return {
        "slug": federation.slug,
        "name": federation.name,
        "url": links("federation", federation.slug),
    }


def structure_ref(structure: Structure, links: Links) -> StructureRef:
    """The structure as a sheet shows it (read with its département, région and federation)."""
    department = structure.department
    return {
        "slug": structure.slug,
        "name": structure.name,
        "url": links("structure", structure.slug),
        "kind": choice(STRUCTURE_KIND, structure.kind),
        "commune": structure.commune,
        "postcode": structure.postcode,
        "departement": place(department),
        "region": place(department.region),
        "federation": federation_ref(structure.federation, links),
    }


def structure_record(structure: Structure, links: Links) -> StructureRecord:
    return {
        **structure_ref(structure, links),
        "address": structure.address,
        "siret": structure.siret,
        "website": structure.website,
    }


def federation_record(federation: Federation, links: Links) -> FederationRecord:
    """A federation (read with its départements prefetched); its e-mail address is left out
    of the machines' outputs (the page shows it to people)."""
    return {
        **federation_ref(federation, links),
        "website": federation.website,
        "description": federation.description,
        "departements": [place(department) for department in federation.departments.all()],
    }


def department_record(department: Department, links: Links) -> DepartmentRecord:
    return {
        **place(department),
        "region": place(department.region),
        "url": links("department", department.code),
    }


def vocabulary_record(entry: Vocabulary) -> VocabularyRecord:
    return {**term(entry), "position": entry.position}


def partner_ref(partner: Partner) -> PartnerRef:
    return {"slug": partner.slug, "name": partner.name, "kind": choice(PARTNER_KIND, partner.kind)}


def _section(action: Action, part: Part, links: Links):
    value = getattr(action, part.name)
    if part.kind == TEXT:
        return value
    if part.kind == CHOICE:
        return choice(Action._meta.get_field(part.name), value)
    if part.kind == TERM:
        return term(value) if value is not None else None
    if part.kind == TERMS:
        return [term(entry) for entry in value.all()]
    if part.kind == STRUCTURE:
        return structure_ref(value, links)
    if part.kind == PARTNERS:
        return [
            {**partner_ref(link.partner), "role": choice(PARTNER_ROLE, link.role)}
            for link in action.partner_links.all()
        ]
    if part.kind == ATTACHMENTS:
        return [
            {
                "title": attachment.title,
                "url": links("attachment", attachment.pk),
                "content_type": attachment.content_type,
                "size": attachment.size,
            }
            for attachment in value.all()
        ]
    raise ImproperlyConfigured(f"No value for a part of kind {part.kind}.")


def funding_lines(action: Action) -> list[FundingLine]:
    return [
        {
            "id": line.pk,
            "funder": partner_ref(line.funder),
            "amount": amount(line.amount),
            "year": line.year,
            "note": line.note,
        }
        for line in action.fundings.all()
    ]


def sheet_record(action: Action, links: Links) -> dict:
    """Every part of a published sheet, in ``PARTS`` order."""
    record = {
        "slug": action.slug,
        "title": action.title,
        "url": links("sheet", action.slug),
        "published_at": utc(action.published_at),
        "updated_at": utc(action.updated_at),
    }
    for part in PARTS:
        if part.section:
            record[part.name] = _section(action, part, links)
    for part in NUMBERS:
        value = getattr(action, part.name)
        record[part.name] = amount(value) if part.kind == AMOUNT else value
    record["fundings"] = funding_lines(action)
    record["funding_total"] = amount(Decimal(action.funding_lines_total()))
    return record


# What else is public ---------------------------------------------------------------------------


def public_partners() -> QuerySet[Partner]:
    """Partners that a published sheet names, as a partner of the action or as a funder: a
    partner only unpublished sheets name stays unknown to the public.

    (``Partner.objects.public()``, coming with the partners' privacy, states the same rule in
    the actions app; this then becomes a call to it.)
    """
    published = {"action__publication_status": PublicationStatus.PUBLISHED}
    return Partner.objects.filter(
        Exists(ActionPartner.objects.filter(partner=OuterRef("pk"), **published))
        | Exists(Funding.objects.filter(funder=OuterRef("pk"), **published))
    )
