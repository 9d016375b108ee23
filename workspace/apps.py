from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The contributors' workspace: accounts, sheet forms, submission, attachments."""

    name = "workspace"
    verbose_name = _("Espace de saisie")
