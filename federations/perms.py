"""Who may act on what. Object permissions are enforced by scoping querysets (see
``StructureQuerySet.editable_by`` and ``ActionQuerySet.editable_by``): what is outside a user's
reach is simply not found (404), whatever the URL.
"""

from django.contrib.auth.models import AnonymousUser

from .enums import MembershipRole

MODERATORS_GROUP = "Modérateurs"


def is_moderator(user) -> bool:
    """Superusers and members of the "Modérateurs" group moderate every sheet."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_moderator = cached
    return cached


def is_contributor(user) -> bool:
    """Someone who may open the workspace: a moderator or a member of a federation."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    return is_moderator(user) or user.memberships.exists()


def can_add_structures(user) -> bool:
    """Moderators, and the staff of at least one federation (who add structures to their own
    federations: see ``workspace.forms.StructureForm``)."""
    if is_moderator(user):
        return True
    return user.is_authenticated and user.memberships.filter(role=MembershipRole.STAFF).exists()
