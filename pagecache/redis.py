"""Django's Redis cache backend, with one client object per connection pool instead of a new
one for every operation: ``redis.Redis()`` builds its table of about 170 response callbacks
each time it is made, about a tenth of the CPU of a page served from the cache (profile of
the hit path, docs/benchmarks.md). A client on a pool is safe to share between threads."""

from django.core.cache.backends import redis


class ReusedClientCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientCacheClient
