"""The tables of the bulk download and their Table Schemas (Frictionless).

One table per entity, keyed by the identifiers the catalogue uses (a sheet's slug, a
département's INSEE code…), with the links between sheets and their vocabularies, partners,
files and funding lines in tables of their own; foreign keys tie them together.

The sheets' tables follow the published format: ``sheet_tables()`` derives them from
``catalogue.records.parts()`` (a column per single-valued part, a table per many-valued one), so
a section added to the format gets its column or its table here. The other entities' columns
are the keys of their records (``catalogue.records``), flattened: a nested reference becomes
its key (``departement`` -> the code), and a test checks that every key has its column.

Titles and descriptions are French (``title``, ``description``: the dataset's language) and
English (``title_en``, ``description_en``), from the portal's translations.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from actions.models import Action, ActionPartner, Attachment, Funding, Partner
from catalogue import records
from catalogue.facets.declaration import SLUG
from catalogue.records import (
    STRUCTURE_FIELDS,
    Links,
    collection,
    department_record,
    federation_record,
    parameter,
    partner_ref,
    place,
    structure_record,
    vocabulary_facets,
    vocabulary_record,
)
from federations.models import Department, Federation, Region, Structure

from . import datainclusion
from .datainclusion import BROAD, CLOSE, EXACT

STRING, INTEGER, NUMBER, DATETIME = "string", "integer", "number", "datetime"
CHUNK_SIZE = 2000
SLUG_PATTERN = SLUG.pattern.removeprefix("^").removesuffix(r"\Z")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""
    format: str = ""


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())
    # Where the rows come from: a sheet's record (the sheets' tables), or the database, with
    # the URLs of the pages (the others).
    from_record: Callable[[dict], Iterable[dict]] | None = None
    rows: Callable[[Links], Iterable[dict]] | None = None

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict:
        return {
            "fields": [_field_descriptor(column) for column in self.columns],
            "primaryKey": list(self.primary_key),
            "foreignKeys": [
                {
                    "fields": [key.column],
                    "reference": {"resource": key.table, "fields": [key.target]},
                }
                for key in self.foreign_keys
            ],
            "missingValues": [""],
        }


def bilingual(descriptor: dict, **texts) -> dict:
    """``title``/``description`` in French, and ``title_en``/``description_en``."""
    for key, text in texts.items():
        if not text:
            continue
        with override("fr"):
            descriptor[key] = str(text)
        with override("en"):
            descriptor[f"{key}_en"] = str(text)
    return descriptor


def _field_descriptor(column: Column) -> dict:
    descriptor = {"name": column.name, "type": column.type}
    if column.format:
        descriptor["format"] = column.format
    bilingual(descriptor, title=column.title, description=column.description)
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.pattern:
        constraints["pattern"] = column.pattern
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def flat(record: dict) -> dict:
    """A record's single values, a reference replaced by its key (``{"code": "94", …}`` ->
    ``"94"``, a term by its slug); lists are left to tables of their own."""
    row = {}
    for key, value in record.items():
        if isinstance(value, dict):
            row[key] = value["code"] if "code" in value else value["slug"]
        elif not isinstance(value, list):
            row[key] = value
    return row


def choices(model: type[models.Model], name: str) -> tuple[str, ...]:
    return tuple(value for value, _ in model._meta.get_field(name).flatchoices)


def title_of(model: type[models.Model], name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def key_column(name: str, title, model, *, required=False, unique=False) -> Column:
    """A column holding the slug (or INSEE code) of a ``model`` row."""
    code = model in (Department, Region)
    return Column(
        name,
        STRING,
        title,
        format_lazy(_("Code INSEE (table {table})."), table=collection(model))
        if code
        else format_lazy(_("Slug (table {table})."), table=collection(model)),
        required=required,
        unique=unique,
        pattern="" if code else SLUG_PATTERN,
    )


def slug_column(**kwargs) -> Column:
    return Column(
        "slug",
        STRING,
        _("Slug"),
        _("Identifiant stable, celui de l'adresse de la page."),
        required=True,
        unique=True,
        pattern=SLUG_PATTERN,
        **kwargs,
    )


URL_COLUMN = Column(
    "url", STRING, _("Adresse de la page"), _("La page publique du portail."), format="uri"
)


# The sheets ------------------------------------------------------------------------------------

ACTIONS = "actions"


def _sheet_column(part: records.Part) -> Column | None:
    label = part.label
    if part.kind == records.SLUG:
        return slug_column()
    if part.kind == records.URL:
        return Column(part.name, STRING, label, format="uri")
    if part.kind == records.TEXT:
        return Column(part.name, STRING, label, required=part.name == "title")
    if part.kind == records.DATETIME:
        return Column(part.name, DATETIME, label, _("Date et heure, en UTC."))
    if part.kind == records.CHOICE:
        return Column(part.name, STRING, label, enum=choices(Action, part.name), required=True)
    if part.kind == records.TERM:
        return key_column(part.name, label, Action._meta.get_field(part.name).related_model)
    if part.kind == records.STRUCTURE:
        return key_column(part.name, label, Structure, required=True)
    if part.kind == records.INTEGER:
        return Column(part.name, INTEGER, label)
    if part.kind == records.AMOUNT:
        return Column(part.name, NUMBER, label, _("En euros, point décimal."))
    return None  # many-valued: a table of its own


def _action_key() -> Column:
    return key_column("action", _("Fiche action"), Action, required=True)


def _sheet_link_table(part: records.Part) -> Table | None:
    """The table of a many-valued part of the sheets, or None for a column."""
    action = _action_key()
    if part.kind == records.TERMS:
        model = Action._meta.get_field(part.name).related_model
        value = key_column(parameter(model), capfirst(model._meta.verbose_name), model)
        return Table(
            f"action_{part.name}",
            format_lazy(_("{section}, par fiche"), section=part.label),
            format_lazy(
                _("Une ligne par fiche et par entrée de la table {table}."),
                table=collection(model),
            ),
            (action, value),
            (action.name, value.name),
            (
                ForeignKey(action.name, ACTIONS, "slug"),
                ForeignKey(value.name, collection(model), "slug"),
            ),
            from_record=lambda r: [
                {"action": r["slug"], value.name: entry["slug"]} for entry in r[part.name]
            ],
        )
    if part.kind == records.PARTNERS:
        partner = key_column("partner", title_of(ActionPartner, "partner"), Partner, required=True)
        role = Column(
            "role",
            STRING,
            title_of(ActionPartner, "role"),
            enum=choices(ActionPartner, "role"),
            required=True,
        )
        return Table(
            f"action_{part.name}",
            _("Partenaires des fiches"),
            _("Une ligne par fiche, partenaire et rôle (partenaire d'action ou financier)."),
            (action, partner, role),
            ("action", "partner", "role"),
            (ForeignKey("action", ACTIONS, "slug"), ForeignKey("partner", "partners", "slug")),
            from_record=lambda r: [
                {"action": r["slug"], "partner": p["slug"], "role": p["role"]["slug"]}
                for p in r[part.name]
            ],
        )
    if part.kind == records.ATTACHMENTS:
        return Table(
            part.name,
            _("Fichiers associés aux fiches"),
            _("Les fichiers joints aux fiches publiées, téléchargeables à leur adresse."),
            (
                action,
                Column("title", STRING, title_of(Attachment, "title")),
                Column(
                    "url", STRING, _("Adresse du fichier"), required=True, unique=True, format="uri"
                ),
                Column("content_type", STRING, title_of(Attachment, "content_type")),
                Column("size", INTEGER, title_of(Attachment, "size")),
            ),
            ("url",),
            (ForeignKey("action", ACTIONS, "slug"),),
            from_record=lambda r: [{"action": r["slug"], **file} for file in r[part.name]],
        )
    if part.kind == records.FUNDINGS:
        return Table(
            part.name,
            _("Lignes de financement"),
            _("Qui a financé quelle fiche, pour quel montant (en euros) et quelle année."),
            (
                Column("id", INTEGER, _("Identifiant"), required=True, unique=True),
                action,
                key_column("funder", title_of(Funding, "funder"), Partner, required=True),
                Column(
                    "amount",
                    NUMBER,
                    title_of(Funding, "amount"),
                    _("En euros, point décimal."),
                    required=True,
                ),
                Column("year", INTEGER, title_of(Funding, "year")),
                Column("note", STRING, title_of(Funding, "note")),
            ),
            ("id",),
            (ForeignKey("action", ACTIONS, "slug"), ForeignKey("funder", "partners", "slug")),
            from_record=lambda r: [{**flat(line), "action": r["slug"]} for line in r[part.name]],
        )
    return None


def sheet_tables() -> list[Table]:
    columns = tuple(c for part in records.parts() if (c := _sheet_column(part)) is not None)
    links = [t for part in records.parts() if (t := _sheet_link_table(part)) is not None]
    actions = Table(
        ACTIONS,
        _("Fiches action"),
        format_lazy(
            _(
                "Les fiches action publiées, une ligne par fiche, une colonne par section du "
                "format publié ; les sections à plusieurs valeurs ont leur table : {tables}."
            ),
            tables=", ".join(table.name for table in links),
        ),
        columns,
        ("slug",),
        tuple(
            ForeignKey(
                part.name, collection(Action._meta.get_field(part.name).related_model), "slug"
            )
            for part in records.parts()
            if part.kind in (records.TERM, records.STRUCTURE)
        ),
        from_record=lambda r: [flat(r)],
    )
    return [actions, *links]


# The network, the partners and the vocabularies ------------------------------------------------


def federations_read():
    return Federation.objects.prefetch_related("departments").order_by("slug")


def network_tables() -> list[Table]:
    region = key_column("region", title_of(Department, "region"), Region, required=True)
    department = key_column("departement", _("Département"), Department, required=True)
    code = Column("code", STRING, title_of(Region, "code"), required=True, unique=True)
    structures = Table(
        collection(Structure),
        _("Structures"),
        _(
            "Les centres sociaux, espaces de vie sociale et autres structures du réseau, avec "
            "leur département et leur fédération."
        ),
        (
            slug_column(),
            Column("name", STRING, title_of(Structure, "name"), required=True),
            URL_COLUMN,
            Column("kind", STRING, title_of(Structure, "kind"), enum=choices(Structure, "kind")),
            Column("commune", STRING, title_of(Structure, "commune")),
            Column("postcode", STRING, title_of(Structure, "postcode")),
            department,
            region,
            key_column("federation", title_of(Structure, "federation"), Federation),
            Column("address", STRING, title_of(Structure, "address")),
            Column(
                "siret",
                STRING,
                title_of(Structure, "siret"),
                _("Numéro SIRET de l'établissement (répertoire SIRENE)."),
                pattern="[0-9]{14}",
            ),
            Column("website", STRING, title_of(Structure, "website"), format="uri"),
        ),
        ("slug",),
        (
            ForeignKey("departement", collection(Department), "code"),
            ForeignKey("region", collection(Region), "code"),
            ForeignKey("federation", collection(Federation), "slug"),
        ),
        rows=lambda links: (
            flat(structure_record(row, links))
            for row in Structure.objects.order_by("slug")
            .values(*STRUCTURE_FIELDS)
            .iterator(chunk_size=CHUNK_SIZE)
        ),
    )
    federations = Table(
        collection(Federation),
        _("Fédérations"),
        _("Les fédérations départementales et régionales des centres sociaux."),
        (
            slug_column(),
            Column("name", STRING, title_of(Federation, "name"), required=True),
            URL_COLUMN,
            Column("website", STRING, title_of(Federation, "website"), format="uri"),
            Column("description", STRING, title_of(Federation, "description")),
        ),
        ("slug",),
        rows=lambda links: (flat(federation_record(f, links)) for f in federations_read()),
    )
    federation_departments = Table(
        "federation_departements",
        _("Départements couverts par les fédérations"),
        _("Une ligne par fédération et par département qu'elle couvre."),
        (key_column("federation", _("Fédération"), Federation, required=True), department),
        ("federation", "departement"),
        (
            ForeignKey("federation", collection(Federation), "slug"),
            ForeignKey("departement", collection(Department), "code"),
        ),
        rows=lambda links: (
            {"federation": federation["slug"], "departement": place["code"]}
            for federation in (federation_record(f, links) for f in federations_read())
            for place in federation["departements"]
        ),
    )
    departments = Table(
        collection(Department),
        _("Départements"),
        _("Les départements, par code INSEE, avec leur région."),
        (
            code,
            Column("name", STRING, title_of(Department, "name"), required=True),
            URL_COLUMN,
            region,
        ),
        ("code",),
        (ForeignKey("region", collection(Region), "code"),),
        rows=lambda links: (
            flat(department_record(department, links))
            for department in Department.objects.select_related("region").order_by("code")
        ),
    )
    regions = Table(
        collection(Region),
        _("Régions"),
        _("Les régions, par code INSEE."),
        (code, Column("name", STRING, title_of(Region, "name"), required=True)),
        ("code",),
        rows=lambda links: (
            place(*row) for row in Region.objects.order_by("code").values_list("code", "name")
        ),
    )
    partners = Table(
        collection(Partner),
        _("Partenaires et financeurs"),
        _("Les organisations que nomment les fiches publiées, comme partenaires ou financeurs."),
        (
            slug_column(),
            Column("name", STRING, title_of(Partner, "name"), required=True),
            Column("kind", STRING, title_of(Partner, "kind"), enum=choices(Partner, "kind")),
        ),
        ("slug",),
        rows=lambda links: (
            flat(partner_ref(*row))
            for row in Partner.objects.public()
            .order_by("slug")
            .values_list("slug", "name", "kind")
            .iterator(chunk_size=CHUNK_SIZE)
        ),
    )
    return [structures, federations, federation_departments, departments, regions, partners]


def vocabulary_tables() -> list[Table]:
    return [
        Table(
            collection(facet.options.model),
            capfirst(facet.options.model._meta.verbose_name_plural),
            format_lazy(
                _("Vocabulaire du format publié : les valeurs du filtre « {parameter} »."),
                parameter=facet.name,
            ),
            (
                slug_column(),
                Column("label", STRING, _("Libellé"), required=True),
                Column("position", INTEGER, _("Ordre d'affichage")),
            ),
            ("slug",),
            rows=lambda links, model=facet.options.model: (
                vocabulary_record(entry) for entry in model.objects.all()
            ),
        )
        for facet in vocabulary_facets()
    ]


DATAINCLUSION = Table(
    "datainclusion",
    _("Correspondances avec les référentiels data·inclusion"),
    _(
        "Les valeurs du portail qui ont un équivalent dans les référentiels du schéma "
        "data·inclusion (version 1) : publics, typologie et réseau porteur des structures. "
        "« * » : toute structure qui a une fédération."
    ),
    (
        Column(
            "vocabulary",
            STRING,
            _("Vocabulaire du portail"),
            _("Une table (publics) ou une colonne de table (structures.kind)."),
            required=True,
        ),
        Column("value", STRING, _("Valeur du portail"), required=True),
        Column("datainclusion_vocabulary", STRING, _("Référentiel data·inclusion"), required=True),
        Column("datainclusion_value", STRING, _("Valeur data·inclusion"), required=True),
        Column("datainclusion_label", STRING, _("Libellé data·inclusion")),
        Column(
            "match",
            STRING,
            _("Correspondance"),
            _("Au sens de SKOS : exactMatch, closeMatch ou broadMatch (plus large)."),
            required=True,
            enum=(EXACT, CLOSE, BROAD),
        ),
    ),
    ("vocabulary", "value", "datainclusion_vocabulary", "datainclusion_value"),
    rows=lambda links: datainclusion.rows(),
)


def tables() -> list[Table]:
    """Every table of the bulk download, in the order of the package."""
    return [*sheet_tables(), *network_tables(), *vocabulary_tables(), DATAINCLUSION]
