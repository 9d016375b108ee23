"""The moderators' digest: one e-mail per period (an hour) to the « Modérateurs » group when
sheets entered the moderation queue since the previous digest, with links to the queue.

Sheets submitted by the hundred (an import) give one digest, not a message per sheet.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actions.enums import PublicationStatus
from actions.models import Action
from federations.perms import MODERATORS_GROUP
from mailing.messages import absolute, render, send

from .models import ModeratorDigest

LISTED_SHEETS = 20


def moderators() -> list[str]:
    addresses = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATORS_GROUP)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(addresses))


def claim(*, now: datetime) -> ModeratorDigest | None:
    """Take the current hour if sheets arrived in the queue since the previous digest."""
    period = now.replace(minute=0, second=0, microsecond=0)
    previous = ModeratorDigest.objects.order_by("-claimed_at").first()
    waiting = Action.objects.awaiting_moderation()
    if previous is None and not waiting.exists():
        return None
    if previous is not None:
        waiting_new = waiting.filter(
            Q(submitted_at__gt=previous.claimed_at) | Q(updated_at__gt=previous.claimed_at)
        )
        if not waiting_new.exists():
            return None
    try:
        with transaction.atomic():
            return ModeratorDigest.objects.create(period=period, waiting=waiting.count())
    except IntegrityError:
        return None


def send_digest(digest_id: int) -> None:
    digest = ModeratorDigest.objects.get(pk=digest_id)
    if digest.sent_at is not None:
        return
    sheets = list(
        Action.objects.awaiting_moderation()
        .select_related("structure")
        .order_by("submitted_at", "pk")[:LISTED_SHEETS]
    )
    if not sheets:
        return
    changelist = reverse("admin:actions_action_changelist")
    context = {
        "digest": digest,
        "sheets": [
            (sheet, absolute(reverse("admin:actions_action_change", args=[sheet.pk])))
            for sheet in sheets
        ],
        "more": max(digest.waiting - len(sheets), 0),
        "queue_url": absolute(changelist),
        "submitted_url": absolute(
            f"{changelist}?publication_status__exact={PublicationStatus.SUBMITTED}"
        ),
    }
    send(render("moderator_digest", context, to=address) for address in moderators())
    ModeratorDigest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
