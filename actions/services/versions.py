"""The one version check of a sheet: what stops two saves from overwriting each other.

Every form that edits a sheet (workspace, admin) carries the ``version`` it was loaded at. A
save first claims that version with a conditional UPDATE (``SET version = version + 1 WHERE
pk = %s AND version = %s``): the second of two concurrent saves matches no row and is refused
instead of silently overwriting the first. The UPDATE also locks the row until the end of the
transaction (PostgreSQL re-reads the row once the first save commits, so the comparison is
never made on a stale copy; SQLite serialises writers), so nothing else of the save can
interleave with another one. Moderation decisions compare the version a moderator read in
the same locked read (``publication.reload_publication_state``).
"""

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from actions.models import Action


class EditConflict(Exception):
    """Someone saved the sheet after this form was loaded; ``current`` is their version."""

    def __init__(self, current: Action):
        super().__init__(_("La fiche a été modifiée entre-temps."))
        self.current = current


def claim_version(action: Action, *, expected_version: int | None) -> None:
    """Bump ``action``'s version if it still is ``expected_version``, else raise
    ``EditConflict`` (with the sheet as saved, for the conflict page). Call it inside the
    transaction of the save: the row stays locked until it ends."""
    if expected_version is None:
        raise ValueError("Editing a sheet needs the version the form was loaded at.")
    claimed = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        current = Action.objects.select_related("updated_by").filter(pk=action.pk).first()
        if current is None:
            raise Http404(_("Cette fiche n'existe plus."))
        raise EditConflict(current)
    action.version = expected_version + 1
