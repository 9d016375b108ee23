"""Départements and vocabularies come from data migrations. A transactional test (browser,
threads) empties the database when it ends, so the ones after it seed them again."""

from importlib import import_module

from django.apps import apps

SEEDS = (
    "federations.migrations.0002_seed_regions_and_departments",
    "actions.migrations.0002_seed_vocabularies",
)


def seed_reference_data() -> None:
    """Run the (idempotent) seeds of the data migrations."""
    for module in SEEDS:
        import_module(module).seed(apps, None)
