"""The "Modérateurs" group: created by a migration, with exactly what moderation needs."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from federations.perms import MODERATORS_GROUP, is_moderator
from tests.federations.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("federations.migrations.0003_moderators_group")

EXPECTED = {
    "actions.view_action",
    "actions.change_action",
    "actions.view_historicalaction",
    "actions.view_moderationevent",
    "actions.view_actionpartner",
    "actions.view_funding",
    "actions.view_attachment",
    "actions.view_partner",
    "actions.view_dimension",
    "actions.view_territoryscale",
    "federations.view_structure",
    "federations.view_federation",
}


def group_permissions(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


class TestTheGroup:
    def test_the_migration_creates_the_group_with_exactly_the_moderation_permissions(self):
        group = Group.objects.get(name=MODERATORS_GROUP)
        assert group_permissions(group) == EXPECTED

    def test_the_group_may_neither_add_nor_delete_anything(self):
        codenames = set(
            Group.objects.get(name=MODERATORS_GROUP).permissions.values_list("codename", flat=True)
        )
        assert not {c for c in codenames if c.startswith(("add_", "delete_"))}

    def test_the_migration_name_matches_the_application_constant(self):
        assert migration.GROUP_NAME == MODERATORS_GROUP

    def test_running_the_migration_again_restores_exactly_the_permissions(self):
        group = Group.objects.get(name=MODERATORS_GROUP)
        group.permissions.remove(Permission.objects.get(codename="change_action"))
        group.permissions.add(Permission.objects.get(codename="delete_action"))
        migration.create_moderators_group(apps, schema_editor=None)
        assert group_permissions(group) == EXPECTED
        assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1

    def test_its_reverse_removes_the_group(self):
        migration.delete_moderators_group(apps, schema_editor=None)
        assert not Group.objects.filter(name=MODERATORS_GROUP).exists()


class TestMembers:
    def test_a_member_is_a_moderator_with_the_group_permissions(self):
        moderator = ModeratorFactory()
        assert is_moderator(moderator)
        assert moderator.has_perms(EXPECTED)
        assert not moderator.has_perm("actions.delete_action")
        assert not moderator.has_perm("actions.add_action")

    def test_a_staff_user_outside_the_group_has_no_action_permission(self):
        user = UserFactory(is_staff=True)
        assert not is_moderator(user)
        assert not user.has_perm("actions.view_action")
        assert not user.has_module_perms("actions")
