"""Writing the bulk download: the tables as CSV, the sheets as JSON, the Frictionless Data
Package that describes them, and its DCAT description; published all at once.

- CSV: RFC 4180 (comma, CRLF, double quotes), UTF-8 without a byte order mark, one header
  line, dates and times in ISO 8601 UTC, decimal point; nothing is altered (no apostrophe
  before a leading ``=``: the files are data for programs, described by their schema).
- ``actions.json``: the sheets as the API serves them (api/v1/actions/), in one array.
- ``datapackage.json``: each file with its size, SHA-256 hash and number of rows (checked by
  ``frictionless validate``), the Table Schema of each table (types, constraints, primary and
  foreign keys), titles and descriptions in French and English, the licence.
- ``dcat.jsonld``: the dataset and its distributions in DCAT (JSON-LD), for the harvesters of
  the national open-data portals.

``publish`` builds the export in a new directory beside its destination and then points the
destination at it with one atomic rename (the destination is a symbolic link): a reader of
/donnees/ sees the previous export or the new one, never a half-written one.
"""

import csv
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from catalogue.records import Links, iter_sheet_records

from .tables import DATETIME, INTEGER, NUMBER, Table, bilingual, tables

PACKAGE, DCAT, SHEETS_JSON = "datapackage.json", "dcat.jsonld", "actions.json"
LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence 2.0 (Etalab)",
}
TITLE = _("Fiches action des centres sociaux et espaces de vie sociale")
DESCRIPTION = _(
    "Les fiches action publiées par les fédérations des centres sociaux : ce que mènent les "
    "centres sociaux et espaces de vie sociale avec les habitants (séjours, accompagnement "
    "à la scolarité, parentalité…), section par section, avec leurs structures, "
    "fédérations, territoires, partenaires et financements."
)
JSON_DESCRIPTION = _(
    "Les mêmes fiches en JSON, sous la forme que leur donne l'API (/api/v1/actions/) : "
    "chaque fiche avec toutes ses sections, ses vocabulaires en slug et libellé."
)
KEYWORDS = ["centres sociaux", "espaces de vie sociale", "action sociale", "fiches action"]


class ExportError(Exception):
    """The destination cannot receive an export (an existing directory that is not one)."""


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def cell(column_type: str, value) -> str:
    if value is None:
        return ""
    if column_type == DATETIME:
        return utc_text(value)
    if column_type == NUMBER:
        return f"{value:.2f}"
    if column_type == INTEGER:
        return str(value)
    return value


def _json_default(value):
    if isinstance(value, datetime):
        return utc_text(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class _TableWriter:
    def __init__(self, table: Table, directory: Path, stack: ExitStack):
        self.table = table
        self.types = [column.type for column in table.columns]
        self.names = [column.name for column in table.columns]
        path = directory / table.path
        handle = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))  # noqa: SIM115
        self.writer = csv.writer(handle)
        self.writer.writerow(self.names)
        self.rows = 0

    def write(self, row: dict) -> None:
        if unknown := set(row) - set(self.names):
            raise ValueError(f"{self.table.name}: no column for {sorted(unknown)}")
        self.writer.writerow(
            [cell(t, row.get(n)) for t, n in zip(self.types, self.names, strict=True)]
        )
        self.rows += 1


def write_tables(directory: Path, links: Links) -> dict[str, int]:
    """Every table and the JSON of the sheets, in ``directory``; {file: rows}."""
    all_tables = tables()
    with ExitStack() as stack:
        writers = [_TableWriter(table, directory, stack) for table in all_tables]
        from_records = [w for w in writers if w.table.from_record is not None]
        sheets_json = stack.enter_context(open(directory / SHEETS_JSON, "w", encoding="utf-8"))
        sheets_json.write("[")
        sheets = iter_sheet_records(Action.objects.published().order_by("slug"), links)
        count = 0
        for count, record in enumerate(sheets, start=1):
            sheets_json.write(
                ("\n" if count == 1 else ",\n")
                + json.dumps(record, ensure_ascii=False, default=_json_default)
            )
            for writer in from_records:
                for row in writer.table.from_record(record):
                    writer.write(row)
        sheets_json.write("\n]\n")
        for writer in writers:
            if writer.table.rows is not None:
                for row in writer.table.rows(links):
                    writer.write(row)
    counts = {writer.table.path: writer.rows for writer in writers}
    counts[SHEETS_JSON] = count
    return counts


def file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "hash": f"sha256:{digest.hexdigest()}"}


def package_descriptor(directory: Path, counts: dict[str, int], *, base_url: str, created) -> dict:
    resources = []
    for table in tables():
        resource = {
            "name": table.name,
            "path": table.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **file_facts(directory / table.path),
            "rows": counts[table.path],
        }
        bilingual(resource, title=table.title, description=table.description)
        resource["schema"] = table.schema()
        resources.append(resource)
    sheets_json = {
        "name": "actions-json",
        "path": SHEETS_JSON,
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        **file_facts(directory / SHEETS_JSON),
    }
    resources.insert(
        1, bilingual(sheets_json, title=_("Fiches action (JSON)"), description=JSON_DESCRIPTION)
    )
    home = base_url + reverse("opendata:index")
    package = {
        "profile": "data-package",
        "name": "fiches-action-centres-sociaux",
        "id": home,
        "homepage": home,
        "created": utc_text(created),
        "licenses": [LICENCE],
        "keywords": KEYWORDS,
        "contributors": [
            {"title": settings.OPEN_DATA_PUBLISHER, "role": "publisher", "path": base_url}
        ],
        "sources": [{"title": str(TITLE), "path": base_url + "/"}],
    }
    bilingual(package, title=TITLE, description=DESCRIPTION)
    package["resources"] = resources
    return package


def dcat_description(package: dict, *, base_url: str) -> dict:
    """The package as a ``dcat:Dataset`` with one ``dcat:Distribution`` per file."""
    files = base_url + reverse("opendata:index")

    def texts(descriptor, key):
        return [
            {"@value": descriptor[key], "@language": "fr"},
            {"@value": descriptor[f"{key}_en"], "@language": "en"},
        ]

    def distribution(resource):
        return {
            "@type": "dcat:Distribution",
            "dct:title": texts(resource, "title"),
            "dct:description": texts(resource, "description"),
            "dcat:downloadURL": {"@id": files + resource["path"]},
            "dcat:accessURL": {"@id": files},
            "dcat:mediaType": resource["mediatype"],
            "dct:format": resource["format"].upper(),
            "dcat:byteSize": {"@value": resource["bytes"], "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                "spdx:checksumValue": resource["hash"].removeprefix("sha256:"),
            },
            "dct:license": {"@id": LICENCE["path"]},
            "dct:conformsTo": {"@id": files + PACKAGE},
        }

    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": package["id"] + "#jeu-de-donnees",
        "@type": "dcat:Dataset",
        "dct:identifier": package["name"],
        "dct:title": texts(package, "title"),
        "dct:description": texts(package, "description"),
        "dcat:keyword": [{"@value": k, "@language": "fr"} for k in package["keywords"]],
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
        "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/FRA"},
        "dct:license": {"@id": LICENCE["path"]},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": settings.OPEN_DATA_PUBLISHER},
        "dct:modified": {"@value": package["created"], "@type": "xsd:dateTime"},
        "dcat:landingPage": {"@id": package["homepage"]},
        "dcat:distribution": [distribution(r) for r in package["resources"]],
    }


def write_export(directory: Path, *, base_url: str, created=None) -> dict:
    """The whole export in ``directory`` (which exists and is empty); the package."""
    created = created or timezone.now()
    links = Links(base_url)
    # Labels of the data in the language of the published format, as the API gives them.
    with translation.override(settings.LANGUAGE_CODE):
        counts = write_tables(directory, links)
        package = package_descriptor(directory, counts, base_url=links.base, created=created)
    (directory / PACKAGE).write_text(
        json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    dcat = dcat_description(package, base_url=links.base)
    (directory / DCAT).write_text(json.dumps(dcat, ensure_ascii=False, indent=2), encoding="utf-8")
    return package


def publish(destination: Path, *, base_url: str) -> dict:
    """Build a new export beside ``destination``, then make ``destination`` (a symbolic link)
    point at it in one rename, and remove the previous one. A reader that opened a file of
    the previous export reads it to its end (the file lives until it is closed)."""
    destination = Path(destination)
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    if destination.exists() and not destination.is_symlink():
        if any(destination.iterdir()):
            raise ExportError(
                f"{destination} existe et n'est pas un export : choisir un autre dossier."
            )
        destination.rmdir()
    release = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=parent))
    try:
        release.chmod(0o755)
        package = write_export(release, base_url=base_url)
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    previous = destination.resolve() if destination.is_symlink() else None
    link = parent / f".{destination.name}-{secrets.token_hex(6)}.link"
    link.symlink_to(release.name)
    os.replace(link, destination)
    if previous is not None and previous != release and previous.parent == parent:
        shutil.rmtree(previous, ignore_errors=True)
    return package
