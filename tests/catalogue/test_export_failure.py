"""A CSV export that fails mid-way ends as a broken download, never a short complete file.

The export streams: its status and first rows are sent before the last sheets are read. When
the database fails then, the response's iterator must raise, so that the server closes the
connection without the final chunk (the client sees a failed transfer) instead of ending the
body as if it were complete.
"""

import pytest
from django.db import OperationalError
from django.urls import reverse

from catalogue import csv_export, records
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_a_database_error_after_the_first_rows_breaks_the_stream(client, monkeypatch):
    ActionFactory.create_batch(3, published=True)
    first_batch = records.sheet_records
    batches = []

    def database_gone_after_the_first_batch(*args, **kwargs):
        batches.append(args)
        if len(batches) > 1:
            raise OperationalError("server closed the connection unexpectedly")
        return first_batch(*args, **kwargs)

    monkeypatch.setattr(csv_export, "CHUNK_SIZE", 2)
    monkeypatch.setattr(records, "sheet_records", database_gone_after_the_first_batch)
    response = client.get(reverse("catalogue:action_export"))

    assert response.status_code == 200  # already sent when the failure happens
    stream = iter(response.streaming_content)
    assert next(stream).decode().startswith(csv_export.header()[0])  # the header row
    assert next(stream) and next(stream)  # the first batch's two sheets
    with pytest.raises(OperationalError):
        next(stream)
    response.close()
