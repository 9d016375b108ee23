"""A CSV export that fails mid-way ends as a broken download, never a short complete file.

The export streams: its status and first rows are sent before the last sheets are read. When
the database fails then, the response's iterator must raise, so that the server closes the
connection without the final chunk (the client sees a failed transfer) instead of ending the
body as if it were complete.
"""

import pytest
from django.db import OperationalError
from django.urls import reverse

from catalogue import csv_export
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_a_database_error_after_the_first_rows_breaks_the_stream(client, monkeypatch):
    ActionFactory.create_batch(3, published=True)

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(csv_export, "names_by_sheet", database_gone)
    response = client.get(reverse("catalogue:action_export"))

    assert response.status_code == 200  # already sent when the failure happens
    stream = iter(response.streaming_content)
    assert next(stream).startswith(csv_export.BOM.encode())  # the header row
    with pytest.raises(OperationalError):
        next(stream)
    response.close()
