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

Results: a table on stdout, and ``bench/results/<date>.json`` and ``.md`` (git-ignored).
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import statistics
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actions.enums import PublicationStatus  # noqa: E402
from actions.models import Action, Theme  # noqa: E402
from api.pagination import Keyset  # noqa: E402
from catalogue.filters import ActionFilterSet  # noqa: E402
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
    """Production settings read static files through their manifest: build it once."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
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
    last_page = max(1, -(-total // PER_PAGE))
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


def measure_pages(cases, *, repetitions: int, warmup: int, log) -> dict:
    anonymous, admin = Client(), admin_client()
    results = {}
    floors = {}
    for case in cases:
        results[case.name] = {"catalogue": Timing(), "admin": Timing(), "floor": Timing()}
        for i in range(warmup):
            timed(anonymous, case.url_for(i))
            if case.admin_url:
                timed(admin, case.admin_url)
        results[case.name]["catalogue"].queries = count_queries(anonymous, case.url_for(0))
        if case.admin_url:
            results[case.name]["admin"].queries = count_queries(admin, case.admin_url)
        if case.floor:
            floors[case.name] = [
                capture_sql(anonymous, case.url_for(i)) for i in range(len(case.urls) or 1)
            ]
    for repetition in range(repetitions):
        for case in cases:
            timings = results[case.name]
            url = case.url_for(warmup + repetition)
            timings["catalogue"].samples.append(timed(anonymous, url))
            if case.admin_url:
                timings["admin"].samples.append(timed(admin, case.admin_url))
            if case.floor:
                statements = floors[case.name][(warmup + repetition) % len(floors[case.name])]
                timings["floor"].samples.append(run_sql(statements))
                timings["floor"].queries = len(statements)
        log(f"  répétition {repetition + 1}/{repetitions}")
    return results


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure_export(case: Case, *, repetitions: int) -> dict:
    """Time of the streamed CSV (body consumed), then memory: the peak of Python allocations
    while streaming it (tracemalloc, in a separate pass because it slows Python down) and the
    growth of the process's resident memory."""
    client = Client()
    fetch(client, case.url)  # warm-up
    timing = Timing(queries=count_queries(client, case.url))
    rows = 0
    for _ in range(repetitions):
        timing.samples.append(timed(client, case.url))
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


def table(results: dict, export: dict, export_case: Case, mirrors: dict) -> str:
    header = (
        "| cas | catalogue médiane (ms) | p95 (ms) | requêtes | plancher SQL (ms) "
        "| catalogue / SQL | admin médiane (ms) | admin p95 (ms) | requêtes admin "
        "| catalogue / admin |"
    )
    lines = [header, "|" + " --- |" * 10]
    for name, timings in results.items():
        if name.startswith(MACHINE_READ):
            continue
        cat, admin, floor = timings["catalogue"], timings["admin"], timings["floor"]
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
                ]
            )
            + " |"
        )
    timing = export["timing"]
    lines.append(
        f"| {export_case.name} | {ms(timing.median)} | {ms(timing.p95)} | {timing.queries} "
        "| – | – | – | – | – | – |"
    )
    lines += ["", machine_table(results, mirrors)]
    lines.append("")
    lines.append(
        f"Export CSV : {export['rows']} lignes, pic des allocations Python pendant le flux "
        f"{export['python_peak_growth'] / 1e6:.1f} Mo (tracemalloc), croissance de la mémoire "
        f"résidente {export['rss_growth'] / 1e6:.1f} Mo."
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--csv-repetitions", type=int, default=5)
    parser.add_argument("--only", action="append", help="only this case (repeatable)")
    parser.add_argument("--profile", metavar="CASE", help="cProfile one case instead")
    parser.add_argument("--explain", metavar="CASE", help="EXPLAIN ANALYZE one case instead")
    parser.add_argument("--admin", action="store_true", help="profile/explain the admin page")
    parser.add_argument(
        "--no-admin",
        action="store_true",
        help="leave out the admin changelists (its full-text search takes seconds a request)",
    )
    parser.add_argument("--command", default="", help="the command line, for the report")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("Le banc d'essai mesure PostgreSQL : définir DATABASE_URL.")
    if not published().exists():
        raise SystemExit("Aucune fiche publiée : lancer d'abord generate_demo_data.")
    ensure_static_manifest()
    cases, export_case, context = choose_cases(args.repetitions, args.warmup)
    by_name = {case.name: case for case in [*cases, export_case]}
    if args.profile or args.explain:
        case = by_name.get(args.profile or args.explain)
        if case is None:
            raise SystemExit(f"Cas inconnu ; cas : {', '.join(by_name)}")
        if args.profile:
            profile(case, requests=10, admin=args.admin)
        else:
            explain(case, admin=args.admin)
        return
    if args.only:
        cases = [case for case in cases if case.name in args.only]
    if args.no_admin:
        cases = [replace(case, admin_url=None) for case in cases]

    def log(message):
        print(message, file=sys.stderr, flush=True)

    info = {"machine": machine(), "volume": volume(), "context": context}
    log(f"Données : {info['volume']}\nCas : {context}")
    started = time.perf_counter()
    results = measure_pages(cases, repetitions=args.repetitions, warmup=args.warmup, log=log)
    export = measure_export(export_case, repetitions=args.csv_repetitions)
    info["seconds"] = round(time.perf_counter() - started, 1)

    mirrors = {case.name: case.mirrors for case in cases}
    report = table(results, export, export_case, mirrors)
    report += "\n\n" + observatory_table(results, mirrors)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = {
        **info,
        "command": args.command,
        "repetitions": args.repetitions,
        "warmup": args.warmup,
        "pages": {
            name: {
                kind: {**asdict(timing), "median": timing.median, "p95": timing.p95}
                for kind, timing in timings.items()
                if timing.samples
            }
            for name, timings in results.items()
        },
        "export": {
            **{k: v for k, v in export.items() if k != "timing"},
            "url": export_case.url,
            "median": export["timing"].median,
            "p95": export["timing"].p95,
            "samples": export["timing"].samples,
            "queries": export["timing"].queries,
        },
        "urls": {case.name: case.url or case.urls[:3] for case in cases},
        "admin_urls": {case.name: case.admin_url for case in cases if case.admin_url},
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    (RESULTS / f"{stamp}.md").write_text(
        f"{json.dumps(info, ensure_ascii=False)}\n\n{report}\n", encoding="utf-8"
    )
    log(f"Résultats : bench/results/{stamp}.json et .md")


if __name__ == "__main__":
    main()
