"""A request rate per client over the whole API, counted in Django's cache.

Each client (its address) may make ``API_RATE_LIMIT`` requests (``"120/m"``: 120 a minute) in a
sliding window; beyond, ninja answers 429 with ``Retry-After`` (seconds), as a problem detail
(api/v1.py). Counters live in the cache ``API_THROTTLE_CACHE``: the local-memory cache counts
per process; a cache shared by the server's processes (a database or Redis cache) makes the
limit exact across them. Reading and writing a counter is not atomic, so simultaneous requests
of one client can exceed the limit by about as many requests as arrive at the same instant:
a rate limit against floods, not a quota.
"""

from django.conf import settings
from django.core.cache import caches
from ninja.throttling import SimpleRateThrottle


def client_address(request) -> str:
    """The client's address: behind the reverse proxy (``SECURE_BEHIND_PROXY``), the proxy's
    ``X-Real-IP``, which the proxy overwrites whatever the client sent; otherwise the peer."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR", "")


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "api-rate:%(ident)s"

    def __init__(self):
        """The rate is read at each request (settings can change in tests and deployments)."""

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        return self.cache_format % {"ident": client_address(request)}
