"""The workspace's writes through the sheet services: creation posted twice, private partners."""

import uuid

import pytest
from django.urls import reverse

from actions.enums import PartnerRole
from actions.models import Action, Partner
from actions.services.publication import publish_action, submit_action
from federations.models import Structure
from tests.actions.factories import PartnerFactory
from tests.federations.factories import StructureFactory
from tests.workspace.conftest import reload, sheet_data, with_lines, world_of_the_module
from workspace.forms import StructureForm
from workspace.services import create_structure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
world = world_of_the_module()

CREATE = reverse("workspace:action_create")


def edit_url(action):
    return reverse("workspace:action_update", args=[action.pk])


def messages_of(response):
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


class TestCreationPostedTwice:
    def test_the_creation_form_carries_a_fresh_token(self, staff_client):
        first = staff_client.get(CREATE).context["form"]["form_token"].value()
        second = staff_client.get(CREATE).context["form"]["form_token"].value()
        assert first != second
        uuid.UUID(str(first))

    def test_a_second_post_of_the_same_form_lands_on_the_sheet_it_created(
        self, staff_client, world
    ):
        data = sheet_data(structure=world.structure_a1.pk, form_token=str(uuid.uuid4()))
        first = staff_client.post(CREATE, data)
        second = staff_client.post(CREATE, data)
        action = Action.objects.get(title=data["title"])
        assert first.status_code == second.status_code == 302
        assert second["Location"] == edit_url(action)
        assert messages_of(second)[-1].startswith("Ce formulaire avait déjà été envoyé")
        assert action.history.count() == 1

    def test_a_second_submission_of_the_same_form_submits_once(self, staff_client, world):
        data = {
            **sheet_data(structure=world.structure_a1.pk, form_token=str(uuid.uuid4())),
            "submit": "1",
        }
        staff_client.post(CREATE, data)
        assert staff_client.post(CREATE, data).status_code == 302
        action = Action.objects.get(title=data["title"])
        assert action.moderation_events.count() == 1

    def test_another_persons_token_creates_nothing_of_theirs(self, client, world):
        data = sheet_data(structure=world.structure_a1.pk, form_token=str(uuid.uuid4()))
        client.force_login(world.staff_a)
        client.post(CREATE, data)
        client.force_login(world.staff_b)
        stolen = {**data, "structure": world.structure_b1.pk}
        response = client.post(CREATE, stolen)
        assert response.status_code == 302
        # sent to the first sheet's page, which is not theirs: a 404, nothing created
        assert client.get(response["Location"]).status_code == 404
        assert Action.objects.filter(title=data["title"]).count() == 1

    def test_a_malformed_token_is_refused_with_a_message(self, staff_client, world):
        data = sheet_data(structure=world.structure_a1.pk, form_token="pas-un-jeton")
        response = staff_client.post(CREATE, data)
        assert response.status_code == 200
        assert response.context["form"].errors["form_token"]
        assert not Action.objects.filter(title=data["title"]).exists()


def suggested(client, typed: str) -> list[str]:
    response = client.get(reverse("workspace:partner_suggestions"), {"q": typed})
    assert response.status_code == 200
    return response.json()["names"]


class TestPrivatePartners:
    """A partner typed in one federation's draft is not shown to the others."""

    def typed_in_a_draft(self, client, world, name="Mécène discret"):
        client.force_login(world.staff_a)
        data = with_lines(
            sheet_data(world.sheet_a1), "financements", [{"funder_name": name, "amount": "500"}]
        )
        assert client.post(edit_url(world.sheet_a1), data).status_code == 302
        return Partner.objects.get(name=name)

    def test_it_is_private_to_the_federation_of_the_draft(self, client, world):
        partner = self.typed_in_a_draft(client, world)
        assert partner.private_to == world.federation_a

    def test_other_federations_are_never_suggested_it(self, client, world):
        self.typed_in_a_draft(client, world)
        client.force_login(world.staff_b)
        page = client.get(edit_url(world.sheet_b1_published))
        assert "Mécène discret" not in page.content.decode()
        assert suggested(client, "mécène") == []

    def test_its_own_federation_is_suggested_it_for_its_other_sheets(self, client, world):
        self.typed_in_a_draft(client, world)
        assert suggested(client, "MECENE disc") == ["Mécène discret"]

    def test_the_catalogue_does_not_name_it_even_when_asked_by_its_slug(self, client, world):
        partner = self.typed_in_a_draft(client, world)
        client.logout()
        response = client.get(reverse("catalogue:action_list"), {"funder": partner.slug})
        assert response.status_code == 200
        assert "Mécène discret" not in response.content.decode()

    def test_it_becomes_public_once_a_sheet_naming_it_is_published(self, client, world):
        partner = self.typed_in_a_draft(client, world)
        sheet = reload(world.sheet_a1)
        submit_action(action=sheet, user=world.staff_a)
        publish_action(action=sheet, user=world.moderator, reviewed_version=sheet.version)
        client.force_login(world.staff_b)
        assert suggested(client, "mécène") == ["Mécène discret"]
        client.logout()
        response = client.get(reverse("catalogue:action_list"), {"funder": partner.slug})
        assert "Mécène discret" in response.content.decode()

    def test_partners_added_by_moderators_are_for_everyone(self, client, world):
        PartnerFactory(name="Fondation nationale")
        client.force_login(world.staff_b)
        assert suggested(client, "fondation") == ["Fondation nationale"]

    def test_typing_the_name_of_an_existing_private_partner_reuses_it(self, client, world):
        """Names are unique: the second federation links the same partner (it typed it)."""
        partner = self.typed_in_a_draft(client, world)
        client.force_login(world.staff_b)
        data = with_lines(
            sheet_data(world.sheet_b1_published),
            "partenaires",
            [{"partner_name": "MÉCÈNE  discret", "role": PartnerRole.ACTION}],
        )
        assert client.post(edit_url(world.sheet_b1_published), data).status_code == 302
        assert world.sheet_b1_published.partner_links.get().partner == partner
        assert Partner.objects.filter(name__icontains="discret").count() == 1


def test_a_structure_added_by_someone_else_meanwhile_is_a_form_error(world):
    """The form was valid when checked; the same structure was added before the insert (two
    people adding it at once): the form gets the error the check gives, not a server error."""
    data = {
        "federation": world.federation_a.pk,
        "name": "Centre social des Tilleuls",
        "kind": "centre_social",
        "department": world.structure_a1.department_id,
    }
    form = StructureForm(data, user=world.staff_a)
    assert form.is_valid(), form.errors
    StructureFactory(name="CENTRE SOCIAL DES TILLEULS", department=world.structure_a1.department)

    assert create_structure(form=form) is None
    assert form.non_field_errors() == ["Une structure de ce nom existe déjà dans ce département."]
    assert Structure.objects.filter(name__iexact="centre social des tilleuls").count() == 1
