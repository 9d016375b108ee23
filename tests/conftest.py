import pytest
from django.db import connection
from django.utils import translation

from tests.reference_data import seed_reference_data
from tests.shared import check_no_shared_data_leaks


@pytest.fixture(autouse=True)
def _shared_data_only_where_requested(request):
    check_no_shared_data_leaks(request)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests start from a database an earlier one may have flushed: seed the
    data that migrations create (départements, vocabularies, moderators group) again."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        seed_reference_data()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (language cookie, browser preference) leaves English active in the
    thread; without this, the tests run after it (pytest-django runs those without a database
    last) would see English messages."""
    yield
    translation.deactivate()


@pytest.fixture
def admin_user(db):
    from tests.federations.factories import UserFactory

    return UserFactory(username="administratrice", superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def on_postgresql(db):
    """Skip a test that exercises a PostgreSQL-only feature when running on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
