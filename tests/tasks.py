"""Running the background tasks in a test, as the worker does (``run_worker``)."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks() -> int:
    """Run every task that is ready (not those deferred to later, like retries), in this
    thread and on this test's database, the way ``db_worker`` does; how many ran."""
    before = DBTaskResult.objects.exclude(status="READY").count()
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()
    return DBTaskResult.objects.exclude(status="READY").count() - before
