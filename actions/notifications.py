"""Emails sent when moderation publishes or refuses a sheet.

The publication services enqueue these as background tasks (``actions.tasks``) through
``transaction.on_commit``, so every path that publishes or refuses a sheet (admin,
workspace...) notifies, only once the change is committed, and never inside the request:
moderation does not depend on the mail server. Emails are in French, one message per
recipient (addresses are not disclosed to one another).
"""

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse

from federations.enums import MembershipRole
from mailing.messages import absolute, render, send

from .models import Action

logger = logging.getLogger(__name__)


def recipients(action: Action) -> list[str]:
    """Who hears about a moderation decision: the person who submitted the sheet and the
    staff of its structure's federation (active accounts, non-empty addresses, each once)."""
    candidates = []
    if action.submitted_by_id and action.submitted_by.is_active:
        candidates.append(action.submitted_by.email)
    federation_id = action.structure.federation_id
    if federation_id:
        candidates.extend(
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__federation_id=federation_id,
                memberships__role=MembershipRole.STAFF,
            )
            .order_by("pk")
            .values_list("email", flat=True)
        )
    unique, seen = [], set()
    for address in candidates:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def public_url(action: Action) -> str:
    """The sheet's absolute public address (raises ``NoReverseMatch`` if the catalogue's
    detail URL is missing: callers log it rather than send a broken link)."""
    return absolute(action.get_absolute_url())


def workspace_url(action: Action) -> str:
    """Where its authors correct a refused sheet: its form in the workspace."""
    return absolute(reverse("workspace:action_update", kwargs={"pk": action.pk}))


def action_published(action_id: int) -> None:
    """Tell the people concerned that the sheet is published, with its public link."""
    _notify(action_id, "action_published", lambda action: {"public_url": public_url(action)})


def action_rejected(action_id: int) -> None:
    """Tell the people concerned that the sheet is refused, why, and where to correct it."""
    _notify(
        action_id,
        "action_rejected",
        lambda action: {"reason": action.rejection_reason, "edit_url": workspace_url(action)},
    )


def _notify(action_id: int, template: str, extra_context) -> None:
    """Build the messages, then send them. What cannot be built (the sheet is gone, a link
    cannot be made) is logged and dropped: trying again would fail the same way. A mail
    server failure is raised, for the task to try again later."""
    try:
        action = Action.objects.select_related("structure__federation", "submitted_by").get(
            pk=action_id
        )
        to = recipients(action)
        if not to:
            logger.warning("Courriel %s de la fiche %s : aucun destinataire.", template, action_id)
            return
        context = {"action": action, **extra_context(action)}
        messages = [render(template, context, to=address) for address in to]
    except Exception:
        logger.exception("Courriel %s de la fiche %s non envoyé.", template, action_id)
        return
    send(messages)
