"""Départements, vocabularies and the moderators group come from data migrations. A
transactional test (browser, threads) empties the database when it ends, so they are seeded
again right after each one (tests/conftest.py)."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission

SEEDS = (
    "federations.migrations.0002_seed_regions_and_departments",
    "actions.migrations.0002_seed_vocabularies",
)
MODERATORS = "federations.migrations.0003_moderators_group"


def seed_reference_data() -> None:
    """Run the (idempotent) seeds of the data migrations."""
    for module in SEEDS:
        import_module(module).seed(apps, None)
    # The flush's post_migrate signal recreated the permissions: only the group is missing.
    moderators = import_module(MODERATORS)
    group, _ = Group.objects.get_or_create(name=moderators.GROUP_NAME)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in moderators.PERMISSIONS
        ]
    )
