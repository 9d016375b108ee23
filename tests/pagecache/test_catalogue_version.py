"""The catalogue version moves at the commit of a writing transaction, and writers do not wait
for each other's transactions on it (PostgreSQL: real concurrent connections)."""

import threading

import pytest
from django.db import connection, transaction

from actions.models import Theme
from federations.models import Region
from pagecache import versions
from pagecache.triggers import after_migrate, source_tables

pytestmark = pytest.mark.db_sensitive


def test_every_table_of_the_sheets_and_the_network_is_watched(db):
    tables = source_tables()
    assert {"actions_action", "actions_action_themes", "actions_theme"} <= set(tables)
    assert {"federations_structure", "federations_federation"} <= set(tables)
    assert "django_session" not in tables and "page_cache" not in tables


@pytest.mark.django_db(transaction=True)
def test_a_long_writing_transaction_holds_back_neither_the_version_nor_other_writers(
    on_postgresql,
):
    start = versions.current().number
    written, release, failures = threading.Event(), threading.Event(), []

    def long_transaction():
        try:
            with transaction.atomic():
                Theme.objects.filter(slug="culture").update(name="Culture et patrimoine")
                written.set()
                release.wait(timeout=30)
        except Exception as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=long_transaction)
    writer.start()
    try:
        assert written.wait(timeout=30)
        # Not committed: the version stays, pages of the current data stay valid.
        assert versions.current().number == start
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # waiting on the version row fails here
        Region.objects.filter(code="11").update(name="Île-de-France (région)")
        assert versions.current().number == start + 1
    finally:
        release.set()
        writer.join(timeout=30)
    assert not failures
    assert versions.current().number == start + 2
    assert Theme.objects.get(slug="culture").name == "Culture et patrimoine"


def test_a_migrate_moves_the_version_as_a_new_release_may_render_differently(db):
    start = versions.current().number
    after_migrate(using="default")
    assert versions.current().number == start + 1
