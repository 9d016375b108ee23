import gc
import uuid
from unittest import mock

import pytest
from django.core.management.commands import flush
from django.db import connection
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases
from django.utils import translation

from tests.databases import setup_clones, teardown_clones
from tests.reference_data import emptying_sql, restore_reference_rows, take_reference_rows
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


def pytest_collection_finish(session):
    """What exists once the tests are collected (Django, the modules, the tests) lives until
    the process ends: frozen, the garbage collector no longer goes through it at every full
    collection during the tests (about a tenth of a test process's CPU)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def _media_root_of_this_test_process(tmp_path_factory):
    """Uploaded files go to a temporary folder of this test process (each pytest-xdist worker
    has its own), never to the project's ``media/``."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session")
def _exports_root(tmp_path_factory):
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(autouse=True)
def _exports_of_this_test(settings, _exports_root):
    """The whole catalogue's stored CSVs (catalogue/csv_export.py) go to a folder of this test
    (made when one is written): they are keyed by the catalogue version, which a test's
    rolled-back writes need not move (PostgreSQL moves it at COMMIT)."""
    settings.EXPORT_CACHE_DIR = _exports_root / str(uuid.uuid4())


@pytest.fixture(autouse=True)
def _shared_data_only_where_requested(request):
    check_no_shared_data_leaks(request)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, tmp_path_factory):
    """The test database of this process, built by the migrations: under pytest-xdist, a clone
    of the run's template, migrated once (tests/databases.py); otherwise as pytest-django
    builds it (``--reuse-db``, ``--no-migrations`` and ``serialized_rollback`` too). Its rows
    are read once (tests/reference_data.py) to be put back after each transactional test."""
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    config = request.config
    verbosity = config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker and not serialized_aliases and not config.getvalue("reuse_db"):
        folder = tmp_path_factory.getbasetemp().parent  # shared by the run's workers
        if config.getvalue("nomigrations"):
            _disable_migrations()
        with django_db_blocker.unblock():
            clones = setup_clones(
                folder=folder, worker=worker, aliases=aliases, verbosity=verbosity
            )
            take_reference_rows()
        yield
        with django_db_blocker.unblock():
            teardown_clones(folder=folder, clones=clones, verbosity=verbosity)
        return
    request.getfixturevalue("django_db_modify_db_settings")
    if not request.getfixturevalue("django_db_use_migrations"):
        _disable_migrations()
    keepdb = request.getfixturevalue("django_db_keepdb")
    keepdb = keepdb and not request.getfixturevalue("django_db_createdb")
    with django_db_blocker.unblock():
        databases = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
        take_reference_rows()
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(databases, verbosity=verbosity)


_RESTORE_AFTER_TEARDOWN = pytest.StashKey()


@pytest.fixture(autouse=True)
def _reference_data_after_transactional_tests(request, django_db_blocker):
    """A transactional test (browser, threads) empties the database when it ends: the rows that
    migrations create (départements, vocabularies, moderators group, content types and
    permissions) are put back right after (``pytest_runtest_teardown`` below), so that every
    test finds them, whatever runs before it on its pytest-xdist worker."""
    if is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        request.node.stash[_RESTORE_AFTER_TEARDOWN] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    blocker = item.stash.get(_RESTORE_AFTER_TEARDOWN, None)
    if blocker is None:
        return (yield)
    try:
        # The flush that ends the test does not recreate content types and permissions
        # (post_migrate): they come back, with their ids, among the reference rows.
        with (
            mock.patch.object(flush, "emit_post_migrate_signal"),
            mock.patch.object(flush, "sql_flush", emptying_sql),
        ):
            return (yield)
    finally:
        # After the last test, the test database is already gone.
        if nextitem is not None:
            with blocker.unblock():
                restore_reference_rows()


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
