"""WSGI entry point, e.g. ``gunicorn config.wsgi`` (``scripts/serve`` runs it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

from ops.staticfiles import require_collected_static  # noqa: E402  (needs Django set up)

require_collected_static()
