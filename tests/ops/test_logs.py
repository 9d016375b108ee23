"""JSON log lines with the request id (ops/logs.py), and the id on every response."""

import json
import logging
import uuid

import pytest
from django_guid import clear_guid, set_guid

from ops.logs import AccessJsonFormatter, JsonFormatter


def record(message, args=None, **extra):
    entry = logging.LogRecord("portal", logging.WARNING, __file__, 1, message, args, None)
    entry.__dict__.update(extra)
    return entry


def test_a_log_line_is_one_json_object_with_the_request_id():
    set_guid("0123456789abcdef0123456789abcdef")
    try:
        line = JsonFormatter().format(record("Fiche %s refusée", ("42",), federation="fcsf"))
    finally:
        clear_guid()

    fields = json.loads(line)
    assert fields["message"] == "Fiche 42 refusée"
    assert fields["level"] == "WARNING"
    assert fields["logger"] == "portal"
    assert fields["request_id"] == "0123456789abcdef0123456789abcdef"
    assert fields["federation"] == "fcsf"
    assert fields["time"].startswith("20")


def test_gunicorn_access_lines_have_one_field_per_part_of_the_request():
    atoms = {
        "m": "GET",
        "U": "/actions/",
        "q": "theme=culture",
        "s": "200",
        "B": 5120,
        "D": 43210,
        "h": "127.0.0.1",
        "{x-real-ip}i": "192.0.2.7",
        "a": "curl/8",
        "{x-request-id}o": "abc123",
    }

    fields = json.loads(AccessJsonFormatter().format(record("%(m)s %(U)s %(s)s", atoms)))

    assert fields["message"] == "GET /actions/ 200"
    assert fields["status"] == 200
    assert fields["duration_ms"] == 43.2
    assert fields["client_ip"] == "192.0.2.7"
    assert fields["request_id"] == "abc123"


@pytest.mark.django_db
class TestRequestId:
    def test_every_response_carries_a_new_request_id(self, client):
        first = client.get("/")["X-Request-ID"]
        second = client.get("/")["X-Request-ID"]

        assert len(first) == 32
        assert first != second

    def test_the_proxys_request_id_is_kept(self, client):
        request_id = uuid.uuid4().hex

        response = client.get("/", headers={"x-request-id": request_id})

        assert response["X-Request-ID"] == request_id

    def test_a_forged_request_id_is_replaced(self, client):
        response = client.get("/", headers={"x-request-id": "<script>"})

        assert response["X-Request-ID"] != "<script>"
