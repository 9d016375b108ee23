"""Emails sent when moderation publishes or refuses a sheet.

The publication services call these functions through ``transaction.on_commit``, so every path
that publishes or refuses a sheet (admin, workspace...) notifies, and only once the change is
committed. Emails are in French, one message per recipient (addresses are not disclosed to one
another). A failure, whether rendering, building the public link or sending, is logged and
never raised: moderation does not depend on the mail server.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from federations.enums import MembershipRole

from .models import Action

logger = logging.getLogger(__name__)

EMAIL_LANGUAGE = "fr"


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
    ``actions:detail`` URL is missing: callers log it rather than send a broken link)."""
    return settings.SITE_URL + action.get_absolute_url()


def action_published(action_id: int) -> None:
    """Tell the people concerned that the sheet is published, with its public link."""
    _notify(action_id, "action_published", lambda action: {"public_url": public_url(action)})


def action_rejected(action_id: int) -> None:
    """Tell the people concerned that the sheet is refused, and why."""
    _notify(action_id, "action_rejected", lambda action: {"reason": action.rejection_reason})


def _notify(action_id: int, template: str, extra_context) -> None:
    try:
        action = Action.objects.select_related("structure__federation", "submitted_by").get(
            pk=action_id
        )
        to = recipients(action)
        if not to:
            logger.warning("Courriel %s de la fiche %s : aucun destinataire.", template, action_id)
            return
        context = {"action": action, "site_url": settings.SITE_URL, **extra_context(action)}
        with translation.override(EMAIL_LANGUAGE):
            subject = render_to_string(f"emails/{template}_subject.txt", context)
            body = render_to_string(f"emails/{template}_body.txt", context).strip() + "\n"
        subject = " ".join(subject.split())  # a header holds a single line
        messages = [EmailMessage(subject, body, to=[address]) for address in to]
        get_connection().send_messages(messages)
    except Exception:
        logger.exception("Courriel %s de la fiche %s non envoyé.", template, action_id)
