"""The rows that migrations create: régions, départements, vocabularies, the moderators group,
content types and permissions (whatever a data migration or ``post_migrate`` writes).

A transactional test (browser, threads, subprocesses) empties the database when it ends: these
rows are put back right after it (tests/conftest.py). They are read once per test process, just
after its test database is built, and put back with one bulk INSERT per table, with their ids:
much cheaper than running the seeds and ``post_migrate`` again, and nothing to list here when a
new data migration seeds something.
"""

import copy

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

_rows: list[tuple[type[models.Model], list[models.Model]]] = []


def take_reference_rows() -> None:
    """Read every row of the freshly migrated test database."""
    _rows[:] = [
        (model, rows)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
        for rows in [list(model._base_manager.order_by("pk"))]
        if rows
    ]


def restore_reference_rows() -> None:
    """Insert the rows read by ``take_reference_rows`` into the emptied database."""
    with transaction.atomic():
        for model, rows in _rows:
            model._base_manager.bulk_create([copy.copy(row) for row in rows])
    ContentType.objects.clear_cache()
