"""Subscribing to a selection, confirming the address (double opt-in), unsubscribing.

A signed-in person's alert goes to their account's address and is confirmed at once; an
address alone receives a confirmation link first, valid ``ALERT_CONFIRMATION_MAX_AGE``, and
nothing else until it is followed.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import Alert

CONFIRMATION_SALT = "alerts.confirmation"


def confirmation_key(alert: Alert) -> str:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(alert.token)


def alert_of_confirmation_key(key: str) -> Alert | None:
    """The alert a confirmation link names; ``None`` when it is forged, expired or gone."""
    try:
        token = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(
            key, max_age=settings.ALERT_CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return Alert.objects.filter(token=token).first()


@transaction.atomic
def subscribe(*, email: str, query: str, label: str, frequency: str, user=None) -> Alert:
    """Save the selection for ``email`` (the same selection twice is one alert, whose frequency
    is updated). The confirmation e-mail of an unconfirmed alert is enqueued after the commit."""
    from . import tasks

    alert = Alert.objects.select_for_update().of_address(email).filter(query=query).first()
    if alert is None:
        alert = Alert(email=email, query=query)
    alert.label = label
    alert.frequency = frequency
    if user is not None and alert.user_id is None:
        alert.user = user
    if user is not None and alert.confirmed_at is None:
        alert.confirmed_at = alert.covered_until = timezone.now()
    alert.save()
    if alert.confirmed_at is None:
        transaction.on_commit(
            lambda: tasks.send_confirmation.enqueue(alert_id=alert.pk), robust=True
        )
    return alert


def confirm(*, alert: Alert) -> Alert:
    """Confirm the address; digests count new sheets from now on."""
    if alert.confirmed_at is None:
        now = timezone.now()
        Alert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, covered_until=now
        )
        alert.refresh_from_db()
    return alert


def unsubscribe(*, token: str) -> bool:
    """Delete the alert of ``token``; whether there was one."""
    deleted, _ = Alert.objects.filter(token=token).delete()
    return bool(deleted)
