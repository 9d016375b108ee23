"""Saving a sheet from the workspace: the sheet, its lines and files, in one transaction.

Two people may open the same sheet. Each form carries the ``version`` it was loaded at; a
save first bumps the version with a conditional UPDATE (``WHERE version = <expected>``), so
the second of two concurrent saves matches no row and is refused (``EditConflict``) instead of
silently overwriting the first. On PostgreSQL the UPDATE also locks the row until commit, so
the rest of the save cannot interleave with another one.

Publication status is never written here (``actions.services`` owns it): editing a published
sheet keeps it published and flags it ``modified_since_publication`` for moderators.
"""

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from actions.enums import PublicationStatus
from actions.models import Action, Attachment, Partner
from actions.services import submit_action
from federations.models import Structure
from federations.text import unique_slug

from .forms import ActionForms, find_partner

# Fields moderation may change while someone edits: re-read after claiming the version.
MODERATION_FIELDS = [
    "publication_status",
    "modified_since_publication",
    "published_at",
    "submitted_at",
    "submitted_by",
    "rejection_reason",
]
CHANGE_REASON_MAX_LENGTH = 100


class EditConflict(Exception):
    """Someone saved the sheet after this form was loaded; ``current`` is their version."""

    def __init__(self, current: Action):
        super().__init__(_("La fiche a été modifiée entre-temps."))
        self.current = current


def get_or_create_partner(name: str) -> Partner:
    """The partner called ``name`` (ignoring case and accents), created when new."""
    name = " ".join(name.split())
    existing = find_partner(name)
    if existing is not None:
        return existing
    return Partner.objects.create(name=name, slug=unique_slug(Partner, name, max_length=255))


def _claim_version(action: Action, expected_version: int | None) -> None:
    """Bump the version if it still is ``expected_version``; else raise ``EditConflict``."""
    if expected_version is None:
        raise ValueError("Editing a sheet needs the version the form was loaded at.")
    claimed = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1,
        modified_since_publication=Case(
            When(publication_status=PublicationStatus.PUBLISHED, then=Value(True)),
            default=F("modified_since_publication"),
        ),
    )
    if not claimed:
        raise EditConflict(Action.objects.select_related("updated_by").get(pk=action.pk))
    action.version = expected_version + 1
    action.refresh_from_db(fields=MODERATION_FIELDS)


def _save_lines(forms: ActionForms, action: Action, user) -> list[str]:
    """Save partners, funding lines and attachments; return a short note of what changed."""
    notes = []
    for formset, field, new_name_field, label in (
        (forms.partners, "partner", "new_partner", _("partenaires")),
        (forms.fundings, "funder", "new_funder", _("financements")),
        (forms.attachments, None, None, _("fichiers")),
    ):
        formset.instance = action
        if new_name_field:
            for form in formset.forms:
                cleaned = getattr(form, "cleaned_data", {})
                if cleaned.get(new_name_field) and not cleaned.get("DELETE"):
                    setattr(form.instance, field, get_or_create_partner(cleaned[new_name_field]))
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if isinstance(obj, Attachment) and obj.file:
                name, storage = obj.file.name, obj.file.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            obj.delete()
        for obj in saved:
            if isinstance(obj, Attachment) and obj.pk is None:
                obj.uploaded_by = user
            obj.save()
        counts = [
            (len(formset.new_objects), _("%(n)d ajouté(s)")),
            (len(formset.changed_objects), _("%(n)d modifié(s)")),
            (len(formset.deleted_objects), _("%(n)d retiré(s)")),
        ]
        done = [text % {"n": n} for n, text in counts if n]
        if done:
            notes.append(f"{label} : {', '.join(done)}")
    return notes


@transaction.atomic
def save_action(
    *,
    forms: ActionForms,
    user,
    expected_version: int | None = None,
    submit: bool = False,
) -> Action:
    """Save a sheet created or edited in the workspace, then submit it if asked.

    ``forms`` must be valid. A new sheet starts as a draft created by ``user``; an existing one
    must still be at ``expected_version`` (else ``EditConflict``, and nothing is written).
    One history record is written per save (who, when, which fields), with a note of the lines
    added or removed. ``submit`` sends the sheet to moderation (``TransitionNotAllowed`` from
    ``submit_action`` rolls the whole save back).
    """
    action = forms.form.save(commit=False)
    creating = action.pk is None
    content_fields = [
        name for name in forms.form._meta.fields if not action._meta.get_field(name).many_to_many
    ]
    action.updated_by = user
    action.skip_history_when_saving = True
    try:
        if creating:
            action.slug = unique_slug(Action, action.title, max_length=255)
            action.created_by = user
            action.publication_status = PublicationStatus.DRAFT
            action.version = 1
            action.save()
        else:
            _claim_version(action, expected_version)
            action.save(update_fields=[*content_fields, "updated_by", "updated_at"])
        forms.form.save_m2m()
        notes = _save_lines(forms, action, user)
    finally:
        del action.skip_history_when_saving

    # One history record for the whole save, carrying the final state of fields and themes.
    action._history_user = user
    action._change_reason = "; ".join(notes)[:CHANGE_REASON_MAX_LENGTH] or None
    action.save(update_fields=["updated_at"])
    del action._change_reason
    if creating:
        record = action.history.order_by("-history_id").values_list("history_id", flat=True)
        Action.history.filter(history_id=record[0]).update(history_type="+")

    if submit:
        submit_action(action=action, user=user)
    return action


@transaction.atomic
def create_structure(*, form) -> Structure:
    """Add a structure to a federation (the form limits federations to the user's reach)."""
    structure = form.save(commit=False)
    structure.slug = unique_slug(
        Structure, f"{structure.name} {structure.department.code}", max_length=255
    )
    structure.save()
    return structure
