"""Requests no page of the portal accepts, refused before any view, form or query sees them."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import bad_request


class RequestLimitsMiddleware:
    """Two refusals that need no knowledge of the pages:

    - a body larger than ``REQUEST_MAX_BYTES`` (the largest upload a form takes) is answered
      413 from its ``Content-Length`` alone, so Django never reads, parses or spools it to
      disk (the reverse proxy's ``client_max_body_size`` should say the same);
    - a NUL byte in the path or the query string is answered 400: no URL of the portal holds
      one, and PostgreSQL refuses them in text, which would turn a lookup into a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, SuspiciousOperation("Invalid Content-Length"))
        if length > settings.REQUEST_MAX_BYTES:
            return request_too_large()
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, SuspiciousOperation("NUL byte in the URL"))
        return self.get_response(request)


def request_too_large() -> HttpResponse:
    body = loader.render_to_string(
        "413.html", {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)}
    )
    return HttpResponse(body, status=413)
