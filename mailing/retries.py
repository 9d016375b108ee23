"""Trying a failed task again later, with an exponential back-off.

django-tasks has no retries of its own. A task that may fail for a passing reason (the mail
server) takes an ``attempt`` argument and runs its work inside :func:`retry_on_failure`: on an
exception, the same task is enqueued again with ``attempt + 1``, to run after
``TASK_RETRY_DELAY × 2^(attempt − 1)``, and the exception is raised again so that this attempt
is recorded as failed, with its traceback, in the admin (« Résultats des tâches »). After
``TASK_MAX_ATTEMPTS`` attempts the error is logged and nothing is enqueued.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


def retry_delay(attempt: int):
    return settings.TASK_RETRY_DELAY * 2 ** (attempt - 1)


@contextmanager
def retry_on_failure(task, *, attempt: int, **kwargs):
    try:
        yield
    except Exception:
        if attempt >= settings.TASK_MAX_ATTEMPTS:
            logger.exception("Tâche %s abandonnée après %d essais.", task.name, attempt)
        else:
            run_after = timezone.now() + retry_delay(attempt)
            task.using(run_after=run_after).enqueue(**kwargs, attempt=attempt + 1)
            logger.warning(
                "Tâche %s en échec (essai %d), nouvel essai après %s.",
                task.name,
                attempt,
                run_after.isoformat(timespec="seconds"),
            )
        raise
