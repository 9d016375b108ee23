from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Fiches action")

    def ready(self):
        from .search import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="actions_sqlite_unaccent"
        )
