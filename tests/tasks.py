"""Running the background tasks in a test, as the worker does (``run_worker``)."""

from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks() -> int:
    """Run every task that is ready (not those deferred to later, like retries), in this
    thread and on this test's database, the way ``db_worker`` does; how many ran.

    The worker closes unusable connections between tasks, as Django does between requests:
    the test's connection, inside its transaction, must stay open (the test client likewise
    keeps requests from closing it)."""
    before = DBTaskResult.objects.exclude(status="READY").count()
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
    return DBTaskResult.objects.exclude(status="READY").count() - before
