"""Inviting a colleague by e-mail, and accepting the invitation.

Federation staff invite to their own federations only, as staff or as the director of one of
its structures: what they grant is at most what they hold, a membership, never a group or
the admin. The admin (``InvitationAdmin``) invites to any federation the same way. The link
works once (a conditional UPDATE claims it) and until ``INVITATION_MAX_AGE`` has passed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import MembershipRole
from .models import Federation, Invitation, Membership, Structure


class InvitationRefused(Exception):
    """The invitation is used, expired, or not the inviter's to give; the message says why."""


def invitable_federations(user):
    """The federations ``user`` may invite to: those they are staff of."""
    return Federation.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.STAFF
    ).distinct()


def check_grant(*, inviter, federation: Federation, role: str, structure: Structure | None):
    """Raise ``InvitationRefused`` unless ``inviter`` may grant this membership."""
    if role == MembershipRole.DIRECTOR and (
        structure is None or structure.federation_id != federation.pk
    ):
        raise InvitationRefused(_("Cette structure n'appartient pas à cette fédération."))
    if role == MembershipRole.STAFF and structure is not None:
        raise InvitationRefused(_("Un rôle fédéral ne porte sur aucune structure."))
    if inviter.is_superuser:
        return
    if not invitable_federations(inviter).filter(pk=federation.pk).exists():
        raise InvitationRefused(_("Vous n'êtes pas salarié·e de cette fédération."))


@transaction.atomic
def invite(
    *, inviter, email: str, federation: Federation, role: str, structure: Structure | None = None
) -> Invitation:
    """Record the invitation and enqueue its e-mail after the commit."""
    from .tasks import send_invitation

    check_grant(inviter=inviter, federation=federation, role=role, structure=structure)
    invitation = Invitation.objects.create(
        email=email,
        federation=federation,
        role=role,
        structure=structure if role == MembershipRole.DIRECTOR else None,
        invited_by=inviter,
        expires_at=timezone.now() + settings.INVITATION_MAX_AGE,
    )
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id=invitation.pk), robust=True)
    return invitation


@transaction.atomic
def accept(*, invitation: Invitation, user=None, username: str = "", password: str = ""):
    """Use the invitation: for ``user`` (signed in), or for a new account made with
    ``username`` and ``password`` and the invited address. Returns the account."""
    now = timezone.now()
    claimed = Invitation.objects.usable(now).filter(pk=invitation.pk).update(accepted_at=now)
    if not claimed:
        raise InvitationRefused(_("Cette invitation a déjà servi ou a expiré."))
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, email=invitation.email, password=password
        )
    grant_membership(
        user=user,
        federation=invitation.federation,
        role=invitation.role,
        structure=invitation.structure,
    )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    return user


def grant_membership(
    *, user, federation: Federation, role: str, structure: Structure | None = None
) -> Membership:
    """``user``'s membership of ``federation`` in ``role``, made unless they already hold it
    (an invitation accepted, or ``accounts.create_federation_account``)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, federation=federation, role=role, structure=structure
    )
    return membership
