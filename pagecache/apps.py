from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    """Anonymous public pages served from a shared cache, keyed by the catalogue version that
    the database moves at every write of public data (docs/deployment.md, "Cache")."""

    name = "pagecache"
    verbose_name = "Cache des pages publiques"

    def ready(self):
        from .triggers import after_migrate

        # After every migrate: every table of the source apps, new ones included, moves the
        # version when written; and the version moves (a new release may render differently).
        post_migrate.connect(after_migrate, sender=self)
