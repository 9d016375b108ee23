"""Publication rules: the one place where a sheet changes publication status.

The workspace (submission) and the admin (moderation) both call these functions; nothing else
writes ``publication_status``. Each transition is recorded as a ``ModerationEvent``, reads the
sheet's publication state again under a row lock (two moderators acting on the same sheet, or a
moderator and a contributor, cannot both pass the checks on a stale copy) and, for publication
and refusal, emails the people concerned once the transaction is committed.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notifications
from .enums import PublicationStatus
from .models import Action, ModerationEvent

# The columns that only these functions write (the admin shows them read-only).
PUBLICATION_FIELDS = (
    "publication_status",
    "published_at",
    "submitted_at",
    "submitted_by",
    "modified_since_publication",
    "rejection_reason",
)

# What moderators have to look at: sheets sent to moderation, and published sheets changed
# since their publication.
AWAITING_MODERATION = Q(publication_status=PublicationStatus.SUBMITTED) | Q(
    publication_status=PublicationStatus.PUBLISHED, modified_since_publication=True
)

# Sections a sheet needs before it can be sent to moderation: (field, French label).
REQUIRED_FOR_SUBMISSION = (
    ("title", _("Titre")),
    ("structure", _("Structure organisatrice")),
    ("status", _("Statut de l'action")),
    ("themes", _("Mots clés associés à l'action")),
    ("publics", _("Public")),
    ("summary", _("Résumé")),
    ("description", _("Description générale")),
)


class TransitionNotAllowed(Exception):
    """The sheet is not in a state that allows this transition; the message says why."""


def missing_for_submission(action: Action) -> list[tuple[str, str]]:
    """The required sections that ``action`` leaves empty, as (field, label) pairs."""
    missing = []
    for name, label in REQUIRED_FOR_SUBMISSION:
        if name in {"themes", "publics"}:
            filled = action.pk is not None and getattr(action, name).exists()
        elif name == "structure":
            filled = action.structure_id is not None
        else:
            filled = bool(str(getattr(action, name) or "").strip())
        if not filled:
            missing.append((name, label))
    return missing


def can_publish(action: Action) -> str | None:
    """``None`` when ``action`` may be published, else the reason it may not."""
    if action.publication_status == PublicationStatus.SUBMITTED:
        return None
    if action.publication_status == PublicationStatus.PUBLISHED:
        if action.modified_since_publication:
            return None
        return str(_("déjà publiée et non modifiée depuis"))
    return str(
        _("une fiche « %(status)s » doit d'abord être soumise")
        % {"status": action.get_publication_status_display()}
    )


def can_reject(action: Action) -> str | None:
    if action.publication_status == PublicationStatus.SUBMITTED:
        return None
    if (
        action.publication_status == PublicationStatus.PUBLISHED
        and action.modified_since_publication
    ):
        return None
    return str(
        _("seule une fiche soumise ou modifiée peut être refusée (celle-ci est « %(status)s »)")
        % {"status": action.get_publication_status_display()}
    )


def awaiting_moderation(queryset=None):
    """The sheets moderators have to look at (see ``AWAITING_MODERATION``)."""
    if queryset is None:
        queryset = Action.objects.all()
    return queryset.filter(AWAITING_MODERATION)


def lock_publication_state(action: Action) -> None:
    """Reload ``action``'s publication columns (and its version) from the database, locking
    its row until the end of the transaction (SQLite has no row locks but serialises writes).

    Content fields are left as they are in memory: a caller may hold unsaved edits.
    """
    attnames = [Action._meta.get_field(name).attname for name in PUBLICATION_FIELDS]
    current = (
        Action.objects.select_for_update().filter(pk=action.pk).values(*attnames, "version").first()
    )
    if current is None:
        raise TransitionNotAllowed(_("cette fiche n'existe plus"))
    for attname, value in current.items():
        setattr(action, attname, value)


def _record(action: Action, *, user, to_status: str, reason: str = "") -> ModerationEvent:
    return ModerationEvent.objects.create(
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        from_status=action.publication_status,
        to_status=to_status,
        reason=reason,
    )


@transaction.atomic
def submit_action(*, action: Action, user) -> Action:
    """Send a draft (or a refused sheet) to moderation. Required sections must be filled."""
    lock_publication_state(action)
    if action.publication_status not in {PublicationStatus.DRAFT, PublicationStatus.REJECTED}:
        raise TransitionNotAllowed(_("Seul un brouillon ou une fiche refusée peut être soumis."))
    missing = missing_for_submission(action)
    if missing:
        raise TransitionNotAllowed(
            _("Sections à remplir avant de soumettre : %(sections)s")
            % {"sections": ", ".join(str(label) for _, label in missing)}
        )
    _record(action, user=user, to_status=PublicationStatus.SUBMITTED)
    action.publication_status = PublicationStatus.SUBMITTED
    action.submitted_at = timezone.now()
    action.submitted_by = user
    action.rejection_reason = ""
    action.save(
        update_fields=[
            "publication_status",
            "submitted_at",
            "submitted_by",
            "rejection_reason",
            "updated_at",
        ]
    )
    return action


@transaction.atomic
def publish_action(*, action: Action, user) -> Action:
    """Publish a submitted sheet, or accept the changes made to a published one.

    ``published_at`` keeps the date of the first publication when changes are accepted. The
    submitter and the federation's staff are emailed the public link after the commit.
    """
    lock_publication_state(action)
    reason = can_publish(action)
    if reason:
        raise TransitionNotAllowed(reason)
    _record(action, user=user, to_status=PublicationStatus.PUBLISHED)
    action.publication_status = PublicationStatus.PUBLISHED
    action.published_at = action.published_at or timezone.now()
    action.modified_since_publication = False
    action.rejection_reason = ""
    action.save(
        update_fields=[
            "publication_status",
            "published_at",
            "modified_since_publication",
            "rejection_reason",
            "updated_at",
        ]
    )
    transaction.on_commit(partial(notifications.action_published, action.pk), robust=True)
    return action


@transaction.atomic
def reject_action(*, action: Action, user, reason: str) -> Action:
    """Refuse a submitted (or modified published) sheet; the reason is mandatory.

    A published sheet whose changes are refused is withdrawn from the catalogue: its current
    content is the refused one. The submitter and the federation's staff are emailed the
    reason after the commit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TransitionNotAllowed(_("Un motif est obligatoire pour refuser une fiche."))
    lock_publication_state(action)
    problem = can_reject(action)
    if problem:
        raise TransitionNotAllowed(problem)
    _record(action, user=user, to_status=PublicationStatus.REJECTED, reason=reason)
    action.publication_status = PublicationStatus.REJECTED
    action.rejection_reason = reason
    action.published_at = None
    action.modified_since_publication = False
    action.save(
        update_fields=[
            "publication_status",
            "rejection_reason",
            "published_at",
            "modified_since_publication",
            "updated_at",
        ]
    )
    transaction.on_commit(partial(notifications.action_rejected, action.pk), robust=True)
    return action


@transaction.atomic
def back_to_draft(*, action: Action, user, reason: str = "") -> Action:
    """Return a sheet to its authors as a draft (unpublishing it if it was published)."""
    lock_publication_state(action)
    if action.publication_status == PublicationStatus.DRAFT:
        raise TransitionNotAllowed(_("déjà en brouillon"))
    _record(action, user=user, to_status=PublicationStatus.DRAFT, reason=(reason or "").strip())
    action.publication_status = PublicationStatus.DRAFT
    action.published_at = None
    action.modified_since_publication = False
    action.save(
        update_fields=[
            "publication_status",
            "published_at",
            "modified_since_publication",
            "updated_at",
        ]
    )
    return action


@dataclass
class BulkResult:
    """Outcome of a transition applied to several sheets: done, and skipped with the reason."""

    done: list[Action] = field(default_factory=list)
    skipped: list[tuple[Action, str]] = field(default_factory=list)


def apply_to_each(transition, actions, **kwargs) -> BulkResult:
    """Apply ``transition`` to each sheet; one that is not eligible is skipped, not fatal."""
    result = BulkResult()
    for action in actions:
        try:
            transition(action=action, **kwargs)
        except TransitionNotAllowed as refusal:
            result.skipped.append((action, str(refusal)))
        else:
            result.done.append(action)
    return result
