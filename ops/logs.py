"""JSON log lines for Django's loggers and for gunicorn (see ``LOGGING`` and gunicorn.conf.py).

Every line is one JSON object with the time, level, logger and message, the id of the request
being served (``X-Request-ID``, set by django-guid, or taken from the proxy), and any ``extra``
fields the caller passed.
"""

from collections.abc import Mapping

from django_guid import get_guid
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")  # ISO 8601, UTC
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        request_id = get_guid()
        if request_id and "request_id" not in log_record:
            log_record["request_id"] = request_id


class AccessJsonFormatter(JsonFormatter):
    """gunicorn's access lines, one field per part of the request rather than one string.

    gunicorn passes its "atoms" (method, path, status, duration...) as the record's arguments;
    the request id is read from the response header, since the request is over by then.
    """

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        atoms = record.args
        if not isinstance(atoms, Mapping):
            return
        log_record.update(
            method=atoms["m"],
            path=atoms["U"],
            query=atoms["q"],
            status=int(atoms["s"]),
            bytes=atoms["B"],
            duration_ms=round(int(atoms["D"]) / 1000, 1),
            remote_addr=atoms["h"],
            client_ip=atoms["{x-real-ip}i"],
            user_agent=atoms["a"],
            request_id=atoms["{x-request-id}o"],
        )
