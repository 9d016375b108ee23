"""Two people editing one sheet: the second save is refused, nobody's work is overwritten."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from actions.enums import PublicationStatus
from actions.models import Action
from actions.services.publication import publish_action, submit_action
from actions.services.versions import EditConflict
from tests.federations.factories import MembershipFactory
from tests.workspace.conftest import reload, sheet_data, with_lines
from workspace.forms import action_forms
from workspace.services import save_action

pytestmark = pytest.mark.db_sensitive


def edit_url(action):
    return reverse("workspace:action_update", args=[action.pk])


@pytest.fixture
def colleague(world):
    return MembershipFactory(
        federation=world.federation_a,
        user__username="collegue",
        user__first_name="Inès",
        user__last_name="Martin",
    ).user


class TestEditConflict:
    def test_the_second_of_two_saves_from_the_same_version_is_refused(
        self, client, world, colleague
    ):
        sheet = world.sheet_a1
        loaded_by_first = sheet_data(sheet, summary="Version de la première personne.")
        loaded_by_second = sheet_data(sheet, summary="Version de la seconde personne.")

        client.force_login(world.staff_a)
        assert client.post(edit_url(sheet), loaded_by_first).status_code == 302

        client.force_login(colleague)
        response = client.post(edit_url(sheet), loaded_by_second)

        assert response.status_code == 409
        saved = reload(sheet)
        assert saved.summary == "Version de la première personne."
        assert saved.version == 2
        assert saved.updated_by == world.staff_a

    def test_the_refusal_explains_shows_the_other_change_and_keeps_the_typing(
        self, client, world, colleague
    ):
        sheet = world.sheet_a1
        stale = sheet_data(sheet, summary="Ma version du résumé.")
        client.force_login(world.staff_a)
        client.post(edit_url(sheet), sheet_data(sheet, summary="Résumé de la collègue."))

        client.force_login(colleague)
        response = client.post(edit_url(sheet), stale)
        content = response.content.decode()

        assert "Vos modifications n'ont pas été enregistrées" in content
        name = world.staff_a.get_full_name()
        assert name in content
        differences = response.context["conflict"]["differences"]
        assert [(d.label, d.saved, d.typed) for d in differences] == [
            ("Résumé", "Résumé de la collègue.", "Ma version du résumé.")
        ]
        assert "Ma version du résumé." in content
        assert f'href="{edit_url(sheet)}" target="_blank"' in content
        assert response.context["form"]["version"].value() == "2"

    def test_saving_again_after_reading_the_conflict_is_a_deliberate_overwrite(
        self, client, world, colleague
    ):
        sheet = world.sheet_a1
        stale = sheet_data(sheet, summary="Ma version du résumé.")
        client.force_login(world.staff_a)
        client.post(edit_url(sheet), sheet_data(sheet, summary="Résumé de la collègue."))
        client.force_login(colleague)
        response = client.post(edit_url(sheet), stale)
        assert response.status_code == 409

        again = {**stale, "version": response.context["form"]["version"].value()}
        assert client.post(edit_url(sheet), again).status_code == 302
        saved = reload(sheet)
        assert (saved.summary, saved.version, saved.updated_by) == (
            "Ma version du résumé.",
            3,
            colleague,
        )

    def test_a_refused_save_writes_nothing_at_all(self, world, colleague):
        sheet = world.sheet_a1
        Action.objects.filter(pk=sheet.pk).update(version=5)
        data = with_lines(
            sheet_data(sheet, title="Autre titre"),
            "financements",
            [{"funder_name": "Mécène inconnu", "amount": "10"}],
        )
        forms = action_forms(user=colleague, instance=reload(sheet), data=data)
        assert forms.is_valid()
        with pytest.raises(EditConflict) as conflict:
            save_action(forms=forms, user=colleague, expected_version=1)
        assert conflict.value.current.version == 5
        saved = reload(sheet)
        assert saved.title == "Fiche de A1"
        assert not saved.fundings.exists()
        assert not saved.history.filter(history_user=colleague).exists()

    def test_moderation_meanwhile_is_not_overwritten(self, client, world):
        """Publication status is never written by a save: a sheet published while someone
        edited it stays published (and is flagged as modified)."""
        sheet = world.sheet_a1
        submit_action(action=reload(sheet), user=world.staff_a)
        loaded = sheet_data(reload(sheet), summary="Corrigé pendant la modération.")
        publish_action(
            action=reload(sheet), user=world.moderator, reviewed_version=reload(sheet).version
        )

        client.force_login(world.staff_a)
        assert client.post(edit_url(sheet), loaded).status_code == 302
        saved = reload(sheet)
        assert saved.publication_status == PublicationStatus.PUBLISHED
        assert saved.modified_since_publication is True
        assert saved.summary == "Corrigé pendant la modération."


@pytest.mark.django_db(transaction=True)
def test_truly_concurrent_saves_let_exactly_one_through(on_postgresql, world):
    """Two threads, two connections, the same starting version: one save wins, the other
    gets ``EditConflict`` (the conditional UPDATE serialises them on the row lock)."""
    sheet = world.sheet_a1
    users = [world.staff_a, world.moderator]
    barrier = threading.Barrier(len(users))
    outcomes = {}

    def edit(user):
        try:
            forms = action_forms(
                user=user,
                instance=reload(sheet),
                data=sheet_data(sheet, summary=f"Écrit par {user.username}"),
            )
            assert forms.is_valid(), forms.form.errors
            barrier.wait(timeout=10)
            save_action(forms=forms, user=user, expected_version=1)
            outcomes[user.username] = "saved"
        except EditConflict:
            outcomes[user.username] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    saved = reload(sheet)
    assert saved.summary == f"Écrit par {winner}"
    assert saved.version == 2
