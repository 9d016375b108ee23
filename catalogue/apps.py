from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The public read side: the catalogue, its facets and search, sheet pages, the network
    pages, the CSV export. It reads the domain apps; nothing imports it."""

    name = "catalogue"
    verbose_name = _("Catalogue public")

    def ready(self):
        from .search import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="catalogue_sqlite_unaccent"
        )
