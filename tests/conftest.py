import pytest
from django.db import connection
from django.test import override_settings
from django.utils import translation

from tests.reference_data import seed_reference_data
from tests.shared import check_no_shared_data_leaks, is_transactional

# Tests using these fixtures may behave differently on SQLite and PostgreSQL (README, Tests):
# PostgreSQL-only features, and query counts (the facet index, savepoints, locks).
DB_SENSITIVE_FIXTURES = {
    "on_postgresql",
    "django_assert_num_queries",
    "django_assert_max_num_queries",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if DB_SENSITIVE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.db_sensitive)


@pytest.fixture(autouse=True, scope="session")
def _media_root_of_this_test_process(tmp_path_factory):
    """Uploaded files go to a temporary folder of this test process (each pytest-xdist worker
    has its own), never to the project's ``media/``."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _shared_data_only_where_requested(request):
    check_no_shared_data_leaks(request)


_SEED_AFTER_TEARDOWN = pytest.StashKey()


@pytest.fixture(autouse=True)
def _reference_data_after_transactional_tests(request, django_db_blocker):
    """A transactional test (browser, threads) empties the database when it ends: seed the data
    that migrations create (départements, vocabularies, moderators group) again right after
    (``pytest_runtest_teardown`` below), so that every test finds them, whatever runs before it
    on its pytest-xdist worker."""
    if is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        request.node.stash[_SEED_AFTER_TEARDOWN] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        blocker = item.stash.get(_SEED_AFTER_TEARDOWN, None)
        # After the last test, the test database is already gone.
        if blocker is not None and nextitem is not None:
            with blocker.unblock():
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
