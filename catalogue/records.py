"""A published sheet as data, for machines: the API, the bulk download and the spreadsheets.

A record has every section of the published format, keyed and ordered as its declaration
(``actions.sections``); what a section holds follows from its kind there (``kind_of``): text,
a choice, one or several vocabulary entries (slug and label), the structure with its place and
federation, the partners with their role, the attached files.
Around the sections: the sheet's identity (slug, title, canonical URL, dates), the model's
numeric fields (year, budget, people counted: ``NUMBERS``, read from the model), and the
funding lines with their total. ``parts()`` lists them all, in that order; the outputs iterate
over it rather than naming the fields again, so a section added to the declaration reaches them
all, its heading as its label (the column's header of the spreadsheets).

Only what the public pages show is published: no person (the sheets' authors, uploaders and
moderators are never read), no e-mail address, no unpublished sheet (records are only ever
built from published sheets), no partner that only unpublished sheets name
(``Partner.objects.public()``).

``sheet_records(ids)`` builds the records of a batch of sheets from plain rows, one query for
the sheets and one per many-valued part whatever the batch's size; ``iter_sheet_records`` goes
through a whole selection batch by batch.
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from typing_extensions import TypedDict

from actions import sections
from actions.models import Action, ActionPartner, Attachment, Funding, Partner, Vocabulary
from federations.models import Department, Federation, Structure

from .facets import declared
from .facets.declaration import Reference

# The shapes of a record's values ---------------------------------------------------------------
#
# The API's schemas are these very shapes: pydantic reads typing_extensions' TypedDict (not
# typing's, on Python 3.11); typing_extensions comes with psycopg and pydantic.


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

# Kinds of part: what a value is (and how each output writes it); a section's is its kind in the
# published format (``actions.sections``), a free text for those that have more (the funding
# lines and the numbers of people are parts of their own).
SLUG, URL, DATETIME = "slug", "url", "datetime"
TEXT, CHOICE, TERM, TERMS = sections.TEXT, sections.CHOICE, sections.TERM, sections.TERMS
STRUCTURE, PARTNERS, ATTACHMENTS = sections.STRUCTURE, sections.PARTNERS, sections.ATTACHMENTS
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


def kind_of(section: sections.Section) -> str:
    """The kind of a section's part."""
    return TEXT if section.kind in sections.TEXT_KINDS else section.kind


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


NUMBERS: tuple[Part, ...] = tuple(
    Part(f.name, AMOUNT if isinstance(f, models.DecimalField) else INTEGER, _label(f.name))
    for f in numeric_fields()
)


@lru_cache(maxsize=4)
def _parts(declared: tuple[sections.Section, ...]) -> tuple[Part, ...]:
    identity = (
        Part("slug", SLUG, _label("slug")),
        Part("title", TEXT, _label("title")),
        Part("url", URL, _("Adresse de la fiche")),
        Part("published_at", DATETIME, _label("published_at")),
        Part("updated_at", DATETIME, _label("updated_at")),
    )
    published = tuple(Part(s.field, kind_of(s), s.heading, section=True) for s in declared)
    funding = (
        Part("fundings", FUNDINGS, _("Lignes de financement")),
        Part("funding_total", AMOUNT, _("Total des financements (€)")),
    )
    return identity + published + NUMBERS + funding


def parts() -> tuple[Part, ...]:
    """The parts of a record, for the published format as declared."""
    return _parts(sections.sections())


def parameter(model: type[models.Model]) -> str:
    """The catalogue parameter whose values are rows of ``model`` (``theme``, ``territoire``,
    ``departement``…): the outputs name a reference table after it."""
    names = {Action: "action", Structure: "structure", Partner: "partner"}
    for facet in declared.FACETS:
        if isinstance(facet.options, Reference):
            names[facet.options.model] = facet.name
    return names[model]


def vocabulary_facets() -> list:
    """The catalogue's facets whose values are a vocabulary of the published format (themes,
    publics, dimensions…): each has its list in the outputs."""
    return [
        facet
        for facet in declared.FACETS
        if isinstance(facet.options, Reference) and issubclass(facet.options.model, Vocabulary)
    ]


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
            # An <int:pk> converter takes no mark: reverse a number, then swap the mark in.
            "attachment": self._pattern("attachments:download", pk=0).replace(
                "/0/", f"/{self.MARK}/"
            ),
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


def term(slug: str, label: str) -> Term:
    return {"slug": slug, "label": label}


@lru_cache(maxsize=256)
def _choice_label(field: models.Field, value: str, language: str) -> str:
    return str(dict(field.flatchoices).get(value, value))


def choice(field: models.Field, value: str) -> Term:
    """A value of a field with choices, and its label (in the active language)."""
    return {"slug": value, "label": _choice_label(field, value, get_language())}


def place(code: str, name: str) -> Place:
    return {"code": code, "name": name}


def federation_ref(slug: str | None, name: str, links: Links) -> FederationRef | None:
    if slug is None:
        return None
    return {"slug": slug, "name": name, "url": links("federation", slug)}


def partner_ref(slug: str, name: str, kind: str) -> PartnerRef:
    return {"slug": slug, "name": name, "kind": choice(PARTNER_KIND, kind)}


# Records are built from plain rows (``values()``), with one query per many-valued part for a
# whole batch of sheets. Model instances would mean some twenty objects a sheet (its structure,
# place, federation, vocabularies, partners, lines, files): an export of 10,000 sheets spent
# most of its 40 s building them.

# A structure's values, from a sheet's row (prefixed ``structure__``) or its own.
STRUCTURE_PATHS = (
    "slug",
    "name",
    "kind",
    "commune",
    "postcode",
    "department__code",
    "department__name",
    "department__region__code",
    "department__region__name",
    "federation__slug",
    "federation__name",
)
STRUCTURE_DETAILS = ("address", "siret", "website")
STRUCTURE_FIELDS = STRUCTURE_PATHS + STRUCTURE_DETAILS


def structure_ref(row: Mapping, links: Links, prefix: str = "") -> StructureRef:
    """The structure as a sheet shows it, from a row of ``STRUCTURE_PATHS`` (after
    ``prefix``)."""

    def value(path):
        return row[prefix + path]

    return {
        "slug": value("slug"),
        "name": value("name"),
        "url": links("structure", value("slug")),
        "kind": choice(STRUCTURE_KIND, value("kind")),
        "commune": value("commune"),
        "postcode": value("postcode"),
        "departement": place(value("department__code"), value("department__name")),
        "region": place(value("department__region__code"), value("department__region__name")),
        "federation": federation_ref(value("federation__slug"), value("federation__name"), links),
    }


def structure_record(row: Mapping, links: Links) -> StructureRecord:
    """A structure, from a row of ``Structure.objects.values(*STRUCTURE_FIELDS)``."""
    return {**structure_ref(row, links), **{name: row[name] for name in STRUCTURE_DETAILS}}


def federation_record(federation: Federation, links: Links) -> FederationRecord:
    """A federation (read with its départements prefetched); its e-mail address is left out
    of the machines' outputs (the page shows it to people)."""
    return {
        **federation_ref(federation.slug, federation.name, links),
        "website": federation.website,
        "description": federation.description,
        "departements": [place(d.code, d.name) for d in federation.departments.all()],
    }


def department_record(department: Department, links: Links) -> DepartmentRecord:
    """A département (read with its région)."""
    region = department.region
    return {
        **place(department.code, department.name),
        "region": place(region.code, region.name),
        "url": links("department", department.code),
    }


def vocabulary_record(entry: Vocabulary) -> VocabularyRecord:
    return {**term(entry.slug, entry.name), "position": entry.position}


# The sheets ------------------------------------------------------------------------------------

FUNDING_TOTAL = "funding_total"
COLUMN_KINDS = {SLUG, TEXT, DATETIME, CHOICE, INTEGER, AMOUNT}
BATCH = 500


def sheet_fields() -> tuple[str, ...]:
    """The values a sheet's row holds: its columns, and those of its single relations."""
    columns = {field.name for field in Action._meta.concrete_fields}
    fields = ["pk"]
    for part in parts():
        if part.kind in COLUMN_KINDS and part.name in columns:
            fields.append(part.name)
        elif part.kind == TERM:
            fields += [f"{part.name}__slug", f"{part.name}__name"]
        elif part.kind == STRUCTURE:
            fields += [f"{part.name}__{path}" for path in STRUCTURE_PATHS]
    return tuple(fields)


def _by_sheet(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for sheet, *values in rows:
        grouped[sheet].append(values)
    return grouped


def _terms(name: str, ids) -> dict[int, list[Term]]:
    """The entries of the many-to-many part ``name`` of the sheets ``ids``, in their order."""
    field = Action._meta.get_field(name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [f"{target}__{key}" for key in field.related_model._meta.ordering]
    rows = (
        field.remote_field.through.objects.filter(**{f"{source}_id__in": ids})
        .order_by(*ordering)
        .values_list(f"{source}_id", f"{target}__slug", f"{target}__name")
    )
    return {pk: [term(*v) for v in values] for pk, values in _by_sheet(rows).items()}


def _partners(ids) -> dict[int, list[PartnerLink]]:
    rows = (
        ActionPartner.objects.filter(action_id__in=ids)
        .order_by(*ActionPartner._meta.ordering)
        .values_list("action_id", "partner__slug", "partner__name", "partner__kind", "role")
    )
    return {
        pk: [{**partner_ref(*v[:3]), "role": choice(PARTNER_ROLE, v[3])} for v in values]
        for pk, values in _by_sheet(rows).items()
    }


def _attachments(ids, links: Links) -> dict[int, list[AttachmentRef]]:
    rows = (
        Attachment.objects.filter(action_id__in=ids)
        .order_by(*Attachment._meta.ordering)
        .values_list("action_id", "pk", "title", "content_type", "size")
    )
    return {
        pk: [
            {"title": title, "url": links("attachment", file), "content_type": kind, "size": size}
            for file, title, kind, size in values
        ]
        for pk, values in _by_sheet(rows).items()
    }


def _fundings(ids) -> dict[int, list[tuple[Decimal, FundingLine]]]:
    rows = (
        Funding.objects.filter(action_id__in=ids)
        .order_by(*Funding._meta.ordering)
        .values_list(
            "action_id",
            "pk",
            "funder__slug",
            "funder__name",
            "funder__kind",
            "amount",
            "year",
            "note",
        )
    )
    return {
        pk: [
            (
                value,
                {
                    "id": line,
                    "funder": partner_ref(*funder),
                    "amount": amount(value),
                    "year": year,
                    "note": note,
                },
            )
            for line, *funder, value, year, note in values
        ]
        for pk, values in _by_sheet(rows).items()
    }


def _record(row: Mapping, related: dict, links: Links, parts: tuple[Part, ...]) -> dict:
    pk, record = row["pk"], {}
    lines = related[FUNDINGS].get(pk, [])
    for part in parts:
        name, kind = part.name, part.kind
        if kind in (SLUG, TEXT, INTEGER):
            record[name] = row[name]
        elif kind == URL:
            record[name] = links("sheet", row["slug"])
        elif kind == DATETIME:
            record[name] = utc(row[name])
        elif kind == CHOICE:
            record[name] = choice(Action._meta.get_field(name), row[name])
        elif kind == TERM:
            slug = row[f"{name}__slug"]
            record[name] = term(slug, row[f"{name}__name"]) if slug is not None else None
        elif kind == STRUCTURE:
            record[name] = structure_ref(row, links, prefix=f"{name}__")
        elif kind == FUNDINGS:
            record[name] = [line for _, line in lines]
        elif name == FUNDING_TOTAL:
            record[name] = amount(sum((value for value, _ in lines), start=Decimal(0)))
        elif kind == AMOUNT:
            record[name] = amount(row[name])
        elif kind == TERMS:
            record[name] = related[name].get(pk, [])
        elif kind in (PARTNERS, ATTACHMENTS):
            record[name] = related[kind].get(pk, [])
        else:
            raise ImproperlyConfigured(f"No value for a part of kind {kind}.")
    return record


def sheet_records(ids: Sequence[int], links: Links) -> list[dict]:
    """The records of the published sheets ``ids`` (a batch: one query for the sheets, one per
    many-valued part), in the order of ``ids``; ids of unpublished sheets are left out."""
    declared = parts()
    rows = Action.objects.published().filter(pk__in=ids).values(*sheet_fields())
    related = {
        PARTNERS: _partners(ids),
        ATTACHMENTS: _attachments(ids, links),
        FUNDINGS: _fundings(ids),
        **{part.name: _terms(part.name, ids) for part in declared if part.kind == TERMS},
    }
    records = {row["pk"]: _record(row, related, links, declared) for row in rows}
    return [records[pk] for pk in ids if pk in records]


def iter_sheet_records(sheets: QuerySet, links: Links, *, batch: int = BATCH) -> Iterator[dict]:
    """The records of the published sheets of ``sheets``, in its order, ``batch`` at a time.
    Their ids are read ``batch`` at a time too (a server-side cursor on PostgreSQL): memory
    does not grow with the selection (the whole catalogue is a million ids at ten times
    national scale)."""
    ids = sheets.values_list("pk", flat=True).iterator(chunk_size=batch)
    while chunk := list(islice(ids, batch)):
        yield from sheet_records(chunk, links)
