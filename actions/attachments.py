"""Downloading a sheet's attached files: the one place that decides who may read a file.

Files of published sheets are public (the sheet page links to them); the others are served
only to the people who may edit the sheet. The catalogue, the workspace and the admin link to
``attachments:download``.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .enums import PublicationStatus
from .models import Action, Attachment


def attachments_visible_to(user) -> QuerySet[Attachment]:
    """Files anyone may download (published sheets) plus those of sheets ``user`` may edit."""
    return Attachment.objects.filter(
        Q(action__publication_status=PublicationStatus.PUBLISHED)
        | Q(action__in=Action.objects.editable_by(user))
    ).select_related("action")


@require_safe
def attachment_download(request, pk: int):
    """A file of a published sheet, or of a sheet the user may edit; a 404 otherwise.

    Always sent as a download with the type detected at upload and ``nosniff``, so a file is
    never rendered as a page of the portal.
    """
    attachment = get_object_or_404(attachments_visible_to(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404(_("Fichier introuvable.")) from missing
    suffix = PurePath(attachment.file.name).suffix.lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(attachment.title) or 'fichier'}{suffix}",
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private"
    return response


@dataclass(frozen=True)
class _Download:
    """What ``ClearableFileInput`` shows of the current file: its name, linked to ``url``."""

    name: str
    url: str

    def __str__(self):
        return self.name


class DownloadLinkFileInput(forms.ClearableFileInput):
    """The admin's file input, whose "current file" link goes through
    ``attachments:download`` (``MEDIA_ROOT`` is served by nothing, on purpose)."""

    def format_value(self, value):
        if self.is_initial(value) and getattr(value.instance, "pk", None):
            url = reverse("attachments:download", args=[value.instance.pk])
            return _Download(name=PurePath(value.name).name, url=url)
        return super().format_value(value)
