"""Errors of the API as problem details (RFC 9457): a JSON object served as
``application/problem+json`` with ``type``, ``title`` (the HTTP status phrase, since every
problem of this API has the type ``about:blank``), ``status``, ``detail`` (a sentence in the
request's language) and ``instance`` (the path asked for); ``errors`` lists the parameters
refused, for a 400.
"""

import json
from http import HTTPStatus

from django.http import HttpResponse

PROBLEM_TYPE = "application/problem+json"


def problem(
    request, status: int, detail: str, *, errors: list | None = None, headers=None
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
