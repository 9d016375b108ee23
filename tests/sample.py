"""The sample sheets (fixtures ``sample_federations`` and ``sample_actions``: 22 published
sheets, their structures, federations, partners and funding), for the tests that read them.

``loaddata`` writes them one object at a time: about 1,500 queries, simple-history writing m2m
history rows, 4–8 s on PostgreSQL, paid by every test that needs the sample. So a test process
loads them once (``load_sample_fixtures``, as ``load_demo`` does: loaddata, then the facet
index and the search vectors built at the end), reads back every row that load wrote, and
later puts the same rows back with one INSERT per table; the database's triggers maintain
their own tables (the facet index) and the vectors from those rows, as they do for any bulk
write. The first time, the rows put back are compared with the load's, table by table, the
triggers' tables and the vectors included — so the rebuild at the end of a load is shown to
give what the triggers give —: a difference fails the test that asked for the sample, saying
which table.

tests/actions/test_sample_fixture.py tests ``loaddata`` and ``load_demo`` themselves and does
not use this.
"""

from django.db import IntegrityError, models, transaction

from actions.management.commands.load_demo import load_sample_fixtures
from actions.models import FacetEntry, FacetFundingAmount, FacetFundingTotal, FacetPair
from pagecache.models import CatalogueVersion
from tests.reference_data import Rows, insert_rows, stored_models

# Written by the database's triggers only (see their docstrings): never put back by hand.
WRITTEN_BY_TRIGGERS = {FacetEntry, FacetFundingAmount, FacetFundingTotal, FacetPair}
# Moved by every write, with the time of the write: not compared.
TIMESTAMPED = {CatalogueVersion}

_rows: Rows = []


def load_sample() -> None:
    """Write the sample into the test database (which holds no other sheet)."""
    if not _rows:
        _take_rows()
        return
    try:
        with transaction.atomic():
            insert_rows(_rows)
    except IntegrityError:
        # A row of the test took an id the sample had the first time (SQLite gives ids back
        # with a rollback): loaddata gives it others.
        load_sample_fixtures()


def _table(model: type[models.Model]) -> dict:
    """Every row of ``model``'s table by primary key, as the tuple of its column values."""
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.order_by("pk").values_list("pk", *columns)
    return {values[0]: values[1:] for values in rows}


def _database() -> dict:
    return {model: _table(model) for model in stored_models() if model not in TIMESTAMPED}


def _take_rows() -> None:
    """Load the sample; keep the rows it added; check that putting them back
    gives the same database."""
    before = _database()
    with transaction.atomic():
        load_sample_fixtures()
        after = _database()
        added = {
            model: [pk for pk in rows if pk not in before[model]]
            for model, rows in after.items()
            if model not in WRITTEN_BY_TRIGGERS
        }
        changed = [
            model._meta.label
            for model, rows in after.items()
            if model not in WRITTEN_BY_TRIGGERS
            and any(rows[pk] != values for pk, values in before[model].items() if pk in rows)
        ]
        if changed:
            raise AssertionError(
                f"the sample changes rows that were there before it ({', '.join(changed)}): "
                "load it first"
            )
        _rows[:] = [
            (model, list(model._base_manager.filter(pk__in=pks).order_by("pk")))
            for model, pks in added.items()
            if pks
        ]
        transaction.set_rollback(True)
    with transaction.atomic():
        insert_rows(_rows)
        differing = [
            model._meta.label for model, rows in _database().items() if rows != after[model]
        ]
        if differing:
            _rows.clear()
            raise AssertionError(
                "the sample's rows put back differ from the load's in "
                f"{', '.join(differing)} (tests/sample.py: WRITTEN_BY_TRIGGERS)"
            )
