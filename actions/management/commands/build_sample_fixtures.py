"""(Re)build the sample fixtures from the sample sheets, with the importer itself.

    python manage.py build_sample_fixtures [--check]

Writes ``fixtures/sample_federations.json`` and ``fixtures/sample_actions.json`` (loaded by
``load_demo``). It runs on a freshly migrated database: everything it creates is rolled back
once serialised, so the database is left as it was. To rebuild without touching a working
database::

    DEBUG=true DATABASE_URL=sqlite:////tmp/fixtures.sqlite3 python manage.py migrate
    DEBUG=true DATABASE_URL=sqlite:////tmp/fixtures.sqlite3 python manage.py build_sample_fixtures

The fixtures use natural keys only (slugs, INSEE codes) and fixed dates, so they load on any
freshly migrated database and a rebuild gives the same bytes (``--check`` compares).

- ``sample_federations``: the four federations the sample articles speak of, and one
  federation per other département of the sample structures, which each structure joins;
- ``sample_actions``: the federations its structures belong to (so that it also loads on its
  own), the structures, partners, published actions, their partners and funding lines.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from actions.importer.loader import Source, department_keys, import_sheets, read_source
from actions.importer.parser import parse_text
from actions.models import (
    Action,
    ActionPartner,
    Dimension,
    Funding,
    Initiative,
    Partner,
    Public,
    TerritoryScale,
    Theme,
)
from actions.services import publication
from federations.models import Department, Federation, Membership, Structure

SAMPLE_SHEETS = Path(settings.BASE_DIR) / "fixtures" / "sheets" / "observatoire_sample.txt"
OUTPUT_DIR = Path(settings.BASE_DIR) / "fixtures"
# The first sheet of the file is the most recently published, one minute apart.
PUBLISHED_AT = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
# Columns maintained by the database (PostgreSQL full-text search): never in a fixture.
DERIVED_FIELDS = ("search_vector",)

# The federations of the articles in the sample (``../shared/seeds``): name, départements,
# description. No address is given for them there, so none is invented.
ARTICLE_FEDERATIONS = (
    (
        "Fédération des centres sociaux du Val-de-Marne",
        ["94"],
        "Le réseau des centres sociaux du Val-de-Marne. Pendant le confinement de 2020, les "
        "directeurs et directrices se sont réunis en visioconférence pour garder le lien avec "
        "les habitants, les familles et les seniors.",
    ),
    (
        "Fédération des centres sociaux de Loire-Atlantique",
        ["44"],
        "Réseau des centres sociaux de Loire-Atlantique : « Une place pour tous, un espace pour "
        "chacun ». Il anime les « Petites ébullitions du vendredi », des échanges entre "
        "bénévoles et professionnels du réseau.",
    ),
    (
        "Fédération des centres sociaux du Nord-Pas-de-Calais",
        ["59", "62"],
        "170 structures adhérentes dans le Nord et le Pas-de-Calais ; partenaire du projet "
        "« Centres sociaux connectés » depuis 2017.",
    ),
    (
        "Fédération des centres sociaux du Val-d'Oise",
        ["95"],
        "65 centres sociaux et 13 espaces de vie sociale agréés par la Caf dans le Val-d'Oise.",
    ),
)
# "de la Somme", "du Rhône", "de l'Yonne", "des Bouches-du-Rhône": the article each
# département takes; those not listed take "du" (or "de l'" before a vowel).
FEMININE = {
    *("16", "17", "19", "2A", "2B", "21", "23", "24", "26", "31", "33", "42", "43", "44"),
    *("48", "50", "51", "52", "53", "54", "55", "57", "58", "70", "71", "72", "73", "74"),
    *("76", "77", "80", "85", "86", "87", "93", "971", "972", "973"),
}
PLURAL = {"04", "05", "06", "08", "13", "22", "40", "64", "65", "66", "78", "79", "88", "92"}
NO_ARTICLE = {"75", "974", "976"}  # Paris, La Réunion, Mayotte


def of_department(department: Department) -> str:
    """ "de la Somme", "du Rhône", "de l'Hérault", "des Bouches-du-Rhône", "de Paris"."""
    name, code = department.name, department.code
    if code in NO_ARTICLE:
        return f"de {name}"
    if code in PLURAL:
        return f"des {name}"
    if name[0] in "AEIOUYÉÈÊaeiouy" or name.startswith("Hé"):
        return f"de l'{name}"
    if code in FEMININE:
        return f"de la {name}"
    return f"du {name}"


class Command(BaseCommand):
    help = "Reconstruit les fixtures d'exemple (fédérations, fiches) à partir des fiches d'exemple."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(SAMPLE_SHEETS), help="fichier des fiches")
        parser.add_argument("--output-dir", default=str(OUTPUT_DIR), help="dossier des fixtures")
        parser.add_argument(
            "--check",
            action="store_true",
            help="comparer aux fixtures existantes sans les écrire (échec si elles diffèrent)",
        )

    def handle(self, *args, **options):
        source = read_source(options["source"])
        if source.error:
            raise CommandError(f"{source.name} : {source.error}")
        with transaction.atomic():
            payloads = build(source)
            transaction.set_rollback(True)
        output_dir = Path(options["output_dir"])
        different = []
        for name, payload in payloads.items():
            path = output_dir / f"{name}.json"
            if options["check"]:
                if not path.exists() or path.read_text(encoding="utf-8") != payload:
                    different.append(str(path))
            else:
                output_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(payload, encoding="utf-8")
                self.stdout.write(f"{path} écrit.")
        if different:
            raise CommandError(
                "Fixtures à régénérer (python manage.py build_sample_fixtures) : "
                + ", ".join(different)
            )


def build(source: Source) -> dict[str, str]:
    """The two fixtures' JSON, built in the current transaction (the caller rolls it back)."""
    busy = [
        model._meta.verbose_name_plural
        for model in (Action, Structure, Partner, Federation, Membership)
        if model.objects.exists()
    ]
    if busy:
        raise CommandError(
            "Il faut une base fraîchement migrée (elle contient déjà : "
            + ", ".join(str(name) for name in busy)
            + ")."
        )
    vocabularies = (Theme, Public, Dimension, Initiative, TerritoryScale)
    known_vocabulary = {
        model: set(model.objects.values_list("pk", flat=True)) for model in vocabularies
    }
    federations = create_federations(source)
    report = import_sheets(sources=[source], publish=True)
    if report.failed:
        raise CommandError("Des fiches d'exemple sont rejetées : corriger le fichier source.")
    join_federations()
    slugs = [r.action_slug for r in report.results if r.action_slug]
    actions = sorted(Action.objects.filter(slug__in=slugs), key=lambda a: slugs.index(a.slug))
    for position, action in enumerate(actions):
        publication.backdate(action=action, at=PUBLISHED_AT - timedelta(minutes=position))
    actions = sorted(Action.objects.filter(slug__in=slugs), key=lambda a: slugs.index(a.slug))
    order = {action.pk: position for position, action in enumerate(actions)}
    structures = sorted({a.structure for a in actions}, key=lambda s: s.slug)
    used_federations = sorted(
        {s.federation for s in structures if s.federation}, key=lambda f: f.slug
    )
    new_vocabulary = [
        entry
        for model in vocabularies
        for entry in model.objects.exclude(pk__in=known_vocabulary[model]).order_by("slug")
    ]
    links = sorted(
        ActionPartner.objects.filter(action__in=actions).select_related("action", "partner"),
        key=lambda link: (order[link.action_id], link.role, link.partner.slug),
    )
    fundings = sorted(
        Funding.objects.filter(action__in=actions).select_related("action", "funder"),
        key=lambda line: (order[line.action_id], line.pk),
    )
    partners = Partner.objects.filter(pk__in={link.partner_id for link in links}).order_by("slug")
    return {
        "sample_federations": _serialise(federations),
        "sample_actions": _serialise(
            [
                *used_federations,
                *new_vocabulary,
                *structures,
                *partners,
                *actions,
                *links,
                *fundings,
            ]
        ),
    }


def create_federations(source: Source) -> list[Federation]:
    """The article federations, then "Fédération des centres sociaux de <département>" for
    each other département of the sample structures."""
    federations = []
    covered = set()
    for name, codes, description in ARTICLE_FEDERATIONS:
        federation = Federation.objects.create(
            name=name, slug=slugify(name), description=description
        )
        federation.departments.set(Department.objects.filter(code__in=codes))
        federations.append(federation)
        covered.update(codes)
    departments = {}
    for sheet in parse_text(source.text):
        if sheet.structure is None:
            continue
        department = _department(sheet.structure.department)
        if department is not None and department.code not in covered:
            departments[department.code] = department
    for code in sorted(departments):
        department = departments[code]
        name = f"Fédération des centres sociaux {of_department(department)}"
        federation = Federation.objects.create(name=name, slug=slugify(name))
        federation.departments.set([department])
        federations.append(federation)
    return sorted(federations, key=lambda f: f.slug)


def join_federations() -> None:
    """Each sample structure joins the federation made up for its département: the importer
    never guesses a structure's federation, the sample decides it here."""
    for structure in Structure.objects.filter(federation=None).select_related("department"):
        (federation,) = structure.department.federations.all()
        Structure.objects.filter(pk=structure.pk).update(federation=federation)


def _department(label: str) -> Department | None:
    wanted = set(department_keys(label))
    for department in Department.objects.all():
        if wanted & set(department_keys(department.name)):
            return department
    return None


def _serialise(objects) -> str:
    """JSON with natural keys only; rows without a natural key get no primary key, so that
    loading never overwrites a row of the target database. Columns the database computes
    itself are left out (they differ between SQLite and PostgreSQL)."""
    data = json.loads(
        serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
    )
    for row in data:
        if row["model"] in {"actions.actionpartner", "actions.funding"}:
            row.pop("pk", None)
        for name in DERIVED_FIELDS:
            row["fields"].pop(name, None)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
