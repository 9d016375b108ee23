import pytest
from django.conf import settings
from django.core.cache import caches

from tests.sample import load_sample
from tests.shared import shared_data


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """Every test starts with no request counted against the API's rate limit."""
    caches[settings.API_THROTTLE_CACHE].clear()
    yield
    caches[settings.API_THROTTLE_CACHE].clear()


@shared_data(scope="class")
def sample():
    """The 22 published sheets imported from the published text format, loaded once for the
    class (tests/shared.py): every test of a class that reads them requests them."""
    load_sample()


def read_all(client, url: str, params=None) -> list[dict]:
    """Every item of a paginated API list, following ``next``."""
    items = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        items += page["results"]
        if not page["next"]:
            return items
        response = client.get(page["next"])
