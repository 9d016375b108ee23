"""Health endpoints for the proxy or the supervisor, and the answer when the database is down.

``/healthz`` says the process serves requests (nothing else is touched); ``/readyz`` says it
can also reach the database. Neither reads the session, so neither writes anything.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as default_server_error

# Errors of the connection rather than of a query: the database is down, restarting,
# unreachable, or refuses connections. They go away by themselves; a retry will work.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("readyz: database unavailable: %s", error)
        return HttpResponse(
            "database unavailable\n",
            status=503,
            content_type="text/plain",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """``handler500``: a 503 with ``Retry-After`` when the request failed because the database
    could not be reached (wherever that happened: view, template, middleware), Django's 500
    page otherwise. Neither renders with context processors, so neither needs the database."""
    if _caused_by_unavailable_database(sys.exc_info()[1]):
        return service_unavailable()
    return default_server_error(request)


def service_unavailable() -> HttpResponse:
    return HttpResponse(
        loader.render_to_string("503.html"),
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _caused_by_unavailable_database(error: BaseException | None) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
