"""Federation staff invite colleagues; the link creates the account and the membership."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from federations.enums import MembershipRole
from federations.invitations import InvitationRefused, invite
from federations.models import Invitation, Membership
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    StructureFactory,
    UserFactory,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

INVITATIONS = reverse("workspace:invitations")
NEW_ACCOUNT = {
    "username": "nouvelle",
    "password1": "un-long-secret-2026",
    "password2": "un-long-secret-2026",
}


@pytest.fixture
def federation():
    return FederationFactory(name="Fédération du Val-de-Marne")


@pytest.fixture
def staff(federation):
    return MembershipFactory(federation=federation, user__email="staff@fd94.example.org").user


@pytest.fixture
def invitation(staff, federation):
    return invite(
        inviter=staff,
        email="collegue@fd94.example.org",
        federation=federation,
        role=MembershipRole.STAFF,
    )


def path_of(invitation):
    return reverse("invitation_accept", kwargs={"token": invitation.token})


class TestInviting:
    def test_the_dashboard_leads_staff_to_invitations_and_directors_nowhere(
        self, client, staff, federation
    ):
        client.force_login(staff)
        assert INVITATIONS in client.get(reverse("workspace:dashboard")).content.decode()
        director = MembershipFactory(federation=federation, director=True).user
        client.force_login(director)
        assert INVITATIONS not in client.get(reverse("workspace:dashboard")).content.decode()

    def test_staff_invite_a_director_of_one_of_their_structures_by_email(
        self, client, staff, federation, django_capture_on_commit_callbacks
    ):
        structure = StructureFactory(name="La Plaine", federation=federation)
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                INVITATIONS,
                {
                    "email": "direction@plaine.example.org",
                    "federation": federation.pk,
                    "role": MembershipRole.DIRECTOR,
                    "structure": structure.pk,
                },
            )
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert (invitation.role, invitation.structure, invitation.invited_by) == (
            MembershipRole.DIRECTOR,
            structure,
            staff,
        )
        run_tasks()
        message = mail.outbox[0]
        assert message.to == ["direction@plaine.example.org"]
        assert "La Plaine" in message.body
        assert "http://127.0.0.1:8000" + path_of(invitation) in message.body
        assert message.alternatives[0][1] == "text/html"

    def test_staff_cannot_invite_to_another_federation(self, client, staff):
        other = FederationFactory()
        client.force_login(staff)
        response = client.post(
            INVITATIONS,
            {
                "email": "x@example.org",
                "federation": other.pk,
                "role": MembershipRole.STAFF,
            },
        )
        assert response.status_code == 400
        assert "federation" in response.context["form"].errors
        with pytest.raises(InvitationRefused):
            invite(
                inviter=staff, email="x@example.org", federation=other, role=MembershipRole.STAFF
            )
        assert not Invitation.objects.exists()

    def test_a_director_cannot_invite(self, client, federation):
        director = MembershipFactory(director=True, federation=federation).user
        client.force_login(director)
        assert client.get(INVITATIONS).status_code == 403

    def test_a_structure_of_another_federation_is_refused(self, staff, federation):
        with pytest.raises(InvitationRefused):
            invite(
                inviter=staff,
                email="x@example.org",
                federation=federation,
                role=MembershipRole.DIRECTOR,
                structure=StructureFactory(),
            )


class TestAccepting:
    def test_the_link_creates_the_account_and_the_membership(self, client, invitation):
        response = client.post(path_of(invitation), NEW_ACCOUNT)
        assert response.status_code == 302
        user = get_user_model().objects.get(username="nouvelle")
        assert user.email == "collegue@fd94.example.org"
        assert Membership.objects.filter(
            user=user, federation=invitation.federation, role=MembershipRole.STAFF
        ).exists()
        assert client.get(reverse("workspace:dashboard")).status_code == 200

    def test_a_staff_invitation_cannot_create_a_moderator(self, client, invitation):
        client.post(path_of(invitation), NEW_ACCOUNT)
        user = get_user_model().objects.get(username="nouvelle")
        assert not user.is_staff and not user.is_superuser
        assert not user.groups.exists() and not user.user_permissions.exists()
        assert client.get("/admin/actions/action/").status_code in {302, 403}

    def test_the_link_works_once(self, client, invitation):
        client.post(path_of(invitation), NEW_ACCOUNT)
        client.logout()
        second = client.post(path_of(invitation), {**NEW_ACCOUNT, "username": "intruse"})
        assert second.status_code == 410
        assert "déjà servi ou a expiré" in second.content.decode()
        assert not get_user_model().objects.filter(username="intruse").exists()

    def test_an_expired_link_is_refused(self, client, invitation):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        assert client.get(path_of(invitation)).status_code == 410
        assert client.post(path_of(invitation), NEW_ACCOUNT).status_code == 410
        assert not get_user_model().objects.filter(username="nouvelle").exists()

    def test_a_signed_in_person_accepts_for_their_account(self, client, invitation):
        user = UserFactory()
        client.force_login(user)
        assert client.post(path_of(invitation)).status_code == 302
        assert user.memberships.get().federation == invitation.federation

    def test_a_bad_form_keeps_the_invitation_usable(self, client, invitation):
        response = client.post(path_of(invitation), {**NEW_ACCOUNT, "password2": "autre"})
        assert response.status_code == 400
        assert Invitation.objects.usable(timezone.now()).count() == 1


class TestAdmin:
    def test_the_admin_invites_to_any_federation_and_the_email_is_sent(
        self, admin_client, federation, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:federations_invitation_add"),
                {
                    "email": "nouvelle@example.org",
                    "federation": federation.pk,
                    "role": MembershipRole.STAFF,
                    "structure": "",
                },
            )
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert invitation.expires_at > timezone.now()
        run_tasks()
        assert mail.outbox[0].to == ["nouvelle@example.org"]

    def test_the_admin_form_refuses_a_structure_of_another_federation(
        self, admin_client, federation
    ):
        response = admin_client.post(
            reverse("admin:federations_invitation_add"),
            {
                "email": "nouvelle@example.org",
                "federation": federation.pk,
                "role": MembershipRole.DIRECTOR,
                "structure": StructureFactory().pk,
            },
        )
        assert response.status_code == 200
        assert not Invitation.objects.exists()
