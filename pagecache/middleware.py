"""Anonymous GETs of the public pages, answered from a shared cache (``CACHES["pages"]``:
Redis, or the database) or with ``304 Not Modified``.

A page is stored under a key made of the catalogue version (``versions.tag``), the language,
whether the client takes gzip, the scheme, the host, the path and the query string with its
parameters sorted. Every write of public data moves the version (``triggers.py``), so a key
names one state of the data: after a write, no stored page of the earlier state can be found
again, and the counts are exact at once. The ``ETag`` is a digest of that key: a
conditional GET whose page is stored is answered ``304`` without a body.

What is never stored nor served from it: any request with a session cookie (signed-in people,
and anonymous visitors with a session) or a pending message; other methods than GET and HEAD;
views outside ``PAGE_CACHE_NAMESPACES`` or listed in ``PAGE_CACHE_EXCLUDED_VIEWS`` (the
workspace, the admin, accounts, alerts, the API with its own rate limit and validators); and
responses that are not a plain ``200`` (streamed, setting a cookie, such as a CSRF token,
``private`` or ``no-store``, varying on another header, larger than ``PAGE_CACHE_MAX_BYTES``).

Stored pages are compressed with gzip (``GZipMiddleware``) for the clients that take it: they
hold no secret (no CSRF token: the response would set its cookie and not be stored; no
session), so a compression oracle (BREACH) has nothing to find. Pages for signed-in people,
which carry CSRF tokens, are never compressed.

It sits after the middleware that every answer needs (security headers, CSP, request limits)
and before the session, so that a hit costs two reads (the version's row, the page).
"""

import hashlib
import logging
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language_from_request

from . import versions

logger = logging.getLogger(__name__)

VARY = ("Accept-Encoding", "Accept-Language", "Cookie")
STORED_STATUS = 200


def is_cached_view(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return (
        match.namespace in settings.PAGE_CACHE_NAMESPACES
        and match.view_name not in settings.PAGE_CACHE_EXCLUDED_VIEWS
    )


def is_anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and is_cached_view(request.path_info)
    )


def page_key(request, version_tag: str) -> str:
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
    encoding = (
        "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
    )
    parts = (
        version_tag,
        get_language_from_request(request),
        encoding,
        request.scheme,
        request.get_host(),
        request.path,
        query,
    )
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def is_storable(request, response) -> bool:
    cache_control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    vary = {
        header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header
    }
    return (
        response.status_code == STORED_STATUS
        and not response.streaming
        and not response.cookies
        and not cache_control & {"private", "no-store", "no-cache"}
        and vary <= {header.lower() for header in VARY}
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        # No session cookie came, so nobody is signed in; a view that signed someone in
        # would have set the cookie. Checked all the same: this is the one thing that must
        # never be stored.
        and not request.user.is_authenticated
    )


def validators(response, *, key: str, version) -> None:
    """What a stored page and its ``304`` say to browsers and to a proxy or CDN in front."""
    response["ETag"] = f'"{key}"'
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    response["Cache-Control"] = (
        f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
    )
    patch_vary_headers(response, VARY)


def cache_call(method: str, *args):
    """A read or write of the page cache; a cache that cannot be reached (Redis down) makes
    every page a miss, served from the database, never an error."""
    try:
        return getattr(caches[settings.PAGE_CACHE], method)(*args)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        version = versions.current()
        key = page_key(request, versions.tag(version))
        stored = cache_call("get", key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not is_storable(request, response):
                return response
            response = self.gzip.process_response(request, response)
            validators(response, key=key, version=version)
            entry = (response.content, dict(response.items()))
            cache_call("set", key, entry, settings.PAGE_CACHE_TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(version.changed_at.timestamp()),
            response=response,
        )
