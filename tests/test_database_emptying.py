"""tests/reference_data.py ``emptying_sql``: the flush that ends a transactional test on
PostgreSQL deletes the rows of the tables that hold some, and leaves none anywhere."""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from actions.models import Action
from tests.reference_data import emptying_sql, stored_models
from tests.sample import load_sample

pytestmark = pytest.mark.usefixtures("on_postgresql")


def _emptying():
    return emptying_sql(no_style(), connection, reset_sequences=False, allow_cascade=False)


def _run(statements):
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_after_the_sample_every_table_is_empty():
    load_sample()
    assert Action.objects.exists()

    _run(_emptying())

    holding_rows = [model._meta.label for model in stored_models() if model._base_manager.exists()]
    assert holding_rows == []


def test_a_table_left_out_fails_the_flush():
    load_sample()
    statements = [s for s in _emptying() if s != 'DELETE FROM "actions_action"']
    assert len(statements) == len(_emptying()) - 1

    with pytest.raises(DatabaseError, match="a table still holds rows after the flush"):
        _run(statements)
    assert Action.objects.exists()


def test_resetting_the_sequences_is_django_s_own_flush():
    statements = emptying_sql(no_style(), connection, reset_sequences=True, allow_cascade=False)
    assert statements[0].startswith("TRUNCATE") and "RESTART IDENTITY" in statements[0]
