import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from config.settings import base


@pytest.fixture
def page_cache():
    """The page cache on, as in production (the test settings switch it off), on the database
    cache (``REDIS_URL`` unset)."""
    with override_settings(PAGE_CACHE_NAMESPACES=base.PUBLIC_PAGE_NAMESPACES):
        yield caches[base.PAGE_CACHE]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real redis-server on a spare local port, for this test process; stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: apt-get install redis-server (scripts/test does)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_page_cache(page_cache, redis_server):
    """The page cache on Redis, emptied before the test."""
    redis = {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": redis_server}
    with override_settings(CACHES={**base.CACHES, base.PAGE_CACHE: redis}):
        cache = caches[base.PAGE_CACHE]
        cache.clear()
        yield cache
