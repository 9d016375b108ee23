"""Benchmark of the alert digests: N alerts' digests claimed by the schedule, then sent by the
worker, in its own process, as in production (see docs/benchmarks.md).

    DATABASE_URL=... .venv/bin/python bench/alerts.py --alerts 1000 [--actions 5000]

On a database without demo data it generates some first (``generate_demo_data``). The alerts
are made up from the demo data's themes and départements (``@bench.example`` addresses,
replaced at each run), confirmed 60 days ago: every sheet generated since matches as new, the
worst case (20 sheets listed and the others counted in every e-mail). E-mails go to Django's
in-memory backend: what is measured is the portal's work, not a mail server.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from actions.models import Action, Theme  # noqa: E402
from alerts import digests, schedule  # noqa: E402
from alerts.models import Alert  # noqa: E402
from federations.models import Department  # noqa: E402

DOMAIN = "@bench.example"


def make_alerts(count: int) -> None:
    Alert.objects.filter(email__endswith=DOMAIN).delete()
    themes = list(Theme.objects.values_list("slug", flat=True))
    codes = list(
        Department.objects.filter(structures__actions__isnull=False)
        .distinct()
        .values_list("code", flat=True)
    )
    confirmed = timezone.now() - timedelta(days=60)
    Alert.objects.bulk_create(
        Alert(
            email=f"personne{n}{DOMAIN}",
            query=(
                f"theme={themes[n % len(themes)]}"
                + (f"&departement={codes[n % len(codes)]}" if n % 2 else "")
            ),
            confirmed_at=confirmed,
            covered_until=confirmed,
        )
        for n in range(count)
    )


def queries_per_digest(samples: int = 10) -> list[int]:
    """Queries of ``send_digest`` for a few more alerts (of all sizes), in this process."""
    counts = []
    probes = list(Alert.objects.filter(email__endswith=DOMAIN).order_by("pk")[:samples])
    for alert in probes:
        Alert.objects.filter(pk=alert.pk).update(covered_until=alert.confirmed_at)
        alert.digests.all().delete()
        alert.refresh_from_db()
        digest = digests.claim(alert, now=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            digests.send_digest(digest.pk)
        counts.append(len(queries))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--structures", type=int, default=500)
    parser.add_argument("--actions", type=int, default=5000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Action.objects.published().exists():
        call_command(
            "generate_demo_data", structures=args.structures, actions=args.actions, verbosity=0
        )
    make_alerts(args.alerts)
    DBTaskResult.objects.all().delete()
    published = Action.objects.published().count()

    started = time.perf_counter()
    enqueued = schedule.run_due()
    claimed = time.perf_counter() - started

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "-v0",
        ],
        cwd=ROOT,
        check=True,
    )
    worker = time.perf_counter() - started

    statuses = dict.fromkeys(["SUCCESSFUL", "FAILED", "READY"], 0)
    for status in DBTaskResult.objects.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    sent = Alert.objects.filter(email__endswith=DOMAIN, digests__sent_at__isnull=False).count()
    counts = queries_per_digest()
    print(f"database: {connection.vendor}, published sheets: {published}")
    print(f"alerts: {args.alerts}, digests claimed and enqueued: {enqueued.alert_digests}")
    print(f"schedule (claims + enqueue): {claimed:.1f} s")
    print(f"worker (db_worker --batch, its own process): {worker:.1f} s")
    print(f"tasks: {statuses}, digests sent: {sent}")
    print(f"queries per digest (10 samples): min {min(counts)}, max {max(counts)}")


if __name__ == "__main__":
    main()
