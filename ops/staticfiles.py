"""Static files must be collected before the portal serves anything.

With the manifest storage of production, ``{% static %}`` looks every file up in the manifest
that ``collectstatic`` writes: a file missing from it is a 500 on every page that uses it. The
WSGI entry point calls :func:`require_collected_static` at start, so a server started without
(or with a stale) ``collectstatic`` refuses to start instead of failing request by request.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def missing_from_manifest() -> list[str]:
    """The static files of the project and its apps that the manifest does not list."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    collected, _manifest_hash = staticfiles_storage.load_manifest()
    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns
    found = {path for finder in get_finders() for path, _storage in finder.list(ignore_patterns)}
    return sorted(found - collected.keys())


def require_collected_static() -> None:
    missing = missing_from_manifest()
    if missing:
        raise ImproperlyConfigured(
            f"{len(missing)} static file(s) missing from the manifest in {settings.STATIC_ROOT}"
            f" (first: {missing[0]}): run `manage.py collectstatic` (scripts/serve does)."
        )
