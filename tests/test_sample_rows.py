"""tests/sample.py: the sample's rows put back are the rows its load writes."""

import pytest
from django.db import IntegrityError

from actions.models import Action, FacetEntry
from tests import sample
from tests.reference_data import insert_rows

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


def test_the_rows_put_back_are_the_rows_loaddata_wrote(monkeypatch):
    """With no rows taken yet, ``load_sample`` loads with loaddata, puts the rows back and
    compares every table; then a second put-back gives the same database again."""
    monkeypatch.setattr(sample, "_rows", [])
    sample.load_sample()
    assert sample._rows
    loaded = sample._database()
    assert Action.objects.published().count() == 22
    Action.objects.all().delete()
    for model, _ in reversed(sample._rows):
        model._base_manager.all().delete()
    sample.load_sample()
    assert sample._database() == loaded


def test_a_table_of_the_triggers_put_back_by_hand_fails(monkeypatch, on_postgresql):
    monkeypatch.setattr(sample, "_rows", [])
    monkeypatch.setattr(sample, "WRITTEN_BY_TRIGGERS", sample.WRITTEN_BY_TRIGGERS - {FacetEntry})
    with pytest.raises(IntegrityError, match="actions_facetentry_pkey"):
        sample.load_sample()


def test_rows_that_differ_from_the_load_s_are_reported_by_table(monkeypatch):
    """A row put back with another value than the load wrote fails the first put-back."""
    monkeypatch.setattr(sample, "_rows", [])

    def insert_with_a_title_changed(rows):
        for model, instances in rows:
            if model is Action:
                instances[0].title += " (changé)"
        insert_rows(rows)

    monkeypatch.setattr(sample, "insert_rows", insert_with_a_title_changed)
    with pytest.raises(AssertionError, match=r"differ from the load's in actions\.Action \("):
        sample.load_sample()
    assert not sample._rows
