"""Publication rules: the only module that writes a sheet's publication columns.

Every change of ``PUBLICATION_FIELDS`` is made here: submission (workspace), publication,
refusal and back to draft (moderation in the admin), the importer's publication and its
return to moderation of a published sheet it changed, the flag a content save raises on a
published sheet, and the state of sheets loaded in bulk (demo data).
The admin shows these columns read-only; content saves (``content``) never write them, and
re-read them under the row lock so that a stale copy of them is never saved.

Each transition is recorded as a ``ModerationEvent``, reads the sheet's publication state
again under a row lock (two moderators acting on the same sheet, or a moderator and a
contributor, cannot both pass the checks on a stale copy) and, for publication and refusal,
enqueues the e-mails to the people concerned once the transaction is committed
(``actions.tasks``: a background worker sends them).

A moderator publishes or refuses the version they read: the decision carries that version, and
if the content changed since (the version moved), nothing is published or refused; the sheet
stays in the queue, flagged ``modified_during_review`` ("modifiée depuis votre lecture") until
the next decision taken on its current version.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import sections, tasks
from actions.enums import PublicationStatus
from actions.models import Action, ModerationEvent

from . import partners

# The columns that only this module writes, in the order the admin shows them (read-only).
PUBLICATION_FIELDS = (
    "publication_status",
    "modified_since_publication",
    "modified_during_review",
    "submitted_by",
    "submitted_at",
    "published_at",
    "rejection_reason",
)


class TransitionNotAllowed(Exception):
    """The sheet is not in a state that allows this transition; the message says why."""


class ChangedSinceReview(TransitionNotAllowed):
    """The sheet's content changed after the moderator read it: nothing was decided."""

    def __init__(self, *, read: int, current: int):
        super().__init__(
            _(
                "modifiée depuis votre lecture (vous aviez lu la version %(read)d, elle en est "
                "à la version %(current)d) : relisez-la avant de décider"
            )
            % {"read": read, "current": current}
        )


def missing_for_submission(action: Action) -> list[tuple[str, str]]:
    """The sections required for submission (``actions.sections``) that ``action`` leaves
    empty, as (field, heading) pairs; its title first."""
    missing = []
    for name, heading in sections.required_for_submission():
        if name == sections.TITLE:
            filled = bool(action.title.strip())
        else:
            filled = sections.is_filled(action, sections.section(name))
        if not filled:
            missing.append((name, heading))
    return missing


def can_publish(action: Action) -> str | None:
    """``None`` when ``action`` may be published, else the reason it may not."""
    if action.publication_status == PublicationStatus.SUBMITTED:
        return None
    if action.publication_status == PublicationStatus.PUBLISHED:
        if action.modified_since_publication:
            return None
        return _("déjà publiée et non modifiée depuis")
    return _("une fiche « %(status)s » doit d'abord être soumise") % {
        "status": action.get_publication_status_display()
    }


def can_reject(action: Action) -> str | None:
    if action.publication_status == PublicationStatus.SUBMITTED:
        return None
    if (
        action.publication_status == PublicationStatus.PUBLISHED
        and action.modified_since_publication
    ):
        return None
    return _(
        "seule une fiche soumise ou modifiée peut être refusée (celle-ci est « %(status)s »)"
    ) % {"status": action.get_publication_status_display()}


def reload_publication_state(action: Action) -> None:
    """Reload ``action``'s publication columns and its version from the database, locking its
    row until the end of the transaction (SQLite has no row locks but serialises writes).

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


def _record(
    action: Action, *, user, to_status: str, reason: str = "", from_status: str | None = None
) -> ModerationEvent:
    return ModerationEvent.objects.create(
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        from_status=action.publication_status if from_status is None else from_status,
        to_status=to_status,
        reason=reason,
    )


def _save_state(action: Action, fields: Iterable[str]) -> None:
    action.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def submit_action(*, action: Action, user) -> Action:
    """Send a draft (or a refused sheet) to moderation. Required sections must be filled."""
    reload_publication_state(action)
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
    _save_state(action, ["publication_status", "submitted_at", "submitted_by", "rejection_reason"])
    return action


def _decide(action: Action, *, reviewed_version: int, eligible, decision) -> Action:
    """Take ``decision`` on ``action`` if ``eligible`` allows it and its content is still the
    ``reviewed_version`` the moderator read; otherwise raise ``TransitionNotAllowed``.

    When only the version moved, the sheet is flagged ``modified_during_review`` (written
    before ``ChangedSinceReview`` is raised, outside the rolled-back block, so that the flag
    stays; no history record, no new ``updated_at``) and nothing else changes.
    """
    with transaction.atomic():
        reload_publication_state(action)
        problem = eligible(action)
        if problem:
            raise TransitionNotAllowed(problem)
        if action.version == reviewed_version:
            decision(action)
            return action
        action.modified_during_review = True
        Action.objects.filter(pk=action.pk).update(modified_during_review=True)
    raise ChangedSinceReview(read=reviewed_version, current=action.version)


def publish_action(*, action: Action, user, reviewed_version: int) -> Action:
    """Publish a submitted sheet, or accept the changes made to a published one, as it was at
    ``reviewed_version`` (see the module's docstring).

    ``published_at`` keeps the date of the first publication when changes are accepted. The
    submitter and the federation's staff are emailed the public link after the commit.
    """

    def publish(action: Action) -> None:
        _record(action, user=user, to_status=PublicationStatus.PUBLISHED)
        action.publication_status = PublicationStatus.PUBLISHED
        action.published_at = action.published_at or timezone.now()
        action.modified_since_publication = False
        action.modified_during_review = False
        action.rejection_reason = ""
        _save_state(
            action,
            [
                "publication_status",
                "published_at",
                "modified_since_publication",
                "modified_during_review",
                "rejection_reason",
            ],
        )
        partners.reveal_names_of(action)
        transaction.on_commit(
            partial(tasks.notify_published.enqueue, action_id=action.pk), robust=True
        )

    return _decide(
        action, reviewed_version=reviewed_version, eligible=can_publish, decision=publish
    )


def reject_action(*, action: Action, user, reason: str, reviewed_version: int) -> Action:
    """Refuse a submitted (or modified published) sheet as it was at ``reviewed_version``;
    the reason is mandatory.

    A published sheet whose changes are refused is withdrawn from the catalogue: its current
    content is the refused one. The submitter and the federation's staff are emailed the
    reason after the commit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TransitionNotAllowed(_("Un motif est obligatoire pour refuser une fiche."))

    def reject(action: Action) -> None:
        _record(action, user=user, to_status=PublicationStatus.REJECTED, reason=reason)
        action.publication_status = PublicationStatus.REJECTED
        action.rejection_reason = reason
        action.published_at = None
        action.modified_since_publication = False
        action.modified_during_review = False
        _save_state(
            action,
            [
                "publication_status",
                "rejection_reason",
                "published_at",
                "modified_since_publication",
                "modified_during_review",
            ],
        )
        transaction.on_commit(
            partial(tasks.notify_rejected.enqueue, action_id=action.pk), robust=True
        )

    return _decide(action, reviewed_version=reviewed_version, eligible=can_reject, decision=reject)


@transaction.atomic
def back_to_draft(*, action: Action, user, reason: str = "") -> Action:
    """Return a sheet to its authors as a draft (unpublishing it if it was published).

    Nothing is published, so whatever version the moderator read does not matter.
    """
    reload_publication_state(action)
    if action.publication_status == PublicationStatus.DRAFT:
        raise TransitionNotAllowed(_("déjà en brouillon"))
    _record(action, user=user, to_status=PublicationStatus.DRAFT, reason=(reason or "").strip())
    action.publication_status = PublicationStatus.DRAFT
    action.published_at = None
    action.modified_since_publication = False
    action.modified_during_review = False
    _save_state(
        action,
        [
            "publication_status",
            "published_at",
            "modified_since_publication",
            "modified_during_review",
        ],
    )
    return action


# Content saves ---------------------------------------------------------------------------------


def check_new_sheet(action: Action) -> None:
    """A sheet is created as a draft that nobody submitted: publishing it is a decision of its
    own (``publish_action``, ``publish_import``), never a side effect of its creation."""
    defaults = {name: Action._meta.get_field(name).get_default() for name in PUBLICATION_FIELDS}
    if any(getattr(action, name) != value for name, value in defaults.items()):
        raise ValueError("A new sheet starts as a draft; publish it through its own decision.")


def note_content_saved(action: Action) -> None:
    """After a content save claimed the sheet's version (row locked): a published sheet stays
    published and is flagged ``modified_since_publication`` for moderators. The publication
    columns of ``action`` are reloaded, so that a stale copy of them is never written."""
    reload_publication_state(action)
    if action.is_published and not action.modified_since_publication:
        action.modified_since_publication = True
        Action.objects.filter(pk=action.pk).update(modified_since_publication=True)


# The importer and bulk loads ---------------------------------------------------------------------


def publish_import(*, action: Action, source: str, created: bool, at: datetime) -> bool:
    """Publish a sheet that ``import_sheets --publish`` created or updated from the text of an
    already published sheet; whether it changed state. A sheet already published is left as
    it is (an import that changes it sends it back to moderation: ``submit_import_update``).
    The moderation event names the file, and no moderator."""
    with transaction.atomic():
        reload_publication_state(action)
        if action.is_published:
            return False
        _record(
            action,
            user=None,
            to_status=PublicationStatus.PUBLISHED,
            reason=_("Publiée par l'import de fiches (%s).") % Path(source).name,
            from_status="" if created else None,
        )
        action.publication_status = PublicationStatus.PUBLISHED
        action.published_at = action.published_at or at
        action.modified_since_publication = False
        _save_state(action, ["publication_status", "published_at", "modified_since_publication"])
        partners.reveal_names_of(action)
    return True


def submit_import_update(*, action: Action, source: str) -> bool:
    """Send a published sheet that an import has just changed (``import_sheets
    --overwrite``) back to moderation; whether it changed state.

    Nobody has read the imported text: the sheet leaves the catalogue (submitted) until a
    moderator publishes it (``publish_action``, which keeps the date of its first
    publication) or refuses it, and ``import_sheets --publish`` never publishes it again. A
    sheet that is not published is left as it is. The moderation event names the file."""
    with transaction.atomic():
        reload_publication_state(action)
        if not action.is_published:
            return False
        _record(
            action,
            user=None,
            to_status=PublicationStatus.SUBMITTED,
            reason=_("Modifiée par l'import de fiches (%s) : à relire avant publication.")
            % Path(source).name,
        )
        action.publication_status = PublicationStatus.SUBMITTED
        action.submitted_at = timezone.now()
        action.submitted_by = None
        action.modified_since_publication = False
        action.modified_during_review = False
        _save_state(
            action,
            [
                "publication_status",
                "submitted_at",
                "submitted_by",
                "modified_since_publication",
                "modified_during_review",
            ],
        )
    return True


def backdate(*, action: Action, at: datetime) -> None:
    """Date a published sheet as if it had been created, published and last changed at
    ``at``: the sample fixtures are built by the importer with fixed dates, so that a rebuild
    gives the same bytes (``build_sample_fixtures``)."""
    if not action.is_published:
        raise ValueError("Only a published sheet has a publication date.")
    Action.objects.filter(pk=action.pk).update(published_at=at, created_at=at, updated_at=at)


@dataclass(frozen=True)
class LoadedState:
    """The publication state of a sheet loaded in bulk (``content.bulk_load``): sheets of the
    demo data, made up as if they had been moderated. No event, no email, no history."""

    status: str = PublicationStatus.DRAFT
    published_at: datetime | None = None
    submitted_at: datetime | None = None
    modified: bool = False
    rejection_reason: str = ""

    def __post_init__(self):
        published = self.status == PublicationStatus.PUBLISHED
        if published != (self.published_at is not None):
            raise ValueError("A published sheet, and only one, has a publication date.")
        if self.modified and not published:
            raise ValueError("Only a published sheet can be modified since its publication.")
        if self.rejection_reason and self.status != PublicationStatus.REJECTED:
            raise ValueError("Only a refused sheet has a reason for its refusal.")


def apply_loaded_state(action: Action, state: LoadedState) -> None:
    """Set ``state`` on an unsaved ``action``, for ``content.bulk_load`` to insert."""
    action.publication_status = state.status
    action.published_at = state.published_at
    action.submitted_at = state.submitted_at
    action.modified_since_publication = state.modified
    action.rejection_reason = state.rejection_reason


# Several sheets at once (admin bulk actions) ----------------------------------------------------


@dataclass
class BulkResult:
    """Outcome of a transition applied to several sheets: done, and skipped with the reason."""

    done: list[Action] = field(default_factory=list)
    skipped: list[tuple[Action, str]] = field(default_factory=list)


def apply_to_each(
    transition, actions, *, reviewed_versions: dict[int, int] | None = None, **kwargs
) -> BulkResult:
    """Apply ``transition`` to each sheet; one that is not eligible is skipped, not fatal.

    With ``reviewed_versions`` (sheet id → the version the moderator's page showed), each
    sheet is decided on the version shown, and a sheet the page did not show is skipped.
    """
    result = BulkResult()
    for action in actions:
        extra = {}
        if reviewed_versions is not None:
            if action.pk not in reviewed_versions:
                result.skipped.append(
                    (action, _("absente de la page validée : ouvrez-la pour la relire"))
                )
                continue
            extra["reviewed_version"] = reviewed_versions[action.pk]
        try:
            transition(action=action, **extra, **kwargs)
        except TransitionNotAllowed as refusal:
            result.skipped.append((action, str(refusal)))
        else:
            result.done.append(action)
    return result
