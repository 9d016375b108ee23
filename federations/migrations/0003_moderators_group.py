"""The "Modérateurs" group: exactly the permissions moderation in the admin needs.

Its members (with ``is_staff`` so that they can sign in to the admin) and the superusers are
the moderators (``federations.perms.is_moderator``). Moderating means reviewing what federation
staff submitted, correcting a detail if need be, then publishing or refusing it:

- ``actions.view_action``, ``actions.change_action``: the sheets' list and change form (with
  its filters and the moderation actions, which the admin offers only to people who may change
  sheets); a moderator may correct a sheet's text. The publication columns stay read-only: they
  change only through the moderation actions.
- ``actions.view_historicalaction``: the change history of a sheet (the "Historique" page and
  the latest changes on the change form).
- ``actions.view_moderationevent``: the moderation log (who decided what, when and why).
- ``actions.view_actionpartner``, ``actions.view_funding``, ``actions.view_attachment``: the
  sheet's partners, funding lines and files, shown read-only in the change form's inlines
  (their content is the federations' to fix; a moderator refuses with a reason instead).
- ``actions.view_partner``: who a partner or funder is (kind: Caf, commune...) when checking
  the funding lines.
- ``actions.view_dimension``, ``actions.view_territoryscale``, ``federations.view_structure``:
  the change form's autocomplete fields answer only people who may view those lists.
- ``federations.view_federation``: the federation of a sheet and its contact address, to reach
  its staff about a submission.

No add permission (sheets are written by the federations, in the workspace), no delete
permission at all (a sheet leaves the catalogue by being refused or sent back to draft, which
the history records), nothing on users, groups or memberships.

Permission rows are created here if missing: on a fresh database ``post_migrate`` (which
normally creates them) has not run yet.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Modérateurs"  # federations.perms.MODERATORS_GROUP, frozen here

PERMISSIONS = [
    ("actions", "view_action"),
    ("actions", "change_action"),
    ("actions", "view_historicalaction"),
    ("actions", "view_moderationevent"),
    ("actions", "view_actionpartner"),
    ("actions", "view_funding"),
    ("actions", "view_attachment"),
    ("actions", "view_partner"),
    ("actions", "view_dimension"),
    ("actions", "view_territoryscale"),
    ("federations", "view_structure"),
    ("federations", "view_federation"),
]


def create_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in sorted({app_label for app_label, _ in PERMISSIONS}):
        app_config = apps.get_app_config(app_label)
        # create_permissions skips app configs without a models module, which is what the
        # migration state's stubs are; restore the value so a real registry is left intact.
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = previous
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("federations", "0002_seed_regions_and_departments"),
        ("actions", "0002_seed_vocabularies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, delete_moderators_group)]
