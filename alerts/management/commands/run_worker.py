"""The one process of the background work: django-tasks' database worker, and beside it the
schedule (``alerts.schedule.run_due`` every ``--schedule-interval`` seconds).

The schedule runs in a thread of the worker's process, with its own database connection; it
only claims digests and enqueues them, the worker sends. Several workers may run: a period is
claimed once (``Digest``'s unique constraint), and a task is run by one worker.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from alerts.schedule import run_due

logger = logging.getLogger(__name__)


def run_schedule(interval: int) -> None:
    while True:
        try:
            enqueued = run_due()
            if enqueued.alert_digests or enqueued.moderator_digest:
                logger.info("Synthèses à envoyer : %s", enqueued)
        except Exception:
            logger.exception("Le calendrier des synthèses a échoué ; nouvel essai plus tard.")
        finally:
            connection.close()
        time.sleep(interval)


class Command(db_worker.Command):
    help = (
        "Lance le worker des tâches de fond (courriels) et le calendrier des synthèses "
        "(alertes, modérateurs). Ctrl+C l'arrête."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-interval",
            type=int,
            default=settings.SCHEDULE_INTERVAL,
            help="Secondes entre deux recherches de synthèses dues (défaut : %(default)s).",
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="Le worker seul, sans le calendrier."
        )

    def handle(self, *args, schedule_interval, no_schedule, **options):
        # With autoreload, the parent process only watches files: the schedule runs in the
        # child that runs the worker.
        watching_only = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not no_schedule and not options["batch"] and not watching_only:
            threading.Thread(
                target=run_schedule, args=(schedule_interval,), daemon=True, name="schedule"
            ).start()
        super().handle(*args, **options)
