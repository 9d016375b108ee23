"""The portal's WSGI application with its database failing in the middle of every CSV export,
for ``test_export_abort``: the export reads two sheets per chunk, and the second chunk's query
fails, after the header and the first rows have been sent."""

import os

from django.core.wsgi import get_wsgi_application
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

from catalogue import csv_export, records  # noqa: E402  (needs Django set up)

ROWS_BEFORE_THE_FAILURE = 2
csv_export.CHUNK_SIZE = ROWS_BEFORE_THE_FAILURE
_sheet_records = records.sheet_records
_calls = {"count": 0}


def _failing_on_the_second_chunk(*args, **kwargs):
    _calls["count"] += 1
    if _calls["count"] > 1:
        raise OperationalError("server closed the connection unexpectedly")
    return _sheet_records(*args, **kwargs)


records.sheet_records = _failing_on_the_second_chunk
