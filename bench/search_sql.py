"""The catalogue search's SQL on both PostgreSQL paths, side by side (docs/benchmarks.md,
"Search ranked inside a RUM index"):

    DATABASE_URL=postgres://... .venv/bin/python bench/search_sql.py "séjour familles" famille

For each search: the ids of its first page sorted by relevance with the RUM index (a window of
``SEARCH_WINDOW`` best matches from the index, ranked with ``ts_rank``) and without it (every
match ranked with ``ts_rank``), and its facet counts (the same on both paths), as the catalogue
page builds them (``ActionFilterSet``), each run ``--repetitions`` times on one connection,
interleaved: minimum and median. The database needs the RUM index
(actions/migrations/0017) for the first path; the second is the same database seen as one
without it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actions.models import Action  # noqa: E402
from catalogue import search as full_text  # noqa: E402
from catalogue.filters import ActionFilterSet  # noqa: E402

PER_PAGE = 20


def statements(text: str, *, rum: bool) -> dict[str, tuple[str, list]]:
    """{what: (sql, params)} of a search's page: its first page's ids, its facet counts."""
    full_text._rum_indexes[full_text.database_key("default")] = rum
    filterset = ActionFilterSet(
        data={"q": text}, queryset=Action.objects.catalogue(), windowed_search=True
    )
    ids = filterset.qs.values_list("pk", flat=True)[:PER_PAGE].query.sql_with_params()
    with CaptureQueriesContext(connection) as captured:
        total = filterset.counts.total
    (facets,) = [q["sql"] for q in captured.captured_queries if "restricted" in q["sql"]]
    return {"ids": ids, "facets": (facets, None), "total": total}


def timed(sql: str, params, repetitions: int) -> list[float]:
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repetitions):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("searches", nargs="+")
    parser.add_argument("--repetitions", type=int, default=10)
    args = parser.parse_args()
    if not full_text.uses_rum("default"):
        sys.exit("This database has no RUM index (actions/migrations/0017): nothing to compare.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM actions_facetentry")
        (published,) = cursor.fetchone()
    print(f"{published} published sheets, load average {os.getloadavg()[0]:.1f}")
    print("| search (matches) | page ids, RUM window | page ids, ts_rank | facet counts |")
    print("| --- | --- | --- | --- |")
    for text in args.searches:
        with_rum = statements(text, rum=True)
        without = statements(text, rum=False)
        runs = {"rum": [], "ts_rank": [], "facets": []}
        for _ in range(args.repetitions):
            runs["rum"] += timed(*with_rum["ids"], 1)
            runs["ts_rank"] += timed(*without["ids"], 1)
            runs["facets"] += timed(with_rum["facets"][0], None, 1)

        def shown(samples):
            return f"{min(samples) * 1000:.1f} ms (median {statistics.median(samples) * 1000:.1f})"

        print(
            f"| « {text} » ({with_rum['total']}) | {shown(runs['rum'])} "
            f"| {shown(runs['ts_rank'])} | {shown(runs['facets'])} |"
        )
    full_text._rum_indexes.clear()


if __name__ == "__main__":
    main()
