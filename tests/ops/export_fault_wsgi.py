"""The portal's WSGI application with its database failing in the middle of every CSV export,
for ``test_export_abort``: the export reads two sheets per chunk, and the second chunk's query
fails, after the header and the first rows have been sent."""

import os

from django.core.wsgi import get_wsgi_application
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

from catalogue import csv_export  # noqa: E402  (needs Django set up)

ROWS_BEFORE_THE_FAILURE = 2
csv_export.CHUNK_SIZE = ROWS_BEFORE_THE_FAILURE
_names_by_sheet = csv_export.names_by_sheet
_calls = {"count": 0}


def _failing_on_the_second_chunk(relation, ids):
    _calls["count"] += 1
    if _calls["count"] > 2:  # the first chunk reads its themes, then its publics
        raise OperationalError("server closed the connection unexpectedly")
    return _names_by_sheet(relation, ids)


csv_export.names_by_sheet = _failing_on_the_second_chunk
