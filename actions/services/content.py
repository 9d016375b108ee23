"""Creating a sheet and saving its content with its lines and files.

``saving`` is the one way to write a sheet's content, used by the workspace forms, the admin
change form and the importer. In one transaction it:

- creates the sheet (a draft: see ``publication.check_new_sheet``) with a free slug, or claims
  the version the editing form was loaded at (``versions.claim_version``: ``EditConflict``
  and nothing written when someone saved meanwhile) and writes the given content fields;
- lets the caller write the lines, files and many-to-many choices inside the block
  (``Save.save_lines`` for inline formsets);
- writes one history record for the whole save, with the final state of every field.

The publication columns are never written here: after the claim they are re-read under the
row lock, and a published sheet is flagged as modified for moderators
(``publication.note_content_saved``).

A creation form carries a random token (``Action.creation_token``, unique): posting it twice
(a double click, a retried request) creates one sheet, and the second post gets
``AlreadyCreated`` with it. Two sheets created at once with the same title get two slugs.

``bulk_load`` is the separate, documented entry of the demo generator: sheets with their lines
and a made-up publication state, inserted with ``bulk_create``.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from actions.models import Action, ActionPartner, Attachment, Funding
from federations.text import insert_with_free_slug

from . import files, partners, publication, versions

CHANGE_REASON_MAX_LENGTH = 100
# What the portal keeps itself: never written from a form's content.
BOOKKEEPING_FIELDS = frozenset(
    {
        "id",
        "version",
        "creation_token",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "search_vector",
    }
)
# The sheet's own content: what a save writes on the sheet's row.
CONTENT_FIELDS = frozenset(
    f.name
    for f in Action._meta.concrete_fields
    if f.name not in BOOKKEEPING_FIELDS and f.name not in publication.PUBLICATION_FIELDS
)


class AlreadyCreated(Exception):
    """The creation form that carried this token already created ``action``."""

    def __init__(self, action: Action):
        super().__init__(_("Cette fiche a déjà été créée."))
        self.action = action


@dataclass
class Save:
    """A save in progress, given to the block of ``saving``."""

    action: Action
    user: object
    creating: bool
    notes: list[str] = field(default_factory=list)

    def _save_attachment(self, attachment: Attachment) -> None:
        """Store a new file before its row is written, noted so that a rollback deletes it."""
        if attachment.pk is None:
            attachment.uploaded_by = self.user
        if not attachment.file._committed:
            replaced = (
                Attachment.objects.filter(pk=attachment.pk).values_list("file", flat=True).first()
            )
            attachment.file.save(attachment.file.name, attachment.file.file, save=False)
            files.note_stored(attachment.file.name)
            if replaced:
                files.remove_after_commit(replaced)
        attachment.save()

    def save_lines(self, formset, *, label: str) -> None:
        """Save an inline formset of the sheet's lines (partners, funding lines, files) and
        note how many were added, changed and removed.

        A new file is recorded as uploaded by the saving user, and deleted again if the save
        rolls back; a replaced or removed file leaves the storage once the save commits (not
        before: a rollback keeps it). See ``files``.
        """
        formset.instance = self.action
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if isinstance(obj, Attachment) and obj.file:
                files.remove_after_commit(obj.file.name)
            obj.delete()
        for obj in saved:
            if isinstance(obj, Attachment):
                self._save_attachment(obj)
            else:
                obj.save()
        formset.save_m2m()
        counts = [
            (len(formset.new_objects), _("%(n)d ajouté(s)")),
            (len(formset.changed_objects), _("%(n)d modifié(s)")),
            (len(formset.deleted_objects), _("%(n)d retiré(s)")),
        ]
        done = [text % {"n": n} for n, text in counts if n]
        if done:
            self.notes.append(f"{label} : {', '.join(done)}")


def content_fields(names: Iterable[str]) -> list[str]:
    """The content fields among ``names`` (a form's fields: many-to-many and non-model
    fields are left out). A publication column or a bookkeeping field is a mistake."""
    forbidden = {*publication.PUBLICATION_FIELDS, *BOOKKEEPING_FIELDS} & set(names)
    if forbidden:
        raise ValueError(f"Not content, not written by a save: {sorted(forbidden)}")
    return [name for name in names if name in CONTENT_FIELDS]


@contextmanager
def saving(
    action: Action,
    *,
    user,
    fields: Iterable[str] = (),
    expected_version: int | None = None,
    creation_token=None,
) -> Iterator[Save]:
    """Create ``action`` (no primary key yet) or save its content ``fields`` as in memory,
    then run the block, which writes the lines; all in one transaction, with one history
    record (see the module's docstring).

    Raises ``EditConflict`` (an existing sheet no longer at ``expected_version``) or
    ``AlreadyCreated`` (``creation_token`` already used) before writing anything.
    """
    with files.discarding_unsaved_files(), transaction.atomic():
        save = Save(action=action, user=user, creating=action.pk is None)
        action.updated_by = user
        action.skip_history_when_saving = True
        try:
            if save.creating:
                _create(action, user=user, creation_token=creation_token)
            else:
                versions.claim_version(action, expected_version=expected_version)
                publication.note_content_saved(action)
                action.save(update_fields=[*content_fields(fields), "updated_by", "updated_at"])
            yield save
        finally:
            del action.skip_history_when_saving
        _record_history(save)
        if action.is_published:  # its new lines are on its public page already
            partners.reveal_names_of(action)


def _create(action: Action, *, user, creation_token) -> None:
    """Insert the new sheet as a draft at version 1, with a free slug (the one typed, if any,
    when it is free). A slug taken by a sheet created at the same instant is replaced by the
    next free one; a token already used raises ``AlreadyCreated``."""
    publication.check_new_sheet(action)
    existing = Action.objects.created_with(creation_token).first()
    if existing is not None:
        raise AlreadyCreated(existing)
    action.created_by = user
    action.version = 1
    action.creation_token = creation_token
    try:
        insert_with_free_slug(action, text=action.title, typed=action.slug)
    except IntegrityError:
        # The same form posted twice at once: the first insert has committed (the unique
        # token made this one wait for it).
        existing = Action.objects.created_with(creation_token).first()
        if existing is None:
            raise
        raise AlreadyCreated(existing) from None


def _record_history(save: Save) -> None:
    """One historical record for the whole save, with the final state of fields and choices
    and a note of the lines changed."""
    action = save.action
    action._history_user = save.user
    action._change_reason = "; ".join(save.notes)[:CHANGE_REASON_MAX_LENGTH] or None
    try:
        action.save(update_fields=["updated_at"])
    finally:
        del action._change_reason
    if save.creating:
        record = action.history.order_by("-history_id").values_list("history_id", flat=True)
        Action.history.filter(history_id=record[0]).update(history_type="+")


# Bulk loading (the demo generator) -----------------------------------------------------------


@dataclass
class LoadedSheet:
    """A sheet for ``bulk_load``: an unsaved ``Action`` with its content, its publication
    state, and its lines by ids."""

    action: Action
    state: publication.LoadedState
    themes: list[int] = field(default_factory=list)
    publics: list[int] = field(default_factory=list)
    initiatives: list[int] = field(default_factory=list)
    partners: list[tuple[int, str]] = field(default_factory=list)  # (partner id, role)
    fundings: list[Funding] = field(default_factory=list)  # unsaved, without their sheet


@transaction.atomic
def bulk_load(sheets: Sequence[LoadedSheet]) -> dict[str, int]:
    """Insert ``sheets`` and their lines; the number of rows per kind.

    For generated data only (``actions.demo``), loaded into a database nobody edits during the
    load: there is no version claim, no ``save()``, no signal, no history record, no
    moderation event and no email. Slugs, versions and timestamps are taken as set.

    On PostgreSQL the rows go through ``COPY`` (a few times faster than ``INSERT``), the lines
    before their sheets: the sheets' ids are drawn from their sequence first, and the foreign
    keys are checked at commit (deferred). The row trigger of the search vector then computes
    each sheet's vector as it is inserted, from lines already there, instead of a second write
    of every sheet. Elsewhere, ``bulk_create``.
    """
    for sheet in sheets:
        publication.apply_loaded_state(sheet.action, sheet.state)
    if connection.vendor == "postgresql":
        _reserve_ids([s.action for s in sheets])
    else:
        Action.objects.bulk_create([s.action for s in sheets], batch_size=max(len(sheets), 1))
    rows = {
        "themes": [
            Action.themes.through(action_id=s.action.pk, theme_id=pk)
            for s in sheets
            for pk in s.themes
        ],
        "publics": [
            Action.publics.through(action_id=s.action.pk, public_id=pk)
            for s in sheets
            for pk in s.publics
        ],
        "initiatives": [
            Action.initiatives.through(action_id=s.action.pk, initiative_id=pk)
            for s in sheets
            for pk in s.initiatives
        ],
        "partner_links": [
            ActionPartner(action_id=s.action.pk, partner_id=partner, role=role)
            for s in sheets
            for partner, role in s.partners
        ],
        "fundings": [],
    }
    for sheet in sheets:
        for funding in sheet.fundings:
            funding.action_id = sheet.action.pk
            rows["fundings"].append(funding)
    counts = {"actions": len(sheets)}
    for key, objs in rows.items():
        if objs and connection.vendor == "postgresql":
            _copy(objs, with_ids=False)
        elif objs:
            type(objs[0]).objects.bulk_create(objs, batch_size=5000)
        counts[key] = len(objs)
    if sheets and connection.vendor == "postgresql":
        _copy([s.action for s in sheets], with_ids=True)
    return counts


def _reserve_ids(objs: Sequence[Action]) -> None:
    """Give each unsaved sheet the next id of the table's sequence, as an insert would."""
    table = Action._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding = False


def _copy(objs: Sequence, *, with_ids: bool) -> None:
    """``COPY`` the rows of ``objs`` (one model), with their values as ``bulk_create`` would
    take them (``pre_save``: timestamps; database values); the columns a database trigger
    fills (the search vector) are left to it."""
    meta = type(objs[0])._meta
    fields = [
        f
        for f in meta.concrete_fields
        if (with_ids or not f.primary_key) and f.get_internal_type() != "SearchVectorField"
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
