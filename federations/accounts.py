"""Accounts made by the people who run the portal (``manage.py create_federation_account``),
where the staff of a federation would otherwise invite them: its first staff member, or a
moderator."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .enums import MembershipRole
from .invitations import grant_membership
from .models import Federation
from .perms import MODERATORS_GROUP


class AccountRefused(Exception):
    """The account cannot be made as asked; the message says why."""


@dataclass
class FederationAccount:
    user: object
    created: bool
    password_link: str


@transaction.atomic
def create_federation_account(
    *,
    federation: Federation,
    email: str,
    first_name: str = "",
    last_name: str = "",
    moderator: bool = False,
) -> FederationAccount:
    """The account with address ``email`` (made, without a password, if there is none), staff
    of ``federation``; with ``moderator``, also in the Modérateurs group and with the staff
    status, without which the admin stays closed to them.

    The account is given no password here: ``password_link`` lets its owner choose one (the
    link of « mot de passe oublié », valid ``PASSWORD_RESET_TIMEOUT``)."""
    users = get_user_model().objects
    matching = list(users.filter(email__iexact=email)[:2])
    if len(matching) > 1:
        raise AccountRefused(f"Plusieurs comptes ont l'adresse {email} : choisissez-en un.")
    created = not matching
    if created and users.filter(username__iexact=email).exists():
        raise AccountRefused(f"L'identifiant {email} est celui d'un compte d'une autre adresse.")
    if created:
        user = users.create_user(
            username=email.lower(), email=email, first_name=first_name, last_name=last_name
        )
    else:
        user = matching[0]
    grant_membership(user=user, federation=federation, role=MembershipRole.STAFF)
    if moderator:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return FederationAccount(user=user, created=created, password_link=settings.SITE_URL + path)
