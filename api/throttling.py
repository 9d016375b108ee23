"""A request rate per client over the whole API, counted in Django's cache.

Each client (its address, read as the login and password-reset limits read it:
``ops.throttling.client_ip``) may make ``API_RATE_LIMIT`` requests (``"120/m"``: 120 a minute)
in a sliding window; beyond, ninja answers 429 with ``Retry-After`` (seconds), as a problem
detail (api/v1.py).

Counters live in the cache ``API_THROTTLE_CACHE``, the local-memory one by default: a limit per
server process. The database cache the password-reset limits share (``ratelimit``) would make
it one limit across processes, at the cost of a database write on every request of a
read-only API; a shared memory cache (Redis, memcached) would do it without. Reading and
writing a counter is not atomic either way, so simultaneous requests of one client can exceed
the limit by about as many as arrive at the same instant: a guard against floods, not a quota.
"""

from django.conf import settings
from django.core.cache import caches
from ninja.throttling import SimpleRateThrottle

from ops.throttling import client_ip


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
        return self.cache_format % {"ident": client_ip(request)}
