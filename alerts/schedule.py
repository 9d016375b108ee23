"""What the schedule runs (``send_alerts``, and ``run_worker`` every ``SCHEDULE_INTERVAL``):
claim the digests that are due, then enqueue their sending for the worker.

Running it twice, or in two processes at once, claims each period once: the second run finds
it taken and enqueues nothing for it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from . import digests, moderation, tasks
from .models import Alert


@dataclass(frozen=True)
class Enqueued:
    alert_digests: int
    moderator_digest: bool


def run_due(*, now: datetime | None = None) -> Enqueued:
    now = now or timezone.now()
    claimed = 0
    for alert in Alert.objects.due(now).order_by("pk").iterator():
        digest = digests.claim(alert, now=now)
        if digest is not None:
            tasks.send_digest.enqueue(digest_id=digest.pk)
            claimed += 1
    moderator_digest = moderation.claim(now=now)
    if moderator_digest is not None:
        tasks.send_moderator_digest.enqueue(digest_id=moderator_digest.pk)
    return Enqueued(alert_digests=claimed, moderator_digest=moderator_digest is not None)
