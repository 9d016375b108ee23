import pytest
from django.db import connection

from tests.reference_data import seed_reference_data


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests start from a database an earlier one may have flushed: seed the
    data that migrations create (départements, vocabularies, moderators group) again."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        seed_reference_data()


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
