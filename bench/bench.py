"""Benchmark of the public catalogue at national scale, side by side with the Django admin, and
of the observatory side by side with the catalogue's page of the same selection.

Run by ``bench/run`` against a PostgreSQL database filled by ``generate_demo_data``; it can also
be run alone on any such database:

    DATABASE_URL=postgres://... .venv/bin/python bench/bench.py --repetitions 30

Every case is a full Django response through the test client (URL resolution, middleware,
view, queries, template rendering; streamed bodies consumed), with production settings
(``DEBUG`` off, cached templates, manifest static files). Cases are interleaved, repetition by
repetition, so that the noise of a shared machine spreads over all of them alike. For each page
it also re-executes the exact SQL the page issued (captured with ``execute_wrapper``, same
parameters, rows fetched): the time the database alone needs, the floor under the page's time.

Two databases side by side (``--database-url A --database-url B``, e.g. 100,000 and 1,000,000
sheets): one worker process per database (this script with ``--worker``, each bound to its
database), driven in turn, sample by sample, by this process: the noise of the machine hits
both alike. The report then gives both medians, p95 and query counts, and their ratio.

The page cache (``pagecache``) is switched off: every request renders its page, which is what
grows with the catalogue (``bench/throughput`` measures the cache). ``--cold`` adds one
cold-cache pass: before each case, the operating system's page cache is dropped (root) and,
with ``--restart-command``, the PostgreSQL server restarted; then one request per case.

Results: a table on stdout, and ``bench/results/<date>.json`` and ``.md`` (git-ignored).
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import shlex
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("STATIC_ROOT", str(RESULTS / "staticfiles"))
os.environ.setdefault("LOG_LEVEL", "ERROR")
# Every request comes from the test client's one address: the API's rate limit would stop it.
os.environ["API_RATE_LIMIT"] = "1000000/m"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.PAGE_CACHE_NAMESPACES = ()  # every page rendered, never served from the page cache

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actions.enums import PublicationStatus  # noqa: E402
from actions.models import Action, Public, Theme  # noqa: E402
from api.pagination import Keyset  # noqa: E402
from catalogue.filters import ActionFilterSet  # noqa: E402
from catalogue.pagination import MAX_DEPTH  # noqa: E402
from federations.models import Department, Federation, Region, Structure  # noqa: E402

CATALOGUE = "/actions/"
OBSERVATORY = "/observatoire/"
API = "/api/v1/"
ADMIN = "/admin/actions/action/"
PER_PAGE = 20  # the catalogue's page size (ActionListView.paginate_by)
ADMIN_PER_PAGE = 100  # ModelAdmin.list_per_page
SEARCH = "séjour familles"
SEARCH_WITH_FILTERS = "accompagnement scolarité"
EXPORT_ROWS = 10_000
BENCH_USERNAME = "bench-admin"
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


@dataclass
class Case:
    name: str
    url: str
    admin_url: str | None = None  # the same selection in the admin changelist
    floor: bool = True  # re-execute the page's SQL
    urls: list[str] = field(default_factory=list)  # several URLs, cycled (sheets)
    # the catalogue case of the same selection (API, feed, observatory)
    mirrors: str | None = None

    def url_for(self, repetition: int) -> str:
        return self.urls[repetition % len(self.urls)] if self.urls else self.url


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # seconds
    queries: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=20, method="inclusive")[-1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


# Preparing ------------------------------------------------------------------------------------


def ensure_static_manifest() -> None:
    """Production settings read static files through their manifest: build it when missing or
    older than a file of the project's static folders (a page naming a new file would fail)."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = (path for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*"))
    built = manifest.stat().st_mtime if manifest.exists() else 0
    if any(path.stat().st_mtime > built for path in sources):
        call_command("collectstatic", interactive=False, verbosity=0)


def published():
    return Action.objects.filter(publication_status=PublicationStatus.PUBLISHED)


def choose_cases(repetitions: int, warmup: int) -> tuple[list[Case], Case, dict]:
    """The measured URLs. Filter values are taken from the data: the most used theme and the
    département with the most sheets (a large selection, the hard case for facets)."""
    theme = (
        Theme.objects.annotate(n=Count("actions", filter=published_filter("actions")))
        .order_by("-n")
        .first()
    )
    department = (
        Department.objects.annotate(
            n=Count("structures__actions", filter=published_filter("structures__actions"))
        )
        .order_by("-n")
        .first()
    )
    # The structure with the most published sheets: its name searched in the catalogue.
    structure = (
        Structure.objects.annotate(n=Count("actions", filter=published_filter("actions")))
        .order_by("-n")
        .first()
    )
    total = published().count()
    # The deepest page that page numbers reach (catalogue.pagination.MAX_DEPTH: 500 pages, the
    # catalogue's last page up to 10,000 sheets; deeper pages are refused with a 400).
    last_page = min(max(1, -(-total // PER_PAGE)), MAX_DEPTH // PER_PAGE)
    admin_last_page = max(1, -(-total // ADMIN_PER_PAGE))
    pub = {"publication_status__exact": PublicationStatus.PUBLISHED, "_facets": "True"}
    theme_dept = {"theme": theme.slug, "departement": department.code}
    admin_theme_dept = {
        "themes__id__exact": theme.pk,
        "structure__department__id__exact": department.pk,
    }

    def q(base, **params):
        return f"{base}?{urlencode(params)}" if params else base

    cases = [
        Case("catalogue", CATALOGUE, q(ADMIN, **pub)),
        Case(
            "un thème", q(CATALOGUE, theme=theme.slug), q(ADMIN, **pub, themes__id__exact=theme.pk)
        ),
        Case(
            "thème + département",
            q(CATALOGUE, **theme_dept),
            q(ADMIN, **pub, **admin_theme_dept),
        ),
        Case("recherche", q(CATALOGUE, q=SEARCH), q(ADMIN, **pub, q=SEARCH)),
        Case(
            "recherche + 2 filtres",
            q(CATALOGUE, q=SEARCH_WITH_FILTERS, departement=department.code, status="ongoing"),
            q(
                ADMIN,
                **pub,
                q=SEARCH_WITH_FILTERS,
                structure__department__id__exact=department.pk,
                status__exact="ongoing",
            ),
        ),
        Case(
            "dernière page",
            q(CATALOGUE, page=last_page),
            q(ADMIN, **pub, p=admin_last_page),
        ),
        Case("recherche d'une structure", q(CATALOGUE, q=structure.name)),
        *growing_cases(q, last_page),
    ]
    # A different sheet at each request, spread over the whole table.
    count = repetitions + warmup
    ids = list(published().order_by("pk").values_list("slug", flat=True)[:: max(1, total // count)])
    cases.append(Case("fiche", "", urls=[f"/actions/{slug}/" for slug in ids[:count]]))
    # Pages that count over the whole catalogue too (no admin counterpart).
    cases += [
        Case("accueil", "/"),
        Case("thèmes", "/themes/"),
        Case("départements", "/departements/"),
        Case("fédérations", "/federations/"),
        Case("annuaire des structures", "/structures/"),
        Case(
            "annuaire : recherche + région",
            q("/structures/", q="centre", region=department.region.code),
        ),
    ]
    # The observatory: the figures of the same selections as the catalogue's cases, and the
    # network pages with theirs (the federation with the most sheets, the same département).
    federation = (
        Federation.objects.annotate(
            n=Count("structures__actions", filter=published_filter("structures__actions"))
        )
        .order_by("-n")
        .first()
    )
    cases += [
        Case("observatoire", OBSERVATORY, mirrors="catalogue"),
        Case(
            "observatoire, thème + département",
            q(OBSERVATORY, **theme_dept),
            mirrors="thème + département",
        ),
        Case("page d'une fédération", f"/federations/{federation.slug}/"),
        Case("page d'un département", f"/departements/{department.code}/"),
    ]

    cases += api_cases(cases, total)

    export = choose_export()
    context = {
        "theme": theme.slug,
        "department": department.code,
        "published": total,
        "last_page": last_page,
        "export_filter": export.url,
        "federation": federation.slug,
    }
    return cases, export, context


def growing_cases(q, last_page: int) -> list[Case]:
    """The paths whose cost grew with the catalogue when measured by hand (issue 19): sorts
    that read every selected sheet (by title, by département) on a first and a deep page (the
    middle of the catalogue), a range of years, several facets at once (the two most used
    themes, the most used public, a status)."""
    top_themes = list(
        Theme.objects.annotate(n=Count("actions", filter=published_filter("actions")))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:2]
    )
    top_public = (
        Public.objects.annotate(n=Count("actions", filter=published_filter("actions")))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    middle = max(1, last_page // 2)
    several = urlencode(
        [("theme", slug) for slug in top_themes] + [("public", top_public), ("status", "ongoing")]
    )
    return [
        Case("tri par titre", q(CATALOGUE, sort="title")),
        Case("tri par titre, page du milieu", q(CATALOGUE, sort="title", page=middle)),
        Case("période 2018–2021", q(CATALOGUE, year_min=2018, year_max=2021)),
        Case("2 thèmes + un public + un statut", f"{CATALOGUE}?{several}"),
        Case("tri par département, page du milieu", q(CATALOGUE, sort="departement", page=middle)),
    ]


def deep_cursor(total: int) -> str:
    """The API's cursor that leads to the catalogue's last page (its next 20 sheets): read once
    with an OFFSET here, what a client gets by following ``next`` to the end."""
    keyset = Keyset(ActionFilterSet(data={}, queryset=Action.objects.published()).qs)
    position = max(0, total - PER_PAGE - 1)
    return keyset.encode(keyset.annotated.values_list(*(k.alias for k in keyset.keys))[position])


def api_cases(cases: list[Case], total: int) -> list[Case]:
    """The API (and the feed) on the same selections as the catalogue cases they mirror."""
    by_name = {case.name: case for case in cases}

    def query(name):
        return by_name[name].url.removeprefix(CATALOGUE)

    selections = ("catalogue", "un thème", "thème + département", "recherche")
    mirrored = [
        Case(f"API · {name}", f"{API}actions/{query(name)}", mirrors=name)
        for name in (*selections, "recherche + 2 filtres")
    ]
    cursor = urlencode({"cursor": deep_cursor(total)})
    sheets = [url.replace(CATALOGUE, f"{API}actions/", 1) for url in by_name["fiche"].urls]
    return [
        *mirrored,
        Case("API · dernière page", f"{API}actions/?{cursor}", mirrors="dernière page"),
        Case("API · fiche", "", urls=sheets, mirrors="fiche"),
        Case(
            "API · effectifs thème + département",
            f"{API}facets/{query('thème + département')}",
            mirrors="thème + département",
        ),
        Case("API · structures", f"{API}structures/"),
        Case("flux Atom · un thème", f"/actions/feed/{query('un thème')}", mirrors="un thème"),
        Case("sitemap des fiches (10 000)", "/sitemap-actions.xml"),
    ]


def published_filter(path: str) -> Q:
    return Q(**{f"{path}__publication_status": PublicationStatus.PUBLISHED})


def choose_export() -> Case:
    """A filter of the catalogue whose selection is closest to 10,000 sheets."""
    candidates = []
    for slug, n in (
        Theme.objects.annotate(n=Count("actions", filter=published_filter("actions")))
        .values_list("slug", "n")
        .order_by()
    ):
        candidates.append((abs(n - EXPORT_ROWS), n, {"theme": slug}))
    for code, n in (
        Region.objects.annotate(
            n=Count(
                "departments__structures__actions",
                filter=published_filter("departments__structures__actions"),
            )
        )
        .values_list("code", "n")
        .order_by()
    ):
        candidates.append((abs(n - EXPORT_ROWS), n, {"region": code}))
    for year, n in published().values_list("year").annotate(n=Count("pk")).order_by():
        candidates.append((abs(n - EXPORT_ROWS), n, {"year_min": year, "year_max": year}))
    _, rows, params = min(candidates, key=lambda c: (c[0], str(c[2])))
    return Case(f"export CSV ({rows} lignes)", f"/actions/export.csv?{urlencode(params)}")


def admin_client() -> Client:
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=BENCH_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


# Measuring ------------------------------------------------------------------------------------


def fetch(client: Client, url: str) -> tuple[int, int]:
    """GET ``url`` and consume the whole body; (status, bytes)."""
    response = client.get(url, secure=True)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return response.status_code, size


def timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    status, _ = fetch(client, url)
    elapsed = time.perf_counter() - started
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")
    return elapsed


def capture_sql(client: Client, url: str) -> list[tuple[str, object]]:
    """The exact statements (and parameters) that one request of ``url`` runs."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fetch(client, url)
    return statements


def run_sql(statements) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    return time.perf_counter() - started


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        fetch(client, url)
    return len(context.captured_queries)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


WHOLE_CSV = Case("export CSV du catalogue entier", f"{CATALOGUE}export.csv")


class Session:
    """The measurements on one database (the one of ``DATABASE_URL``): its cases, chosen from
    its data, their samples, its CSV exports. Driven method by method, in this process or in
    a worker (``--worker``), so that two databases can be measured in turn."""

    def __init__(self, *, repetitions: int, warmup: int, only=None, admin: bool = True):
        cases, self.export_case, context = choose_cases(repetitions, warmup)
        if only:
            cases = [case for case in cases if case.name in only]
        if not admin:
            cases = [replace(case, admin_url=None) for case in cases]
        self.cases = {case.name: case for case in cases}
        self.warmup = warmup
        self.anonymous, self.admin = Client(), admin_client()
        self.timings = {
            name: {"catalogue": Timing(), "admin": Timing(), "floor": Timing(), "cold": Timing()}
            for name in self.cases
        }
        self.floors: dict[str, list] = {}
        self.info = {"machine": machine(), "volume": volume(), "context": context}

    def start(self) -> dict:
        return {"cases": list(self.cases), "info": self.info}

    def cold(self, name: str) -> None:
        """One request of a case on a new connection, before any warm-up (after the caller
        dropped the caches)."""
        connections.close_all()
        case = self.cases[name]
        self.timings[name]["cold"].samples.append(timed(Client(), case.url_for(0)))

    def prepare(self) -> None:
        """Warm-up requests, query counts, and the SQL of each page for its floor."""
        for name, case in self.cases.items():
            for i in range(self.warmup):
                timed(self.anonymous, case.url_for(i))
                if case.admin_url:
                    timed(self.admin, case.admin_url)
            self.timings[name]["catalogue"].queries = count_queries(self.anonymous, case.url_for(0))
            if case.admin_url:
                self.timings[name]["admin"].queries = count_queries(self.admin, case.admin_url)
            if case.floor:
                self.floors[name] = [
                    capture_sql(self.anonymous, case.url_for(i)) for i in range(len(case.urls) or 1)
                ]

    def sample(self, name: str, repetition: int) -> None:
        case, timings = self.cases[name], self.timings[name]
        timings["catalogue"].samples.append(
            timed(self.anonymous, case.url_for(self.warmup + repetition))
        )
        if case.admin_url:
            timings["admin"].samples.append(timed(self.admin, case.admin_url))
        if case.floor:
            statements = self.floors[name][(self.warmup + repetition) % len(self.floors[name])]
            timings["floor"].samples.append(run_sql(statements))
            timings["floor"].queries = len(statements)

    def exports(self, repetitions: int) -> dict:
        """The CSV of about 10,000 sheets (time and memory), and of the whole catalogue (time:
        seconds a request at a million sheets)."""
        return {
            "filtered": {
                "name": self.export_case.name,
                **measure_export(self.export_case, repetitions=repetitions),
            },
            "whole": {
                "name": WHOLE_CSV.name,
                "timing": measure_csv(WHOLE_CSV, repetitions=repetitions),
            },
        }

    def results(self) -> dict[str, dict[str, Timing]]:
        return self.timings


def measure_csv(case: Case, *, repetitions: int) -> Timing:
    """The time of a streamed CSV, body consumed; its first request (counted) warms up."""
    client = Client()
    timing = Timing(queries=count_queries(client, case.url))
    for _ in range(repetitions):
        timing.samples.append(timed(client, case.url))
    return timing


def measure_export(case: Case, *, repetitions: int) -> dict:
    """Time of the streamed CSV (body consumed), then memory: the peak of Python allocations
    while streaming it (tracemalloc, in a separate pass because it slows Python down) and the
    growth of the process's resident memory."""
    timing = measure_csv(case, repetitions=repetitions)
    client = Client()
    rows = 0
    rss_before = rss_bytes()
    rss_peak = rss_before
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    response = client.get(case.url, secure=True)
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        if rows % 1000 == 0:
            rss_peak = max(rss_peak, rss_bytes())
    response.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = max(rss_peak, rss_bytes())
    return {
        "timing": timing,
        "rows": rows - 1,  # header
        "python_peak_growth": peak - baseline,
        "rss_growth": rss_peak - rss_before,
    }


def serialised(value):
    """JSON-ready: ``Timing`` as a dict (workers send their results to the driving process)."""
    if isinstance(value, Timing):
        return {"__timing__": asdict(value)}
    if isinstance(value, dict):
        return {key: serialised(item) for key, item in value.items()}
    return value


def deserialised(value):
    if isinstance(value, dict):
        if "__timing__" in value:
            return Timing(**value["__timing__"])
        return {key: deserialised(item) for key, item in value.items()}
    return value


def serve_worker(options: dict) -> None:
    """``--worker``: a ``Session`` driven by JSON lines on stdin (``{"call": "sample",
    "kwargs": {...}}``), each answered by one line on stdout; everything else goes to
    stderr."""
    channel = sys.stdout
    sys.stdout = sys.stderr
    ensure_static_manifest()
    session = Session(**options)
    for line in sys.stdin:
        request = json.loads(line)
        answer = getattr(session, request["call"])(**request["kwargs"])
        channel.write(json.dumps(serialised(answer), ensure_ascii=False) + "\n")
        channel.flush()


class Worker:
    """A ``Session`` on another database, in a child process (``--worker``)."""

    def __init__(self, database_url: str, options: dict):
        self.database_url = database_url
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", json.dumps(options)],
            env={**os.environ, "DATABASE_URL": database_url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def call(self, method: str, **kwargs):
        self.process.stdin.write(json.dumps({"call": method, "kwargs": kwargs}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(
                f"Le banc d'essai de {self.database_url} s'est arrêté (voir plus haut)."
            )
        return deserialised(json.loads(line))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


class Local:
    """A ``Session`` in this process, called like a ``Worker``."""

    def __init__(self, options: dict):
        self.session = Session(**options)

    def call(self, method: str, **kwargs):
        return getattr(self.session, method)(**kwargs)

    def close(self) -> None:
        """Nothing to stop: the session runs in this process (a ``Worker`` ends its own)."""


def drop_os_cache() -> bool:
    """Empty the operating system's page cache (root only); whether it could."""
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
    except OSError:
        return False
    return True


def run(sessions: list, *, repetitions: int, csv_repetitions: int, cold, log) -> list[dict]:
    """Every measurement of every session, interleaved: case by case, each session in turn
    (the first one alternating), so that the machine's noise hits every database alike."""
    started = [session.call("start") for session in sessions]
    names = [n for n in started[0]["cases"] if all(n in s["cases"] for s in started[1:])]
    if cold is not None:
        for name in names:
            for session in sessions:
                cold.prepare()
                session.call("cold", name=name)
        log("  passe à froid : " + cold.describe())
    for session in sessions:
        session.call("prepare")
    for repetition in range(repetitions):
        order = sessions if repetition % 2 == 0 else sessions[::-1]
        for name in names:
            for session in order:
                session.call("sample", name=name, repetition=repetition)
        log(f"  répétition {repetition + 1}/{repetitions}")
    exports = [session.call("exports", repetitions=csv_repetitions) for session in sessions]
    return [
        {
            "info": begun["info"],
            "results": {name: session.call("results")[name] for name in names},
            "exports": export,
        }
        for session, begun, export in zip(sessions, started, exports, strict=True)
    ]


@dataclass
class ColdCache:
    """What a cold pass empties before each case."""

    restart_command: str | None
    os_cache_dropped: bool | None = None  # known after the first prepare()

    def prepare(self) -> None:
        if self.restart_command:
            subprocess.run(shlex.split(self.restart_command), check=True, stdout=subprocess.DEVNULL)
        self.os_cache_dropped = drop_os_cache()

    def describe(self) -> str:
        server = "serveur PostgreSQL redémarré" if self.restart_command else "serveur non redémarré"
        dropped = {True: "vidé", False: "non vidé (pas root)", None: "à vider"}
        return f"{server}, cache du système {dropped[self.os_cache_dropped]}"


# Reporting ------------------------------------------------------------------------------------


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        pg_settings = {}
        for name in (
            "shared_buffers",
            "effective_cache_size",
            "work_mem",
            "random_page_cost",
            "jit",
            "max_parallel_workers_per_gather",
        ):
            cursor.execute(f"SHOW {name}")
            pg_settings[name] = cursor.fetchone()[0]
    with open("/proc/meminfo") as meminfo:
        memory_kb = int(meminfo.readline().split()[1])
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[:3]
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "load_average": load,
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": version,
        "postgresql_settings": pg_settings,
    }


def volume() -> dict:
    return {
        "actions": Action.objects.count(),
        "published": published().count(),
        "structures": Structure.objects.count(),
        "themes_links": Action.themes.through.objects.count(),
    }


def observatory_table(results: dict, mirrors: dict[str, str | None]) -> str:
    """Each observatory case against the catalogue's case of the same selection."""
    lines = [
        "| observatoire | médiane (ms) | p95 (ms) | requêtes | catalogue, même sélection | "
        "médiane (ms) | observatoire / catalogue |",
        "|" + " --- |" * 7,
    ]
    for name, timings in results.items():
        if not name.startswith("observatoire") or mirrors.get(name) not in results:
            continue
        page, catalogue = timings["catalogue"], results[mirrors[name]]["catalogue"]
        lines.append(
            f"| {name} | {ms(page.median)} | {ms(page.p95)} | {page.queries} "
            f"| {mirrors[name]} | {ms(catalogue.median)} "
            f"| {page.median / catalogue.median:.2f} |"
        )
    return "\n".join(lines)


MACHINE_READ = ("API", "flux", "sitemap")


def machine_table(results: dict, mirrors: dict[str, str | None]) -> str:
    """The API, the feed and the sitemap, each beside the catalogue page of its selection."""
    lines = [
        "| cas | médiane (ms) | p95 (ms) | requêtes | plancher SQL (ms) "
        "| page du catalogue, même sélection (ms) | / catalogue |",
        "|" + " --- |" * 7,
    ]
    for name, timings in results.items():
        if not name.startswith(MACHINE_READ):
            continue
        own, floor = timings["catalogue"], timings["floor"]
        page = results[mirrors[name]]["catalogue"] if mirrors.get(name) else None
        lines.append(
            "| "
            + " | ".join(
                [
                    name,
                    ms(own.median),
                    ms(own.p95),
                    str(own.queries),
                    ms(floor.median) if floor.samples else "–",
                    ms(page.median) if page else "–",
                    f"{own.median / page.median:.2f}" if page else "–",
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def table(results: dict, exports: dict, mirrors: dict) -> str:
    header = (
        "| cas | catalogue médiane (ms) | p95 (ms) | requêtes | plancher SQL (ms) "
        "| catalogue / SQL | admin médiane (ms) | admin p95 (ms) | requêtes admin "
        "| catalogue / admin | à froid (ms) |"
    )
    lines = [header, "|" + " --- |" * 11]
    for name, timings in results.items():
        if name.startswith(MACHINE_READ):
            continue
        cat, admin, floor, cold = (timings[k] for k in ("catalogue", "admin", "floor", "cold"))
        has_admin, has_floor = bool(admin.samples), bool(floor.samples)
        lines.append(
            "| "
            + " | ".join(
                [
                    name,
                    ms(cat.median),
                    ms(cat.p95),
                    str(cat.queries),
                    ms(floor.median) if has_floor else "–",
                    f"{cat.median / floor.median:.2f}" if has_floor else "–",
                    ms(admin.median) if has_admin else "–",
                    ms(admin.p95) if has_admin else "–",
                    str(admin.queries) if has_admin else "–",
                    f"{cat.median / admin.median:.2f}" if has_admin else "–",
                    ms(cold.median) if cold.samples else "–",
                ]
            )
            + " |"
        )
    for export in exports.values():
        timing = export["timing"]
        lines.append(
            f"| {export['name']} | {ms(timing.median)} | {ms(timing.p95)} | {timing.queries} "
            "| – | – | – | – | – | – | – |"
        )
    lines += ["", machine_table(results, mirrors)]
    lines.append("")
    export = exports["filtered"]
    lines.append(
        f"Export CSV : {export['rows']} lignes, pic des allocations Python pendant le flux "
        f"{export['python_peak_growth'] / 1e6:.1f} Mo (tracemalloc), croissance de la mémoire "
        f"résidente {export['rss_growth'] / 1e6:.1f} Mo."
    )
    return "\n".join(lines)


def side_by_side(runs: list[dict]) -> str:
    """Two databases: each case's median, p95 and queries on both, and the ratio of medians
    (the second over the first)."""
    first, second = runs
    sizes = [f"{run['info']['volume']['published']:,}".replace(",", "\u202f") for run in runs]
    lines = [
        f"| cas | médiane {sizes[0]} (ms) | p95 | requêtes | à froid | médiane {sizes[1]} (ms) "
        "| p95 | requêtes | à froid | rapport des médianes |",
        "|" + " --- |" * 10,
    ]

    def cells(timing: Timing, cold: Timing | None) -> list[str]:
        cold_cell = ms(cold.median) if cold and cold.samples else "–"
        return [ms(timing.median), ms(timing.p95), str(timing.queries), cold_cell]

    rows = [
        (
            name,
            first["results"][name]["catalogue"],
            second["results"][name]["catalogue"],
            first["results"][name]["cold"],
            second["results"][name]["cold"],
        )
        for name in first["results"]
    ]
    rows += [
        (
            f"{first['exports'][kind]['name']} / {second['exports'][kind]['name']}",
            first["exports"][kind]["timing"],
            second["exports"][kind]["timing"],
            None,
            None,
        )
        for kind in ("filtered", "whole")
    ]
    for name, a, b, cold_a, cold_b in rows:
        lines.append(
            "| "
            + " | ".join([name, *cells(a, cold_a), *cells(b, cold_b), f"{b.median / a.median:.2f}"])
            + " |"
        )
    return "\n".join(lines)


def profile(case: Case, *, requests: int, admin: bool) -> None:
    """cProfile of ``requests`` requests of a case: where the Python time goes."""
    client = admin_client() if admin else Client()
    url = case.admin_url if admin else case.url_for(0)
    fetch(client, url)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(requests):
        fetch(client, url if admin else case.url_for(i))
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def explain(case: Case, *, admin: bool) -> None:
    """EXPLAIN ANALYZE of every statement a page issues, slowest first."""
    client = admin_client() if admin else Client()
    statements = capture_sql(client, case.admin_url if admin else case.url_for(0))
    plans = []
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many or not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            total = float(plan.rsplit("Execution Time: ", 1)[1].split(" ")[0])
            plans.append((total, sql, plan))
    for total, sql, plan in sorted(plans, key=lambda p: -p[0]):
        print(f"\n=== {total:.1f} ms\n{sql[:600]}\n{plan}")


def at_least_one(text: str) -> int:
    """A number of samples: every report has a median of each case and of each export."""
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("au moins 1")
    return number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=at_least_one, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--csv-repetitions", type=at_least_one, default=5)
    parser.add_argument("--only", action="append", help="only this case (repeatable)")
    parser.add_argument("--profile", metavar="CASE", help="cProfile one case instead")
    parser.add_argument("--explain", metavar="CASE", help="EXPLAIN ANALYZE one case instead")
    parser.add_argument("--admin", action="store_true", help="profile/explain the admin page")
    parser.add_argument(
        "--no-admin",
        action="store_true",
        help="leave out the admin changelists (its full-text search takes seconds a request)",
    )
    parser.add_argument(
        "--database-url",
        action="append",
        default=[],
        help="twice: two databases measured side by side (each in a worker process)",
    )
    parser.add_argument("--cold", action="store_true", help="add a cold-cache pass (see above)")
    parser.add_argument(
        "--restart-command", help="with --cold: the command that restarts the PostgreSQL server"
    )
    parser.add_argument("--worker", metavar="OPTIONS", help=argparse.SUPPRESS)
    parser.add_argument("--command", default="", help="the command line, for the report")
    args = parser.parse_args()
    if args.worker:
        serve_worker(json.loads(args.worker))
        return
    if len(args.database_url) > 2:
        raise SystemExit("Au plus deux bases côte à côte.")

    options = {
        "repetitions": args.repetitions,
        "warmup": args.warmup,
        "only": args.only,
        "admin": not args.no_admin,
    }
    if len(args.database_url) == 2:
        ensure_static_manifest()  # here, before two workers would build it at once
        sessions = [Worker(url, options) for url in args.database_url]
    else:
        check_database()
        if args.profile or args.explain:
            dig(args)
            return
        sessions = [Local(options)]

    def log(message):
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    cold = ColdCache(args.restart_command) if args.cold else None
    try:
        runs = run(
            sessions,
            repetitions=args.repetitions,
            csv_repetitions=args.csv_repetitions,
            cold=cold,
            log=log,
        )
    finally:
        for session in sessions:
            session.close()
    seconds = round(time.perf_counter() - started, 1)
    if len(runs) == 2:
        report = side_by_side(runs)
    else:
        (single,) = runs
        mirrors = {case.name: case.mirrors for case in sessions[0].session.cases.values()}
        report = table(single["results"], single["exports"], mirrors)
        report += "\n\n" + observatory_table(single["results"], mirrors)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = {
        "command": args.command,
        "seconds": seconds,
        "repetitions": args.repetitions,
        "warmup": args.warmup,
        "csv_repetitions": args.csv_repetitions,
        "cold": cold.describe() if cold else None,
        "runs": [
            {
                "info": run_["info"],
                "pages": {
                    name: {
                        kind: {**asdict(timing), "median": timing.median, "p95": timing.p95}
                        for kind, timing in timings.items()
                        if timing.samples
                    }
                    for name, timings in run_["results"].items()
                },
                "exports": {
                    kind: {
                        **{k: v for k, v in export.items() if k != "timing"},
                        **asdict(export["timing"]),
                        "median": export["timing"].median,
                        "p95": export["timing"].p95,
                    }
                    for kind, export in run_["exports"].items()
                },
            }
            for run_ in runs
        ],
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    infos = [run_["info"] for run_ in runs]
    (RESULTS / f"{stamp}.md").write_text(
        f"{json.dumps(infos, ensure_ascii=False)}\n\n{report}\n", encoding="utf-8"
    )
    log(f"Résultats : bench/results/{stamp}.json et .md")


def check_database() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("Le banc d'essai mesure PostgreSQL : définir DATABASE_URL.")
    if not published().exists():
        raise SystemExit("Aucune fiche publiée : lancer d'abord generate_demo_data.")
    ensure_static_manifest()


def dig(args) -> None:
    """--profile CASE or --explain CASE: one case looked into, instead of the measurements."""
    cases, export_case, _ = choose_cases(args.repetitions, args.warmup)
    by_name = {case.name: case for case in [*cases, export_case, WHOLE_CSV]}
    case = by_name.get(args.profile or args.explain)
    if case is None:
        raise SystemExit(f"Cas inconnu ; cas : {', '.join(by_name)}")
    if args.profile:
        profile(case, requests=10, admin=args.admin)
    else:
        explain(case, admin=args.admin)


if __name__ == "__main__":
    main()
