"""Background tasks of the moderation: its e-mails, sent by the worker (``run_worker``)."""

from django_tasks import task

from mailing.retries import retry_on_failure

from . import notifications


@task()
def notify_published(*, action_id: int, attempt: int = 1) -> None:
    with retry_on_failure(notify_published, attempt=attempt, action_id=action_id):
        notifications.action_published(action_id)


@task()
def notify_rejected(*, action_id: int, attempt: int = 1) -> None:
    with retry_on_failure(notify_rejected, attempt=attempt, action_id=action_id):
        notifications.action_rejected(action_id)
