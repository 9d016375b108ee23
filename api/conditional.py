"""Conditional requests and caching for the API's answers.

Every successful answer carries a strong ``ETag``, the hash of its body: equal bodies, equal
tags, so a client that sends ``If-None-Match`` gets ``304 Not Modified`` (no body) exactly when
nothing it would receive has changed, a sheet's structure renamed included. A sheet's answer
also carries ``Last-Modified`` (the sheet's ``updated_at``, set by its view): it moves with
the sheet's own sections, not with the name of its structure or of a vocabulary entry, so
``If-None-Match`` is the exact revalidation (HTTP gives it precedence when both are sent).
Every other answer (the lists, the vocabularies) carries the time of the catalogue version
(pagecache/), which moves at every commit of public data: a sheet that leaves a list changes
the list without making any sheet newer, but it moves the version.

Answers may be cached by anyone for ``MAX_AGE`` seconds (public data), then revalidated.
"""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from pagecache import versions

MAX_AGE = 60


def revalidated(view):
    """ETag, 304 and public caching around an API view (its successful answers only: an
    error is neither cached nor tagged)."""

    @wraps(view)
    def conditional(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(versions.current().changed_at.timestamp())
        set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    return conditional
