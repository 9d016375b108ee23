"""``manage.py create_federation_account``: a federation's staff member, or a moderator, in
one command, with the link that lets them choose their password."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from federations.enums import MembershipRole
from federations.models import Membership
from federations.perms import is_moderator
from tests.federations.factories import FederationFactory, UserFactory

pytestmark = pytest.mark.django_db


def create(*args) -> str:
    out = io.StringIO()
    call_command("create_federation_account", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def federation():
    return FederationFactory(slug="fcs-somme", name="Fédération des centres sociaux de la Somme")


class TestCreateFederationAccount:
    def test_it_creates_the_account_and_its_staff_membership(self, federation, client):
        output = create(
            "--federation=fcs-somme",
            "--email=Claire.Martin@example.org",
            "--first-name=Claire",
            "--last-name=Martin",
        )
        user = get_user_model().objects.get(email="Claire.Martin@example.org")
        assert (user.username, user.get_full_name()) == (
            "claire.martin@example.org",
            "Claire Martin",
        )
        assert not user.has_usable_password()
        assert not user.is_staff
        assert not is_moderator(user)
        assert Membership.objects.get(user=user).federation == federation
        assert Membership.objects.get(user=user).role == MembershipRole.STAFF
        assert "Compte créé : claire.martin@example.org" in output

        # The printed link lets its owner choose a password, then enter the workspace.
        link = re.search(r"https?://\S+", output).group(0)
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + path, follow=True)
        form_url = response.redirect_chain[-1][0]
        password = "Un-mot-de-passe-sûr-42"
        client.post(form_url, {"new_password1": password, "new_password2": password})
        user.refresh_from_db()
        assert user.check_password(password)
        client.force_login(user)
        assert client.get(reverse("workspace:dashboard")).status_code == 200

    def test_a_moderator_gets_the_group_and_the_staff_status(self, federation, client):
        create("--federation=fcs-somme", "--email=maud@example.org", "--moderator")
        user = get_user_model().objects.get(email="maud@example.org")
        assert user.is_staff
        assert is_moderator(user)
        client.force_login(user)
        assert client.get(reverse("admin:actions_action_changelist")).status_code == 200

    def test_an_existing_account_gets_the_membership_once(self, federation):
        existing = UserFactory(username="claire", email="claire@example.org")
        output = create("--federation=fcs-somme", "--email=CLAIRE@example.org")
        create("--federation=fcs-somme", "--email=claire@example.org")
        assert "Compte existant : claire" in output
        assert get_user_model().objects.filter(email__iexact="claire@example.org").count() == 1
        assert Membership.objects.filter(user=existing, federation=federation).count() == 1
        existing.refresh_from_db()
        assert existing.check_password("mot-de-passe-de-test")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--federation=inconnue", "--email=a@example.org"], "Aucune fédération"),
            (["--federation=fcs-somme", "--email=pas-une-adresse"], "n'est pas une adresse"),
        ],
    )
    def test_bad_arguments_are_refused_with_the_reason(self, federation, args, message):
        with pytest.raises(CommandError, match=message):
            create(*args)
        assert not Membership.objects.exists()

    def test_a_login_taken_by_another_address_is_refused(self, federation):
        UserFactory(username="a@example.org", email="autre@example.org")
        with pytest.raises(CommandError, match="autre adresse"):
            create("--federation=fcs-somme", "--email=a@example.org")
        assert not Membership.objects.exists()
