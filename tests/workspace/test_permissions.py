"""Who may do what in the workspace: one assertion per (actor, operation) cell.

Outcomes:
- ``login``: redirected to the login page, nothing done;
- ``forbidden``: 403 page explaining the account has no role here, nothing done;
- ``ok``: the page is shown / the operation is done;
- ``not_found``: 404, as if the object did not exist (scoped querysets), nothing done;
- ``refused``: the form is shown again with an error on the structure, nothing created.

Targets: sheets and files of structure A1 (federation A; the director directs A1), a sheet of
structure A2 (federation A, no director), a published sheet of B1 (federation B).
"""

import pytest
from django.urls import reverse

from actions.enums import PublicationStatus
from actions.models import Action
from federations.models import Structure
from tests.workspace.conftest import reload, sheet_data, world_of_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
world = world_of_the_module()


ACTORS = ["anonymous", "outsider", "staff_a", "staff_b", "director_a1", "moderator"]

# operation -> expected outcome per actor, in the order of ACTORS.
MATRIX = {
    "list": ["login", "forbidden", "ok", "ok", "ok", "ok"],
    "create_form": ["login", "forbidden", "ok", "ok", "ok", "ok"],
    "create_in_a1": ["login", "forbidden", "ok", "refused", "ok", "ok"],
    "create_in_a2": ["login", "forbidden", "ok", "refused", "refused", "ok"],
    "edit_a1": ["login", "forbidden", "ok", "not_found", "ok", "ok"],
    "edit_a2": ["login", "forbidden", "ok", "not_found", "not_found", "ok"],
    "save_a1": ["login", "forbidden", "ok", "not_found", "ok", "ok"],
    "submit_a1": ["login", "forbidden", "ok", "not_found", "ok", "ok"],
    "submit_a2": ["login", "forbidden", "ok", "not_found", "not_found", "ok"],
    "download_draft_file_a1": ["not_found", "not_found", "ok", "not_found", "ok", "ok"],
    "download_published_file_b1": ["ok", "ok", "ok", "ok", "ok", "ok"],
    "add_structure": ["login", "forbidden", "ok", "ok", "forbidden", "ok"],
}

CELLS = [
    pytest.param(actor, operation, outcomes[index], id=f"{actor}-{operation}")
    for operation, outcomes in MATRIX.items()
    for index, actor in enumerate(ACTORS)
]


def outcome_of(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return {200: "ok", 302: "ok", 403: "forbidden", 404: "not_found"}.get(
        response.status_code, f"HTTP {response.status_code}"
    )


def do_list(client, world):
    response = client.get(reverse("workspace:dashboard"))
    return outcome_of(response), response


def do_create_form(client, world):
    response = client.get(reverse("workspace:action_create"))
    return outcome_of(response), response


def _create_in(client, structure, title):
    response = client.post(
        reverse("workspace:action_create"), sheet_data(structure=structure.pk, title=title)
    )
    created = Action.objects.filter(title=title).first()
    outcome = outcome_of(response)
    if response.status_code == 200:
        assert "structure" in response.context["form"].errors
        outcome = "refused"
    assert (created is not None) == (outcome == "ok")
    if created is not None:
        assert created.structure == structure
        assert created.publication_status == PublicationStatus.DRAFT
    return outcome, response


def do_create_in_a1(client, world):
    return _create_in(client, world.structure_a1, "Nouvelle fiche pour A1")


def do_create_in_a2(client, world):
    return _create_in(client, world.structure_a2, "Nouvelle fiche pour A2")


def do_edit_a1(client, world):
    response = client.get(reverse("workspace:action_update", args=[world.sheet_a1.pk]))
    return outcome_of(response), response


def do_edit_a2(client, world):
    response = client.get(reverse("workspace:action_update", args=[world.sheet_a2.pk]))
    return outcome_of(response), response


def do_save_a1(client, world):
    sheet = world.sheet_a1
    response = client.post(
        reverse("workspace:action_update", args=[sheet.pk]),
        sheet_data(sheet, summary="Résumé réécrit."),
    )
    outcome = outcome_of(response)
    assert (reload(sheet).summary == "Résumé réécrit.") == (outcome == "ok")
    return outcome, response


def _submit(client, sheet):
    response = client.post(
        reverse("workspace:action_update", args=[sheet.pk]), sheet_data(sheet, submit="1")
    )
    outcome = outcome_of(response)
    status = reload(sheet).publication_status
    expected = PublicationStatus.SUBMITTED if outcome == "ok" else PublicationStatus.DRAFT
    assert status == expected
    return outcome, response


def do_submit_a1(client, world):
    return _submit(client, world.sheet_a1)


def do_submit_a2(client, world):
    return _submit(client, world.sheet_a2)


def _download(client, attachment):
    response = client.get(reverse("attachments:download", args=[attachment.pk]))
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
    return outcome_of(response), response


def do_download_draft_file_a1(client, world):
    return _download(client, world.draft_file_a1)


def do_download_published_file_b1(client, world):
    return _download(client, world.published_file_b1)


def do_add_structure(client, world):
    response = client.get(reverse("workspace:structure_create"))
    outcome = outcome_of(response)
    if outcome == "ok":
        federation = world.federation_b if client.actor == "staff_b" else world.federation_a
        response = client.post(
            reverse("workspace:structure_create"),
            {
                "federation": federation.pk,
                "name": "Espace de vie sociale des Lilas",
                "kind": "evs",
                "department": world.structure_a1.department_id,
            },
        )
        assert response.status_code == 302
        assert Structure.objects.get(name="Espace de vie sociale des Lilas").federation == (
            federation
        )
    return outcome, response


@pytest.mark.parametrize(("actor", "operation", "expected"), CELLS)
def test_permission_matrix(client, world, actor, operation, expected):
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    client.actor = actor
    outcome, _response = globals()[f"do_{operation}"](client, world)
    assert outcome == expected


class TestScoping:
    """What each role sees in lists and choices, beyond status codes."""

    def titles_on_dashboard(self, client, user):
        client.force_login(user)
        response = client.get(reverse("workspace:dashboard"))
        return {action.title for action in response.context["actions"]}

    def test_staff_see_every_sheet_of_their_federation_only(self, client, world):
        assert self.titles_on_dashboard(client, world.staff_a) == {"Fiche de A1", "Fiche de A2"}

    def test_staff_of_another_federation_see_only_theirs(self, client, world):
        assert self.titles_on_dashboard(client, world.staff_b) == {"Fiche publiée de B1"}

    def test_director_sees_only_the_sheets_of_their_structure(self, client, world):
        assert self.titles_on_dashboard(client, world.director_a1) == {"Fiche de A1"}

    def test_moderator_sees_every_sheet(self, client, world):
        assert self.titles_on_dashboard(client, world.moderator) == {
            "Fiche de A1",
            "Fiche de A2",
            "Fiche publiée de B1",
        }

    def test_structure_choices_are_limited_to_the_users_reach(self, client, world):
        client.force_login(world.director_a1)
        form = client.get(reverse("workspace:action_create")).context["form"]
        assert list(form.fields["structure"].queryset) == [world.structure_a1]
        assert form.initial["structure"] == world.structure_a1.pk

    def test_a_user_with_several_memberships_reaches_all_their_structures(self, client, world):
        from tests.federations.factories import MembershipFactory

        MembershipFactory(user=world.director_a1, federation=world.federation_b)
        assert self.titles_on_dashboard(client, world.director_a1) == {
            "Fiche de A1",
            "Fiche publiée de B1",
        }

    def test_dashboard_filter_cannot_name_a_structure_out_of_reach(self, client, world):
        client.force_login(world.staff_a)
        response = client.get(reverse("workspace:dashboard"), {"structure": world.structure_b1.pk})
        assert response.status_code == 200
        assert "structure" in response.context["filter"].form.errors
        assert list(response.context["actions"]) == []

    def test_staff_cannot_add_a_structure_to_another_federation(self, client, world):
        client.force_login(world.staff_a)
        response = client.post(
            reverse("workspace:structure_create"),
            {
                "federation": world.federation_b.pk,
                "name": "Centre intrus",
                "kind": "centre_social",
                "department": world.structure_a1.department_id,
            },
        )
        assert response.status_code == 200
        assert "federation" in response.context["form"].errors
        assert not Structure.objects.filter(name="Centre intrus").exists()

    def test_moving_a_sheet_to_a_structure_out_of_reach_is_refused(self, client, world):
        client.force_login(world.director_a1)
        sheet = world.sheet_a1
        response = client.post(
            reverse("workspace:action_update", args=[sheet.pk]),
            sheet_data(sheet, structure=world.structure_a2.pk),
        )
        assert response.status_code == 200
        assert "structure" in response.context["form"].errors
        assert reload(sheet).structure == world.structure_a1
