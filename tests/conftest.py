import pytest
from django.db import connection


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
