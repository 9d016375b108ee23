"""Background tasks of the alerts, run by the worker (``run_worker``); each e-mail is tried
again with a back-off when the mail server fails (``mailing.retries``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mailing.messages import absolute, render, send
from mailing.retries import retry_on_failure

from . import digests, moderation, subscriptions
from .models import Alert


@task()
def send_confirmation(*, alert_id: int, attempt: int = 1) -> None:
    """The double opt-in: the only e-mail an unconfirmed address receives."""
    alert = Alert.objects.filter(pk=alert_id, confirmed_at__isnull=True).first()
    if alert is None:
        return
    url = reverse("alerts:confirm", kwargs={"key": subscriptions.confirmation_key(alert)})
    context = {
        "alert": alert,
        "confirm_url": absolute(url),
        "expires_at": timezone.now() + settings.ALERT_CONFIRMATION_MAX_AGE,
        "catalogue_url": absolute(alert.catalogue_url),
    }
    with retry_on_failure(send_confirmation, attempt=attempt, alert_id=alert_id):
        send([render("alert_confirmation", context, to=alert.email)])


@task()
def send_digest(*, digest_id: int, attempt: int = 1) -> None:
    with retry_on_failure(send_digest, attempt=attempt, digest_id=digest_id):
        digests.send_digest(digest_id)


@task()
def send_moderator_digest(*, digest_id: int, attempt: int = 1) -> None:
    with retry_on_failure(send_moderator_digest, attempt=attempt, digest_id=digest_id):
        moderation.send_digest(digest_id)
