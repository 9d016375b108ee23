"""Rows built once for all the tests of a class or a module, like Django's ``setUpTestData``.

    @shared_data(scope="class")
    def sheets():
        return build_catalogue(12)

The builder runs once, inside a transaction opened for the class (or module) and rolled back
after its last test; each test still runs in its own savepoint (``django_db``), so what a test
writes is undone before the next one. The objects returned are shared: tests read them, or
reload rows, but do not change them in memory. Every test of the class (module) sees the rows,
so every test there must request the fixture (``pytest.mark.usefixtures`` on the class or in
``pytestmark``); a test that does not, or a transactional test (``transaction=True``, browser,
threads), fails with an explanation instead of seeing rows it did not ask for.
"""

import pytest
from django.db import transaction

_active: set[str] = set()


def shared_data(*, scope: str = "class"):
    if scope not in ("class", "module"):
        raise ValueError("shared data live for a class or a module")

    def decorate(build):
        name = build.__name__

        def fixture(django_db_setup, django_db_blocker):
            with django_db_blocker.unblock():
                outer = transaction.atomic()
                # Like the class-wide atomic block of Django's TestCase: a durable block
                # (atomic(durable=True)) in the code under test is allowed inside it.
                outer._from_testcase = True
                outer.__enter__()
                try:
                    value = build()
                except BaseException as error:
                    outer.__exit__(type(error), error, error.__traceback__)
                    raise
            _active.add(name)
            try:
                yield value
            finally:
                _active.discard(name)
                with django_db_blocker.unblock():
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)

        fixture.__doc__ = build.__doc__
        return pytest.fixture(fixture, scope=scope, name=name)

    return decorate


def is_transactional(item) -> bool:
    """Whether pytest-django runs this test without a transaction, emptying the database at its
    end (``django_db(transaction=True)``, ``transactional_db``, ``live_server``)."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
    )


def check_no_shared_data_leaks(request) -> None:
    """Fail a test that would run on top of shared rows it did not request."""
    if _active and (is_transactional(request.node) or _active - set(request.fixturenames)):
        pytest.fail(
            f"shared data {', '.join(sorted(_active))} would be visible in this test: request "
            "it (usefixtures), or move the test out of that class or module (transactional "
            "tests never run on shared data)",
            pytrace=False,
        )
