"""Bulk generation of a synthetic national network: federations, structures, partners, sheets.

Shapes follow the real network (2,380 centres sociaux and 1,690 EVS in 2024): structures spread
over the 101 départements by population, ~58 % centres sociaux; each département has its
federation and a few régions a regional one. Sheets use the seeded vocabularies only, with
Zipf-like theme and public frequencies, years 2015–2026 weighted towards recent ones, ~90 %
published. Funders (Caf, communes, département, région, État, foundations...) are partners
reused across sheets.

Everything derives from one ``random.Random(seed)`` and a fixed reference date, so a seed always
gives the same data. Rows are written in chunks, one transaction per chunk, bypassing ``save()``:
nothing here relies on it (slugs and timestamps are set explicitly). Sheets and partners go
through the bulk entries of the write side (``actions.services.content.bulk_load``: ``COPY`` on
PostgreSQL, ``bulk_create`` elsewhere; ``actions.services.partners.PartnerDirectory``), which
set their publication state and match partner names like every other writer.

Memory stays bounded whatever the volume: sheets are composed one chunk at a time and handed to
writer threads (``--writers``, each on its own connection, so that PostgreSQL works on one chunk
while Python composes the next) through a queue of at most one chunk per writer. The search
vectors are computed by their row trigger as each sheet is inserted (its lines go first); the
facet index is switched off during the load and rebuilt at the end, one statement per table
(``actions.facet_index.deferred_index``).
"""

import contextlib
import math
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection, reset_queries, transaction
from django.utils.text import slugify
from stdnum import luhn

from actions.enums import ActionStatus, PartnerKind, PartnerRole, PublicationStatus
from actions.facet_index import deferred_index, suspend_index
from actions.models import (
    Action,
    ActionPartner,
    Dimension,
    FacetEntry,
    FacetPair,
    Funding,
    Initiative,
    Partner,
    Public,
    TerritoryScale,
    Theme,
)
from actions.services import content
from actions.services.partners import PartnerDirectory
from actions.services.publication import LoadedState
from federations.enums import StructureKind
from federations.models import Department, Federation, Structure

from . import places, texts
from .marks import DEMO_DOMAIN, DEMO_SLUG_PREFIX

# Dates are drawn relative to this instant, not to "now", so that a seed gives the same data.
REFERENCE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
YEARS = range(2015, 2027)
CENTRE_SOCIAL_SHARE = 0.58  # 2,380 of 4,070 structures in 2024

CS_PREFIXES = (
    "Centre social",
    "Centre social",
    "Centre social et culturel",
    "Centre socioculturel",
    "Maison de quartier",
    "Maison pour tous",
)
EVS_PREFIXES = (
    "Espace de vie sociale",
    "Espace de vie sociale",
    "EVS",
    "Maison des habitants",
    "Association",
    "Café associatif",
)
NAME_CORES = (
    "Jacques Prévert", "Louise Michel", "Jean Jaurès", "Pablo Picasso", "Victor Hugo",
    "Simone Veil", "Nelson Mandela", "Aimé Césaire", "Georges Brassens", "Marie Curie",
    "Rosa Parks", "Léo Lagrange", "Jean Moulin", "Albert Camus", "Boris Vian", "Colette",
    "Lucie Aubrac", "Germaine Tillion", "Olympe de Gouges", "Françoise Dolto", "Paul Éluard",
    "Louis Aragon", "Joséphine Baker", "Gisèle Halimi", "Victor Schœlcher", "Jean Macé",
    "Les Tilleuls", "La Passerelle", "Le Lien", "L'Escale", "Les Coteaux", "La Source",
    "L'Arche", "Le Trait d'union", "La Clé des champs", "Les Marronniers", "L'Agora",
    "La Ruche", "Le Phare", "L'Îlot", "La Maison bleue", "Les Saules", "La Farandole",
    "L'Étincelle", "Les Bruyères", "La Courte Échelle", "La Boussole", "Les Amandiers",
    "Le Kiosque", "La Fabrique", "L'Oasis", "Le Relais", "La Roseraie", "Le Colombier",
)  # fmt: skip
STREETS = (
    "rue Jean Jaurès", "avenue de la République", "place du Marché", "rue Victor Hugo",
    "allée des Tilleuls", "boulevard Gambetta", "rue de la Paix", "rue Pasteur",
    "rue des Écoles", "chemin des Vignes", "rue du Stade", "square Louise Michel",
    "avenue du Général de Gaulle", "rue de la Mairie", "impasse des Lilas", "rue de la Gare",
)  # fmt: skip

NATIONAL_FUNDERS = (
    ("Fondation de France", PartnerKind.COMPANY, 5),
    ("Fondation Abbé Pierre", PartnerKind.COMPANY, 2),
    ("Fondation SNCF", PartnerKind.COMPANY, 1),
    ("Fondation Orange", PartnerKind.COMPANY, 1),
    ("Fondation Crédit Mutuel", PartnerKind.COMPANY, 1),
    ("Fondation AG2R La Mondiale", PartnerKind.COMPANY, 1),
    ("Fonds de développement de la vie associative (FDVA)", PartnerKind.ETAT, 4),
    ("Agence nationale de la cohésion des territoires (ANCT)", PartnerKind.ETAT, 3),
    ("Mutualité sociale agricole (MSA)", PartnerKind.OTHER, 2),
    ("Agence nationale pour les chèques-vacances (ANCV)", PartnerKind.OTHER, 1),
)
NATIONAL_ASSOCIATIONS = (
    "Secours populaire français", "Restos du Cœur", "Secours catholique", "Croix-Rouge française",
    "Ligue de l'enseignement", "Les Francas", "Familles rurales", "ATD Quart Monde",
    "Petits Frères des Pauvres", "Unis-Cité", "Emmaüs Connect", "AFEV", "UFCV",
    "Bibliothèques sans frontières", "Compagnons Bâtisseurs", "Planning familial",
    "Apprentis d'Auteuil", "La Cimade", "France Bénévolat", "Réseau des Accorderies",
)  # fmt: skip
# (funder key, chance that a sheet has this funding line, lognormal median amount in €)
FUNDER_CHANCES = (
    ("caf", 0.62, 6000),
    ("commune", 0.48, 2500),
    ("departement", 0.28, 3000),
    ("prefecture", 0.14, 5000),
    ("region", 0.09, 4000),
    ("ars", 0.05, 4000),
    ("national", 0.16, 3000),
)


class DemoDataError(Exception):
    """The database cannot receive demo data (for example, vocabularies are missing)."""


@dataclass
class _Structure:
    pk: int
    code: str  # département
    region: str
    commune: str
    centre: str  # "le centre social", "l'espace de vie sociale"


@dataclass
class _Sheet:
    action: Action
    state: LoadedState
    themes: list[int]
    publics: list[int]
    initiatives: list[int]
    partners: list[tuple[str, str]]  # (partner name, role)
    fundings: list[tuple[str, int, str]]  # (funder name, amount, note)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _zipf_cum_weights(count: int, exponent: float = 1.05) -> list[float]:
    total, cum = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank**exponent
        cum.append(total)
    return cum


# La Poste's SIREN: its establishments follow another checksum rule.
LA_POSTE_SIREN = "356000000"


def _luhn_siret(rng: random.Random) -> str:
    """A SIRET that ``stdnum.fr.siret`` accepts: a SIREN (8 digits and its Luhn key), a
    4-digit establishment number, the SIRET's Luhn key (never in La Poste's SIREN, which has
    another rule)."""
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
        siren = digits + luhn.calc_check_digit(digits)
        if siren[0] != "0" and siren != LA_POSTE_SIREN:
            break
    number = siren + "".join(str(rng.randint(0, 9)) for _ in range(4))
    return number + luhn.calc_check_digit(number)


@contextlib.contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let ``bulk_create`` keep the ``created_at``/``updated_at`` we set, spread over years,
    instead of stamping every sheet with the time of the run."""
    fields = [Action._meta.get_field("created_at"), Action._meta.get_field("updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Partners:
    """Partners by name, declared while sheets are composed and created in bulk the first
    time a chunk of sheets needs them.

    Existing partners with the same name (real data, with ``--force``) are reused, not copied.
    """

    def __init__(self):
        self.directory = PartnerDirectory(slug_prefix=DEMO_SLUG_PREFIX)
        self.kinds: dict[str, str] = {}

    @property
    def created(self) -> int:
        return self.directory.created

    def declare(self, name: str, kind: str) -> str:
        self.kinds.setdefault(name, kind)
        return name

    def ensure(self, names: set[str]) -> None:
        self.directory.ensure({name: self.kinds[name] for name in names})

    def id_of(self, name: str) -> int:
        return self.directory.id_of(name)


class _Writers:
    """Threads that write the chunks of sheets handed to them, each on its own database
    connection, with the facet index switched off (the generator rebuilds it at the end).

    ``submit`` blocks while every writer is busy and one chunk already waits: at most
    ``2 * count + 1`` chunks exist at once. The first error stops the writing; it is raised
    by the next ``submit`` or by ``finish``. With no thread (``count`` 0: a connection inside
    a transaction, whose rows other connections cannot see, as in tests), ``submit`` writes
    at once on the caller's connection.
    """

    def __init__(self, count: int, write: Callable[[list], None]):
        self.write = write
        self.chunks: queue.Queue = queue.Queue(maxsize=count)
        self.error: BaseException | None = None
        self.busy_seconds = 0.0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def _timed_write(self, chunk: list) -> None:
        started = time.perf_counter()
        self.write(chunk)
        with self.lock:
            self.busy_seconds += time.perf_counter() - started

    def _run(self) -> None:
        try:
            suspend_index()
        except Exception as error:  # raised in the main thread
            self.error = error
        while (chunk := self.chunks.get()) is not None:
            if self.error is None:
                try:
                    self._timed_write(chunk)
                except Exception as error:  # raised in the main thread
                    self.error = error
        connection.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def submit(self, chunk: list) -> None:
        self._raise()
        if self.threads:
            self.chunks.put(chunk)
        else:
            self._timed_write(chunk)

    def finish(self) -> None:
        for _ in self.threads:
            self.chunks.put(None)
        for thread in self.threads:
            thread.join()
        self._raise()


class Generator:
    def __init__(
        self,
        *,
        seed: int,
        batch_size: int = 2000,
        writers: int = 2,
        log: Callable[[str], None],
    ):
        self.rng = random.Random(seed)
        self.writer = texts.SheetWriter(self.rng)
        self.batch_size = batch_size
        # Other connections cannot see rows of a transaction that has not committed; SQLite
        # takes one writer at a time.
        alone = connection.in_atomic_block or connection.vendor != "postgresql"
        self.writers = 0 if alone else writers
        self.log = log
        self.report = Report()
        self._load_reference_data()

    # reference data -------------------------------------------------------------------------

    def _load_reference_data(self) -> None:
        self.departments = list(Department.objects.select_related("region").order_by("code"))
        if not self.departments:
            raise DemoDataError("Aucun département : la base n'est pas migrée.")
        self.themes = self._by_popularity(Theme, texts.THEME_POPULARITY)
        self.publics = self._by_popularity(Public, texts.PUBLIC_POPULARITY)
        self.theme_cum = _zipf_cum_weights(len(self.themes))
        self.public_cum = _zipf_cum_weights(len(self.publics), 1.2)
        self.theme_ids = {t.slug: t.pk for t in self.themes}
        self.theme_slugs = {t.pk: t.slug for t in self.themes}
        self.public_ids = {p.slug: p.pk for p in self.publics}
        self.dimensions = self._weighted(
            Dimension,
            {
                "animation-de-la-vie-sociale": 45,
                "services": 20,
                "accompagnement-de-projets": 20,
                "citoyennete": 15,
            },
        )
        self.initiatives = self._weighted(
            Initiative,
            {
                "le-centre-social": 55,
                "un-groupe-dhabitants": 20,
                "un-ou-plusieurs-partenaires": 15,
                "un-habitant": 6,
                "la-federation": 4,
            },
        )
        self.scales = self._weighted(
            TerritoryScale,
            {
                "un-quartier": 35,
                "une-commune": 25,
                "plusieurs-quartiers": 20,
                "plusieurs-communes": 12,
                "le-departement": 5,
                "la-region": 3,
            },
        )

    @staticmethod
    def _by_popularity(model, order: tuple[str, ...]) -> list:
        entries = {entry.slug: entry for entry in model.objects.order_by("position", "slug")}
        if not entries:
            raise DemoDataError(f"Vocabulaire vide : {model._meta.verbose_name_plural}.")
        ranked = [entries.pop(slug) for slug in order if slug in entries]
        return ranked + list(entries.values())

    @staticmethod
    def _weighted(model, weights: dict[str, int]) -> tuple[list[int], list[int]]:
        entries = list(model.objects.order_by("position", "slug"))
        if not entries:
            raise DemoDataError(f"Vocabulaire vide : {model._meta.verbose_name_plural}.")
        return [e.pk for e in entries], [weights.get(e.slug, 5) for e in entries]

    # helpers ----------------------------------------------------------------------------------

    def _timed(self, label: str, started: float) -> None:
        self.report.seconds[label] = time.perf_counter() - started

    def _zipf_pick(self, entries: list, cum: list[float]):
        return self.rng.choices(entries, cum_weights=cum)[0]

    def _moment(self, start: datetime, days: float) -> datetime:
        moment = start + timedelta(
            days=self.rng.uniform(0, days), seconds=self.rng.randint(0, 86399)
        )
        return min(moment, REFERENCE)

    # federations and structures ---------------------------------------------------------------

    def create_federations(self) -> None:
        started = time.perf_counter()
        taken = set(Federation.objects.values_list("name", flat=True))
        federations, covered = [], []
        for dept in self.departments:
            article = places.DEPARTMENTS.get(dept.code, (0, "de ", ""))[1]
            federations.append(
                self._federation(
                    f"Fédération des centres sociaux {article}{dept.name}",
                    dept.slug,
                    "départementale",
                    taken,
                )
            )
            covered.append([dept.pk])
        by_region: dict[str, list[Department]] = {}
        for dept in self.departments:
            by_region.setdefault(dept.region.code, []).append(dept)
        regional_codes = [code for code in places.REGIONAL_FEDERATIONS if code in by_region]
        for code in regional_codes:
            article = places.REGIONAL_FEDERATIONS[code]
            region = by_region[code][0].region
            federations.append(
                self._federation(
                    f"Fédération régionale des centres sociaux {article}",
                    f"region-{region.slug}",
                    "régionale",
                    taken,
                )
            )
            covered.append([d.pk for d in by_region[code]])
        with transaction.atomic():
            Federation.objects.bulk_create(federations)
            Through = Federation.departments.through
            Through.objects.bulk_create(
                Through(federation_id=fed.pk, department_id=dept_pk)
                for fed, dept_pks in zip(federations, covered, strict=True)
                for dept_pk in dept_pks
            )
        self.federation_by_dept = {
            dept.code: federations[i].pk for i, dept in enumerate(self.departments)
        }
        self.regional_federation = {
            code: fed.pk
            for code, fed in zip(regional_codes, federations[len(self.departments) :], strict=True)
        }
        self.report.counts["federations"] = len(federations)
        self._timed("federations", started)

    @staticmethod
    def _federation(name: str, slug: str, scope: str, taken: set[str]) -> Federation:
        if name in taken:
            name = f"{name} (démo)"
        taken.add(name)
        return Federation(
            name=name,
            slug=f"{DEMO_SLUG_PREFIX}federation-{slug}",
            email=f"contact@{slug}.{DEMO_DOMAIN}",
            website=f"https://{slug}.{DEMO_DOMAIN}/",
            description=(
                f"Fédération {scope} : elle anime le réseau des centres sociaux et espaces de "
                "vie sociale de son territoire, accompagne leurs projets et les représente "
                "auprès des pouvoirs publics."
            ),
        )

    def create_structures(self, total: int) -> None:
        started = time.perf_counter()
        rng = self.rng
        weights = {d.code: places.DEPARTMENTS.get(d.code, (100,))[0] for d in self.departments}
        counts = places.allocate(total, weights)
        taken = {
            (name.lower(), dept)
            for name, dept in Structure.objects.values_list("name", "department_id")
        }
        town_seen: set[str] = set()
        structures: list[Structure] = []
        self.structures: list[_Structure] = []
        for dept in self.departments:
            count = counts[dept.code]
            if not count:
                continue
            chef_lieu = places.DEPARTMENTS.get(dept.code, (0, "", dept.name))[2]
            towns = [chef_lieu, *places.town_names(rng, max(0, round(count / 2.5) - 1), town_seen)]
            town_weights = [1 + 0.3 * len(towns)] + [1] * (len(towns) - 1)
            for _ in range(count):
                index = len(structures) + 1
                town_index = rng.choices(range(len(towns)), weights=town_weights)[0]
                commune = towns[town_index]
                centre_social = rng.random() < CENTRE_SOCIAL_SHARE
                name = self._structure_name(centre_social, commune, dept.pk, taken)
                slug = f"{DEMO_SLUG_PREFIX}{slugify(name)[:80]}-{index}"
                fed = None
                roll = rng.random()
                regional = self.regional_federation.get(dept.region.code)
                if regional and roll < 0.08:
                    fed = regional
                elif roll < 0.85:
                    fed = self.federation_by_dept[dept.code]
                structures.append(
                    Structure(
                        name=name,
                        slug=slug,
                        kind=StructureKind.CENTRE_SOCIAL if centre_social else StructureKind.EVS,
                        department_id=dept.pk,
                        federation_id=fed,
                        commune=commune,
                        postcode=places.postcode(rng, dept.code, town_index == 0),
                        address=f"{rng.randint(1, 120)}, {rng.choice(STREETS)}",
                        siret=_luhn_siret(rng),
                        first_agrement_date=date(
                            rng.randint(1965 if centre_social else 1998, 2024),
                            rng.randint(1, 12),
                            1,
                        ),
                        website=(
                            f"https://{slugify(name)[:50]}.{DEMO_DOMAIN}/"
                            if rng.random() < 0.6
                            else ""
                        ),
                        email=f"{slugify(name)[:50]}@{DEMO_DOMAIN}",
                    )
                )
                self.structures.append(
                    _Structure(
                        pk=0,
                        code=dept.code,
                        region=dept.region.code,
                        commune=commune,
                        centre=("le centre social" if centre_social else "l'espace de vie sociale"),
                    )
                )
        with transaction.atomic():
            Structure.objects.bulk_create(structures, batch_size=self.batch_size)
        for record, structure in zip(self.structures, structures, strict=True):
            record.pk = structure.pk
        # How many sheets each structure publishes varies a lot: a few very active centres.
        self.structure_cum = list(
            _cumulate(rng.lognormvariate(0, 0.8) for _ in range(len(self.structures)))
        )
        self.report.counts["structures"] = len(structures)
        self._timed("structures", started)

    def _structure_name(self, centre_social: bool, commune: str, dept_pk: int, taken) -> str:
        rng = self.rng
        prefix = rng.choice(CS_PREFIXES if centre_social else EVS_PREFIXES)
        candidates = [
            f"{prefix} {rng.choice(NAME_CORES)}",
            f"{prefix} {rng.choice(NAME_CORES)}",
            f"{prefix} {rng.choice(texts.NEIGHBOURHOODS)}",
            f"{prefix} {texts.de(commune)}",
            f"{prefix} {rng.choice(NAME_CORES)} – {commune}",
        ]
        for name in candidates:
            if (name.lower(), dept_pk) not in taken:
                break
        else:
            name, counter = candidates[-1], 2
            while (f"{name} ({counter})".lower(), dept_pk) in taken:
                counter += 1
            name = f"{name} ({counter})"
        taken.add((name.lower(), dept_pk))
        return name

    # partners -------------------------------------------------------------------------------

    def _funder(self, key: str, s: _Structure, partners: _Partners) -> str:
        dept = places.DEPARTMENTS.get(s.code, (0, "de ", ""))
        article, dept_name = dept[1], self._dept_names[s.code]
        region = self._region_names[s.region]
        if key == "caf":
            return partners.declare(f"Caf {article}{dept_name}", PartnerKind.CAF)
        if key == "commune":
            return partners.declare(f"Ville {texts.de(s.commune)}", PartnerKind.COMMUNE)
        if key == "departement":
            return partners.declare(
                f"Conseil départemental {article}{dept_name}", PartnerKind.DEPARTEMENT
            )
        if key == "prefecture":
            return partners.declare(
                f"Préfecture {article}{dept_name} (politique de la ville)", PartnerKind.ETAT
            )
        if key == "region":
            return partners.declare(f"Région {region}", PartnerKind.REGION)
        if key == "ars":
            return partners.declare(f"Agence régionale de santé {region}", PartnerKind.ETAT)
        name, kind, _ = self.rng.choices(
            NATIONAL_FUNDERS, weights=[w for _, _, w in NATIONAL_FUNDERS]
        )[0]
        return partners.declare(name, kind)

    def _action_partner(self, s: _Structure, partners: _Partners) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return partners.declare(rng.choice(NATIONAL_ASSOCIATIONS), PartnerKind.ASSOCIATION)
        if roll < 0.55:
            return partners.declare(f"CCAS {texts.de(s.commune)}", PartnerKind.COMMUNE)
        if roll < 0.7:
            return partners.declare(f"Médiathèque {texts.de(s.commune)}", PartnerKind.COMMUNE)
        if roll < 0.8:
            return partners.declare(
                f"Mission locale {texts.de(s.commune)}", PartnerKind.ASSOCIATION
            )
        if roll < 0.9:
            return partners.declare(f"{self._dept_names[s.code]} Habitat", PartnerKind.OTHER)
        return partners.declare(
            f"École élémentaire {rng.choice(NAME_CORES[:26])} – {s.commune}", PartnerKind.OTHER
        )

    # sheets -----------------------------------------------------------------------------------

    def create_actions(self, total: int) -> None:
        started = time.perf_counter()
        rng = self.rng
        self._dept_names = {d.code: d.name for d in self.departments}
        self._region_names = {d.region.code: d.region.name for d in self.departments}
        partners = _Partners()
        year_weights = [1 + 0.35 * (y - 2015) for y in YEARS]
        year_weights[-1] *= 0.85  # the current year is not over
        year_cum = list(_cumulate(year_weights))
        counts = dict.fromkeys(
            ["actions", "themes", "publics", "initiatives", "partner_links", "fundings"], 0
        )
        done = 0
        composition = 0.0

        def write(chunk: list[content.LoadedSheet]) -> None:
            loaded = content.bulk_load(chunk)
            with writers.lock:
                for key, n in loaded.items():
                    counts[key] += n
            reset_queries()  # under DEBUG, the logged statements would pile up

        with _explicit_timestamps():
            writers = _Writers(self.writers, write)
            try:
                while done < total:
                    size = min(self.batch_size, total - done)
                    step = time.perf_counter()
                    sheets = [
                        self._sheet(
                            done + i + 1, rng.choices(YEARS, cum_weights=year_cum)[0], partners
                        )
                        for i in range(size)
                    ]
                    chunk = self._loaded(sheets, partners)
                    composition += time.perf_counter() - step
                    writers.submit(chunk)
                    done += size
                    elapsed = time.perf_counter() - started
                    self.log(
                        f"  fiches : {done:>7} / {total} ({elapsed:6.1f} s, "
                        f"{done / elapsed:,.0f} fiches/s)".replace(",", "\u202f")
                    )
            finally:
                writers.finish()
        self.report.counts.update(counts)
        self.report.counts["partners"] = partners.created
        self._timed("actions", started)
        self.report.seconds["composition"] = composition
        self.report.seconds["insertion"] = writers.busy_seconds

    @staticmethod
    def _loaded(sheets: list[_Sheet], partners: _Partners) -> list[content.LoadedSheet]:
        """The chunk as ``bulk_load`` takes it, its partners created first (committed before
        a writer's connection needs them)."""
        partners.ensure(
            {name for sheet in sheets for name, _ in sheet.partners}
            | {name for sheet in sheets for name, _, _ in sheet.fundings}
        )
        return [
            content.LoadedSheet(
                action=s.action,
                state=s.state,
                themes=s.themes,
                publics=s.publics,
                initiatives=s.initiatives,
                partners=[(partners.id_of(name), role) for name, role in s.partners],
                fundings=[
                    Funding(
                        funder_id=partners.id_of(name),
                        amount=Decimal(amount),
                        year=s.action.year,
                        note=note,
                    )
                    for name, amount, note in s.fundings
                ],
            )
            for s in sheets
        ]

    def _sheet(self, number: int, year: int, partners: _Partners) -> _Sheet:
        rng = self.rng
        s = self.structures[
            rng.choices(range(len(self.structures)), cum_weights=self.structure_cum)[0]
        ]

        # vocabularies
        primary = self._zipf_pick(self.themes, self.theme_cum)
        bank = texts.THEMES.get(primary.slug, texts.GENERIC_THEME)
        theme_ids = [primary.pk]
        for _ in range(rng.choices((0, 1, 2, 3), weights=(30, 40, 20, 10))[0]):
            related = [slug for slug in bank.related if slug in self.theme_ids]
            if related and rng.random() < 0.6:
                pk = self.theme_ids[rng.choice(related)]
            else:
                pk = self._zipf_pick(self.themes, self.theme_cum).pk
            if pk not in theme_ids:
                theme_ids.append(pk)
        second_bank = texts.THEMES.get(self.theme_slugs[theme_ids[-1]], texts.GENERIC_THEME)
        preferred = [slug for slug in bank.publics if slug in self.public_ids]
        if preferred and rng.random() < 0.7:
            first_public = rng.choice(preferred)
        else:
            first_public = self._zipf_pick(self.publics, self.public_cum).slug
        public_slugs = [first_public]
        for _ in range(rng.choices((0, 1, 2), weights=(55, 35, 10))[0]):
            slug = self._zipf_pick(self.publics, self.public_cum).slug
            if slug not in public_slugs:
                public_slugs.append(slug)
        initiative_ids = list(
            dict.fromkeys(
                rng.choices(
                    self.initiatives[0], weights=self.initiatives[1], k=rng.choice((1, 1, 1, 2))
                )
            )
        )

        # partners and funding lines
        fundings: list[tuple[str, int, str]] = []
        for key, chance, median in FUNDER_CHANCES:
            if key == "ars" and primary.slug in {"sante", "vieillissement"}:
                chance = 0.4
            if rng.random() < chance:
                name = self._funder(key, s, partners)
                if all(name != line[0] for line in fundings):
                    amount = max(150, round(rng.lognormvariate(math.log(median), 0.8) / 50) * 50)
                    fundings.append((name, amount, self._funding_note(key)))
        fundings = sorted(fundings[:5], key=lambda line: -line[1])
        links = [(name, PartnerRole.FINANCIAL) for name, _, _ in fundings]
        action_partners = []
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(15, 30, 30, 17, 8))[0]):
            name = self._action_partner(s, partners)
            if name not in action_partners:
                action_partners.append(name)
        links += [(name, PartnerRole.ACTION) for name in action_partners]

        # figures
        staff = rng.choices((1, 2, 3, 4, 5), weights=(35, 35, 15, 10, 5))[0]
        volunteers = rng.choices((0, 2, 4, 6, 10, 20), weights=(15, 25, 25, 15, 12, 8))[0]
        volunteers += rng.randint(0, 3)
        participants = min(1500, max(5, int(rng.lognormvariate(3.6, 0.8))))
        funded = sum(amount for _, amount, _ in fundings)
        budget = None
        if (fundings and rng.random() < 0.8) or rng.random() < 0.2:
            budget = Decimal(round(max(funded, 500) * rng.uniform(1.05, 1.8), -2))

        # texts
        public_phrase = rng.choice(texts.PUBLIC_PHRASES.get(first_public, ("les habitants",)))
        facts = {
            "commune": s.commune,
            "neighbourhood": rng.choice(texts.NEIGHBOURHOODS),
            "year": year,
            "next_year": year + 1,
            "centre": s.centre,
            "Centre": texts.cap(s.centre),
            "public": public_phrase.format(commune=s.commune),
            "a_public2": texts.a(
                rng.choice(texts.PUBLIC_PHRASES[rng.choice(texts.PUBLIC_POPULARITY)]).format(
                    commune=s.commune
                )
            ),
            "partner": (
                texts.with_article(action_partners[0])
                if action_partners
                else "les partenaires du quartier"
            ),
            "partner2": texts.with_article(
                action_partners[-1] if action_partners else rng.choice(NATIONAL_ASSOCIATIONS)
            ),
            "participants": participants,
            "percent": rng.randint(5, 30),
        }
        title = self.writer.title(bank, facts)
        sections = self.writer.sections(bank, second_bank, facts)

        # status and publication
        finished_chance = (
            0.7 if year <= 2020 else 0.45 if year <= 2023 else 0.25 if year == 2024 else 0.08
        )
        status = ActionStatus.FINISHED if rng.random() < finished_chance else ActionStatus.ONGOING
        if year <= 2024:
            publication = rng.choices(
                (PublicationStatus.PUBLISHED, PublicationStatus.DRAFT, PublicationStatus.REJECTED),
                weights=(97, 2, 1),
            )[0]
        else:
            publication = rng.choices(
                (
                    PublicationStatus.PUBLISHED,
                    PublicationStatus.DRAFT,
                    PublicationStatus.SUBMITTED,
                    PublicationStatus.REJECTED,
                ),
                weights=(75, 10, 11, 4),
            )[0]
        created_at = self._moment(datetime(year, 1, 5, tzinfo=UTC), 330)
        published_at = submitted_at = None
        if publication == PublicationStatus.PUBLISHED:
            published_at = self._moment(created_at, 90)
            updated_at = self._moment(published_at, 30 if rng.random() < 0.8 else 400)
        elif publication in {PublicationStatus.SUBMITTED, PublicationStatus.REJECTED}:
            submitted_at = self._moment(created_at, 40)
            updated_at = submitted_at
        else:
            updated_at = self._moment(created_at, 60)

        action = Action(
            title=title,
            slug=f"{DEMO_SLUG_PREFIX}{slugify(title)[:80].strip('-')}-{number}",
            structure_id=s.pk,
            status=status,
            end_reason=self.writer.end_reason() if status == ActionStatus.FINISHED else "",
            dimension_id=(
                rng.choices(self.dimensions[0], weights=self.dimensions[1])[0]
                if rng.random() < 0.95
                else None
            ),
            territory_scale_id=(
                rng.choices(self.scales[0], weights=self.scales[1])[0]
                if rng.random() < 0.95
                else None
            ),
            summary=sections["summary"],
            experience=sections["experience"],
            description=sections["description"],
            financial_resources=self.writer.financial_resources(
                [(name, amount) for name, amount, _ in fundings]
            ),
            total_budget=budget,
            people_mobilised=self.writer.people_mobilised(staff, volunteers),
            staff_count=staff,
            volunteer_count=volunteers,
            participant_count=participants,
            result_territory=sections["result_territory"],
            result_centre=sections["result_centre"],
            result_residents=sections["result_residents"],
            limits=sections["limits"],
            perspectives=sections["perspectives"],
            year=year,
            created_at=created_at,
            updated_at=updated_at,
        )
        state = LoadedState(
            status=publication,
            published_at=published_at,
            submitted_at=submitted_at,
            modified=publication == PublicationStatus.PUBLISHED and rng.random() < 0.03,
            rejection_reason=(
                self.writer.rejection_reason() if publication == PublicationStatus.REJECTED else ""
            ),
        )
        action.version = rng.choices((1, 2, 3, 4), weights=(50, 30, 15, 5))[0]
        return _Sheet(
            action=action,
            state=state,
            themes=theme_ids,
            publics=[self.public_ids[slug] for slug in public_slugs],
            initiatives=initiative_ids,
            partners=links,
            fundings=fundings,
        )

    def _funding_note(self, key: str) -> str:
        notes = {
            "caf": ("Prestation de service animation collective familles", "Fonds locaux", ""),
            "commune": ("Subvention de fonctionnement", "Subvention sur projet", ""),
            "prefecture": ("Contrat de ville", ""),
            "national": ("Appel à projets", ""),
        }.get(key, ("",))
        return self.rng.choice(notes)

    # finishing ------------------------------------------------------------------------------

    def analyze(self) -> None:
        """Refresh the planner's statistics and the visibility map: a table that grew from
        nothing to 100,000 rows otherwise keeps the estimates of an empty one until autovacuum
        passes, and its covering indexes cannot answer alone (index-only scans) before a
        vacuum. ``VACUUM`` cannot run in a transaction (tests): ``ANALYZE`` only, then."""
        if connection.vendor != "postgresql":
            return
        started = time.perf_counter()
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        tables = [
            model._meta.db_table
            for model in (
                Federation,
                Federation.departments.through,
                Structure,
                Partner,
                Action,
                Action.themes.through,
                Action.publics.through,
                Action.initiatives.through,
                ActionPartner,
                Funding,
                FacetEntry,
                FacetPair,
            )
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")
        self._timed("analyze", started)


def _cumulate(values) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def generate(
    *,
    structures: int,
    actions: int,
    seed: int,
    batch_size: int = 2000,
    writers: int = 2,
    log=lambda _: None,
) -> Report:
    """Create the federations, ``structures`` structures and ``actions`` sheets."""
    generator = Generator(seed=seed, batch_size=batch_size, writers=writers, log=log)
    # One rebuild at the end, not one update per batch and table.
    with deferred_index():
        generator.create_federations()
        log(f"  {generator.report.counts['federations']} fédérations")
        generator.create_structures(structures)
        log(f"  {generator.report.counts['structures']} structures")
        if actions:
            generator.create_actions(actions)
        rebuild_started = time.perf_counter()  # rebuilt on leaving the block
    generator._timed("facet index", rebuild_started)
    generator.analyze()
    return generator.report
