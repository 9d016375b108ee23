"""An alert's digest: which sheets are new for it, claiming its period, sending it.

The schedule (``schedule.run_due``) claims the period of every due alert, then enqueues one
``send_digest`` task per claim; the worker sends them. A digest lists the sheets of the saved
selection that were published or changed between the end of the previous digest and the
claim, as the catalogue's own ``ActionFilterSet`` selects them today.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from actions.models import Action
from catalogue.filters import ActionFilterSet
from mailing.messages import absolute, render, send

from .enums import Frequency
from .models import Alert, Digest

# Sheets listed in one e-mail; the others are counted, with a link to the whole selection.
LISTED_SHEETS = 20


def unsubscribe_headers(alert: Alert) -> dict:
    """RFC 8058 one-click unsubscription: a mail client POSTs to the link, no session."""
    return {
        "List-Unsubscribe": f"<{absolute(alert.unsubscribe_url)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def selection(query: str):
    """The published sheets a saved query string selects, filtered exactly as the catalogue
    filters them (an invalid value is ignored, as on a stale shared link)."""
    return ActionFilterSet(data=QueryDict(query), queryset=Action.objects.catalogue()).qs


def new_sheets(query: str, *, since: datetime, until: datetime):
    changed = Q(published_at__gt=since, published_at__lte=until) | Q(
        updated_at__gt=since, updated_at__lte=until
    )
    return selection(query).filter(changed).order_by("-updated_at", "-pk")


def claim(alert: Alert, *, now: datetime) -> Digest | None:
    """Take the current period of ``alert``; ``None`` if someone took it already."""
    period = Frequency(alert.frequency).period_of(timezone.localdate(now))
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                alert=alert,
                period=period,
                since=alert.covered_until or alert.confirmed_at,
                until=now,
            )
            Alert.objects.filter(pk=alert.pk).update(covered_until=now)
    except IntegrityError:
        return None
    return digest


def send_digest(digest_id: int) -> None:
    """Send a claimed digest, or record that it had nothing new (then nothing is sent).
    A digest already sent is left alone, so a retry never sends it twice."""
    digest = Digest.objects.select_related("alert").get(pk=digest_id)
    if digest.sent_at is not None or digest.sheet_count == 0:
        return
    alert = digest.alert
    sheets = new_sheets(alert.query, since=digest.since, until=digest.until)
    listed = list(sheets[: LISTED_SHEETS + 1])
    count = len(listed) if len(listed) <= LISTED_SHEETS else sheets.count()
    if count:
        context = {
            "alert": alert,
            "digest": digest,
            "sheets": listed[:LISTED_SHEETS],
            "count": count,
            "more": count - min(count, LISTED_SHEETS),
            "catalogue_url": absolute(alert.catalogue_url),
            "manage_url": absolute(alert.manage_url),
            "unsubscribe_url": absolute(alert.unsubscribe_url),
        }
        send([render("alert_digest", context, to=alert.email, headers=unsubscribe_headers(alert))])
    Digest.objects.filter(pk=digest.pk).update(
        sheet_count=count, sent_at=timezone.now() if count else None
    )
