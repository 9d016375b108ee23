"""CPU time of rendering the public pages on the sample (22 sheets), one source tree beside
another: what each page costs the portal's process (and every test that requests it), with
the data the tests use.

    .venv/bin/python bench/render.py                          # this tree
    .venv/bin/python bench/render.py --tree /tmp/main --tree .  # before and after, side by side
    .venv/bin/python bench/render.py --profile catalogue      # cProfile of one page

Each tree is measured by a worker process of its own (this script with ``--worker``, the
tree's code on its path, its own SQLite database in a temporary folder, migrated and loaded
with the sample fixtures; ``--database-url`` for one database shared by the trees instead).
The driver asks the workers in turn, page by page, repetition by repetition: the noise of a
shared machine hits every tree and page alike. A page is one request through the test client
(URL resolution, middleware, view, queries, template rendering), with production settings
(``DEBUG`` off, cached templates, manifest static files) and the page cache off; its cost is
the worker's CPU time for the request (``time.process_time``: the database's too on SQLite,
which runs in the process), reported as the median over the repetitions.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()

# (name, what it is): the URL is chosen from the data by the worker (``page_urls``).
PAGES = [
    ("catalogue", "/actions/, the whole catalogue"),
    ("filtered", "/actions/ with a theme and a département chosen"),
    ("search", "/actions/?q=séjour"),
    ("sheet", "a sheet's page"),
    ("observatory", "/observatoire/"),
    ("home", "/"),
]


# The worker: one tree, one database --------------------------------------------------------


def start_django(tree: Path, database_url: str | None, folder: Path) -> None:
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["STATIC_ROOT"] = str(folder / "static")
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder / 'db.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PAGE_CACHE_NAMESPACES = ()  # every page rendered, never served from the page cache
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from actions.management.commands.load_demo import SAMPLE_FIXTURES
    from actions.models import Action

    if not Action.objects.exists():
        call_command("loaddata", *SAMPLE_FIXTURES, verbosity=0)


def page_urls() -> dict[str, str]:
    """The URL of each page, from the data: the filtered catalogue chooses the most used theme
    and département of the published sheets, the sheet is the first published one by slug."""
    from django.db.models import Count

    from actions.models import Action, Theme
    from federations.models import Department

    published = Action.objects.filter(publication_status="published")
    theme = Theme.objects.annotate(n=Count("actions")).order_by("-n", "slug").first()
    department = (
        Department.objects.filter(structures__actions__in=published)
        .annotate(n=Count("structures__actions"))
        .order_by("-n", "code")
        .first()
    )
    sheet = published.order_by("slug").first()
    return {
        "catalogue": "/actions/",
        "filtered": f"/actions/?theme={theme.slug}&departement={department.code}",
        "search": "/actions/?q=s%C3%A9jour",
        "sheet": f"/actions/{sheet.slug}/",
        "observatory": "/observatoire/",
        "home": "/",
    }


def render(client, url: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one request of ``url``, its body read."""
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.get(url, secure=True)
    body = b"".join(response) if response.streaming else response.content
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200 or not body:
        raise SystemExit(f"{url}: {response.status_code}")
    return cpu, wall


def worker(tree: Path, database_url: str | None) -> None:
    """Answers the driver's JSON lines on stdin: {"page": name} → {"cpu": s, "wall": s}."""
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        start_django(tree, database_url, Path(folder))
        from django.test import Client

        client, urls = Client(), page_urls()
        print(json.dumps({"urls": urls}), flush=True)
        for line in sys.stdin:
            cpu, wall = render(client, urls[json.loads(line)["page"]])
            print(json.dumps({"cpu": cpu, "wall": wall}), flush=True)


def profile(
    tree: Path, database_url: str | None, page: str, requests: int, output: Path | None
) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        start_django(tree, database_url, Path(folder))
        from django.test import Client

        client, url = Client(), page_urls()[page]
        render(client, url)  # templates compiled, caches warm
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            render(client, url)
        profiler.disable()
        if output:
            profiler.dump_stats(output)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


# The driver ----------------------------------------------------------------------------------


class Worker:
    def __init__(self, tree: Path, database_url: str | None):
        command = [sys.executable, str(HERE), "--worker", str(tree)]
        if database_url:
            command += ["--database-url", database_url]
        self.tree = tree
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.urls = self._answer()["urls"]

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the worker of {self.tree} stopped")
        return json.loads(line)

    def render(self, page: str) -> dict:
        self.process.stdin.write(json.dumps({"page": page}) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def drive(trees: list[Path], database_url: str | None, repetitions: int, warmup: int) -> None:
    workers = [Worker(tree, database_url) for tree in trees]
    try:
        samples = {(w.tree, page): [] for w in workers for page, _ in PAGES}
        for repetition in range(warmup + repetitions):
            for page, _ in PAGES:
                for w in workers:
                    answer = w.render(page)
                    if repetition >= warmup:
                        samples[w.tree, page].append(answer["cpu"])
    finally:
        for w in workers:
            w.stop()
    print(f"CPU per render, median of {repetitions} (ms), SQLite unless --database-url")
    header = ["page", *(str(tree) for tree in trees)]
    if len(trees) == 2:
        header.append("after / before")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for page, what in PAGES:
        medians = [statistics.median(samples[tree, page]) for tree in trees]
        row = [f"{page} ({what})", *(ms(median) for median in medians)]
        if len(trees) == 2:
            row.append(f"{medians[1] / medians[0]:.2f}")
        print("| " + " | ".join(row) + " |")
    for w in workers:
        print(f"{w.tree}: {w.urls}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tree", action="append", type=Path, help="a source tree (repeat: side by side)"
    )
    parser.add_argument("--database-url", help="one database for every tree (default: SQLite)")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", metavar="PAGE", choices=[page for page, _ in PAGES])
    parser.add_argument("--profile-output", type=Path, help="where to write the profile's stats")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker.resolve(), options.database_url)
        return
    trees = [tree.resolve() for tree in options.tree or [HERE.parent.parent]]
    if options.profile:
        profile(
            trees[0],
            options.database_url,
            options.profile,
            options.repetitions,
            options.profile_output,
        )
        return
    drive(trees, options.database_url, options.repetitions, options.warmup)


if __name__ == "__main__":
    main()
