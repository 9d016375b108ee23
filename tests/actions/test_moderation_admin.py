"""Moderation in the Django admin: the queue, the bulk actions, the histories, who may."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.admin_views import reviewed_version_name
from actions.enums import PublicationStatus
from actions.models import Action, ModerationEvent
from actions.services import publication
from tests.actions.factories import ActionFactory, ActionPartnerFactory, FundingFactory, theme
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    ModeratorFactory,
    StructureFactory,
    UserFactory,
)
from tests.tasks import run_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CHANGELIST = reverse("admin:actions_action_changelist")


@pytest.fixture
def moderator():
    return ModeratorFactory(username="moderatrice", first_name="Maud", last_name="Érateur")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def federation_staff():
    """A federation's staff member who was given ``is_staff`` but is not a moderator."""
    user = UserFactory(username="salariee", is_staff=True)
    MembershipFactory(user=user)
    return user


def shown_versions(actions) -> dict[str, int]:
    """The hidden inputs of the changelist rows of ``actions``: the versions the page shows."""
    return {reviewed_version_name(a.pk): a.version for a in actions}


def run_action(client, name, actions, **data):
    """Post a moderation action from the changelist, as a browser does (with the versions of
    the rows shown, unless ``data`` says otherwise)."""
    return client.post(
        CHANGELIST,
        {
            "action": name,
            ACTION_CHECKBOX_NAME: [a.pk for a in actions],
            "index": 0,
            **shown_versions(actions),
            **data,
        },
    )


def confirm_reject(client, actions, reason, versions=None):
    return client.post(
        CHANGELIST,
        {
            "action": "reject_selected",
            ACTION_CHECKBOX_NAME: [a.pk for a in actions],
            "confirm": "yes",
            "reason": reason,
            **(shown_versions(actions) if versions is None else versions),
        },
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(action):
    return Action.objects.get(pk=action.pk).publication_status


class TestChangelist:
    def test_it_opens_on_submitted_then_modified_sheets(self, moderator_client):
        ActionFactory(title="Brouillon ancien")
        ActionFactory(published=True, title="Publiée tranquille")
        ActionFactory(modified=True, title="Publiée modifiée")
        ActionFactory(submitted=True, title="Soumise récente")
        ActionFactory(rejected=True, title="Refusée")
        response = moderator_client.get(CHANGELIST)
        titles = [action.title for action in response.context["cl"].result_list]
        assert titles[:2] == ["Soumise récente", "Publiée modifiée"]
        assert set(titles[2:]) == {"Brouillon ancien", "Publiée tranquille", "Refusée"}

    def test_the_longest_waiting_submission_comes_first(self, moderator_client):
        from datetime import timedelta

        from django.utils import timezone

        ActionFactory(submitted=True, title="Hier", submitted_at=timezone.now() - timedelta(1))
        ActionFactory(
            submitted=True, title="Il y a un mois", submitted_at=timezone.now() - timedelta(30)
        )
        response = moderator_client.get(CHANGELIST)
        titles = [action.title for action in response.context["cl"].result_list]
        assert titles == ["Il y a un mois", "Hier"]

    def test_its_columns(self, moderator_client):
        submitter = UserFactory(username="auteure", first_name="Alice", last_name="Teure")
        action = ActionFactory(
            modified=True,
            submitted_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            title="Forum seniors",
            structure=StructureFactory(
                name="Centre social Arc-en-ciel",
                federation=FederationFactory(name="Fédération des centres sociaux de la Somme"),
            ),
            submitted_by=submitter,
        )
        FundingFactory(action=action, amount=2500)
        response = moderator_client.get(CHANGELIST)
        row = re.search(
            r'<tr[^>]*>\s*<td class="action-checkbox">.*?</tr>', response.content.decode(), re.S
        )
        assert row
        cells = row.group(0)
        for expected in [
            "Forum seniors",
            'Centre social Arc-en-ciel <span class="quiet">(94)</span>',
            '<span title="Fédération des centres sociaux de la Somme">Somme</span>',
            '<span class="state-badge state-published">Publiée</span>'
            '<span class="state-note">modifiée</span>',
            "Alice Teure<br>02/03/2026 10:30",
            f"{action.completeness()}\u202f%",
            "2\u202f500 €",
        ]:
            assert expected in cells, expected

    def test_a_sheet_without_federation_shows_a_dash(self, moderator_client):
        ActionFactory(submitted=True, structure=StructureFactory(federation=None))
        response = moderator_client.get(CHANGELIST)
        assert '<td class="field-federation">—</td>' in response.content.decode()

    def test_it_filters_by_status_modified_date_federation_department_and_theme(
        self, moderator_client
    ):
        membership = MembershipFactory()
        structure = StructureFactory(federation=membership.federation)
        ActionFactory(
            modified=True, title="Modifiée", structure=structure, themes=[theme("culture")]
        )
        ActionFactory(published=True, title="Publiée")
        ActionFactory(submitted=True, title="Soumise")

        def titles(**params):
            response = moderator_client.get(CHANGELIST, params)
            assert response.status_code == 200
            return {action.title for action in response.context["cl"].result_list}

        assert titles(publication_status__exact="submitted") == {"Soumise"}
        assert titles(modified_since_publication__exact="1") == {"Modifiée"}
        assert titles(submitted_at__isnull="True") == {"Modifiée", "Publiée"}
        assert titles(structure__federation__id__exact=membership.federation.pk) == {"Modifiée"}
        assert titles(structure__department__id__exact=structure.department.pk) == {
            "Modifiée",
            "Publiée",
            "Soumise",
        }
        assert titles(themes__id__exact=theme("culture").pk) == {"Modifiée"}

    def test_facet_counts_are_shown(self, moderator_client):
        ActionFactory.create_batch(3, submitted=True)
        ActionFactory(published=True)
        response = moderator_client.get(CHANGELIST)
        assert re.search(r"Soumise\s*\(3\)", response.content.decode())
        assert re.search(r"Publiée\s*\(1\)", response.content.decode())

    def test_search_covers_title_structure_and_text(self, moderator_client):
        ActionFactory(title="Séjour à Zanzibar")
        ActionFactory(structure=StructureFactory(name="Maison des Tilleuls"))
        ActionFactory(description="Un atelier de vélorution solidaire")
        ActionFactory(title="Autre chose")
        for term, expected in [("zanzibar", 1), ("Tilleuls", 1), ("vélorution", 1)]:
            response = moderator_client.get(CHANGELIST, {"q": term})
            assert response.context["cl"].result_count == expected, term

    def test_its_query_count_does_not_grow_with_the_number_of_sheets(self, moderator_client):
        def changelist_queries(count):
            Action.objects.all().delete()
            for index in range(count):
                action = ActionFactory(
                    submitted=index % 2 == 0,
                    submitted_by=UserFactory(),
                    themes=[theme("culture")],
                    structure=StructureFactory(federation=MembershipFactory().federation),
                )
                ActionPartnerFactory(action=action)
                FundingFactory(action=action)
            with CaptureQueriesContext(connection) as queries:
                response = moderator_client.get(CHANGELIST)
            assert response.status_code == 200
            assert len(response.context["cl"].result_list) == count
            return len(queries)

        assert changelist_queries(5) == changelist_queries(12)


class TestPublishSelected:
    def test_eligible_sheets_are_published_and_the_others_reported(
        self, moderator_client, moderator, django_capture_on_commit_callbacks
    ):
        submitted = ActionFactory.create_batch(2, submitted=True, submitted_by=UserFactory())
        modified = ActionFactory(modified=True)
        draft = ActionFactory(title="Brouillon inachevé")
        with django_capture_on_commit_callbacks(execute=True):
            response = run_action(
                moderator_client, "publish_selected", [*submitted, modified, draft]
            )

        assert response.status_code == 302
        for action in [*submitted, modified]:
            action = Action.objects.get(pk=action.pk)
            assert action.publication_status == PublicationStatus.PUBLISHED
            assert action.published_at is not None
        assert status_of(draft) == PublicationStatus.DRAFT
        assert messages_of(response) == [
            "3 fiches publiées.",
            "« Brouillon inachevé » ignorée : une fiche « Brouillon » doit d'abord être soumise.",
        ]
        assert set(
            ModerationEvent.objects.values_list("action", "actor", "from_status", "to_status")
        ) == {
            (submitted[0].pk, moderator.pk, "submitted", "published"),
            (submitted[1].pk, moderator.pk, "submitted", "published"),
            (modified.pk, moderator.pk, "published", "published"),
        }
        assert mail.outbox == []  # sent by the worker, not in the request
        run_tasks()
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            a.submitted_by.email for a in submitted
        )

    def test_an_already_published_sheet_is_skipped(self, moderator_client):
        action = ActionFactory(published=True, title="Déjà en ligne")
        response = run_action(moderator_client, "publish_selected", [action])
        assert messages_of(response) == [
            "« Déjà en ligne » ignorée : déjà publiée et non modifiée depuis."
        ]
        assert not ModerationEvent.objects.exists()


class TestRejectSelected:
    def test_it_asks_for_a_reason_first(self, moderator_client):
        action = ActionFactory(submitted=True, title="Forum seniors")
        draft = ActionFactory(title="Brouillon")
        response = run_action(moderator_client, "reject_selected", [action, draft])
        assert response.status_code == 200
        assert response.templates[0].name == "admin/actions/action/reject_selected.html"
        content = response.content.decode()
        assert "Forum seniors" in content
        assert "Motif du refus" in content
        assert re.search(r'<ul id="not-rejectable">\s*<li>Brouillon : seule une fiche', content)
        assert status_of(action) == PublicationStatus.SUBMITTED

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_it_refuses_to_proceed_without_a_reason(self, moderator_client, reason):
        action = ActionFactory(submitted=True)
        response = confirm_reject(moderator_client, [action], reason)
        assert response.status_code == 200
        assert response.context["form"].errors["reason"] == [
            "Indiquez le motif du refus : il est obligatoire."
        ]
        assert status_of(action) == PublicationStatus.SUBMITTED
        assert not ModerationEvent.objects.exists()

    def test_with_a_reason_eligible_sheets_are_refused_and_notified(
        self, moderator_client, moderator, django_capture_on_commit_callbacks
    ):
        submitter = UserFactory(email="auteure@example.org")
        action = ActionFactory(submitted=True, submitted_by=submitter, title="Forum seniors")
        published = ActionFactory(published=True, title="En ligne")
        with django_capture_on_commit_callbacks(execute=True):
            response = confirm_reject(
                moderator_client, [action, published], "Le bilan manque de chiffres."
            )
        assert response.status_code == 302
        action = Action.objects.get(pk=action.pk)
        assert action.publication_status == PublicationStatus.REJECTED
        assert action.rejection_reason == "Le bilan manque de chiffres."
        assert status_of(published) == PublicationStatus.PUBLISHED
        assert messages_of(response)[0] == "1 fiche refusée."
        assert "« En ligne » ignorée" in messages_of(response)[1]
        event = ModerationEvent.objects.get()
        assert (event.actor, event.reason) == (moderator, "Le bilan manque de chiffres.")
        run_tasks()
        assert [m.to for m in mail.outbox] == [["auteure@example.org"]]
        assert "Le bilan manque de chiffres." in mail.outbox[0].body

    def test_nothing_to_refuse_goes_back_to_the_list(self, moderator_client):
        draft = ActionFactory(title="Brouillon")
        response = run_action(moderator_client, "reject_selected", [draft])
        assert response.status_code == 302
        assert messages_of(response)[0].startswith("« Brouillon » ignorée : seule une fiche")


class TestBackToDraft:
    def test_published_sheets_go_back_to_draft(self, moderator_client):
        published = ActionFactory(published=True)
        draft = ActionFactory(title="Déjà brouillon")
        response = run_action(moderator_client, "back_to_draft", [published, draft])
        assert status_of(published) == PublicationStatus.DRAFT
        assert messages_of(response) == [
            "1 fiche repassée en brouillon.",
            "« Déjà brouillon » ignorée : déjà en brouillon.",
        ]


class TestReviewedVersion:
    """A moderator publishes or refuses the version their page showed, nothing else."""

    def test_every_row_of_the_list_carries_its_version(self, moderator_client):
        action = ActionFactory(submitted=True)
        Action.objects.filter(pk=action.pk).update(version=4)
        content = moderator_client.get(CHANGELIST).content.decode()
        assert f'<input type="hidden" name="reviewed_version_{action.pk}" value="4">' in content

    def test_a_sheet_changed_since_the_page_was_shown_is_not_published_and_is_flagged(
        self, moderator_client, django_capture_on_commit_callbacks
    ):
        action = ActionFactory(submitted=True, title="Forum seniors", submitted_by=UserFactory())
        shown = shown_versions([action])
        Action.objects.filter(pk=action.pk).update(summary="Changé après la lecture.", version=2)
        with django_capture_on_commit_callbacks(execute=True):
            response = run_action(moderator_client, "publish_selected", [action], **shown)
        assert messages_of(response) == [
            "« Forum seniors » ignorée : modifiée depuis votre lecture (vous aviez lu la "
            "version 1, elle en est à la version 2) : relisez-la avant de décider."
        ]
        action = Action.objects.get(pk=action.pk)
        assert action.publication_status == PublicationStatus.SUBMITTED
        assert action.modified_during_review is True
        assert not ModerationEvent.objects.exists()
        assert mail.outbox == []

        listed = moderator_client.get(CHANGELIST)
        assert (
            '<span class="state-badge state-submitted">Soumise</span>'
            '<span class="state-note">modifiée depuis votre lecture</span>'
        ) in listed.content.decode()
        flagged = moderator_client.get(CHANGELIST, {"modified_during_review__exact": "1"})
        assert list(flagged.context["cl"].result_list) == [action]

    def test_the_next_decision_on_the_current_version_clears_the_flag(self, moderator_client):
        action = ActionFactory(submitted=True, modified_during_review=True, version=2)
        run_action(moderator_client, "publish_selected", [action])
        action = Action.objects.get(pk=action.pk)
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert action.modified_during_review is False

    def test_sheets_the_page_did_not_show_are_skipped(self, moderator_client):
        """ "Select all" across pages selects sheets the moderator never saw."""
        shown = ActionFactory(submitted=True, title="Vue")
        unseen = ActionFactory(submitted=True, title="Jamais vue")
        response = moderator_client.post(
            CHANGELIST,
            {
                "action": "publish_selected",
                ACTION_CHECKBOX_NAME: [shown.pk],
                "select_across": "1",
                "index": 0,
                **shown_versions([shown]),
            },
        )
        assert messages_of(response) == [
            "1 fiche publiée.",
            "« Jamais vue » ignorée : absente de la page validée : ouvrez-la pour la relire.",
        ]
        assert status_of(shown) == PublicationStatus.PUBLISHED
        assert status_of(unseen) == PublicationStatus.SUBMITTED

    def test_refusal_carries_the_versions_to_its_confirmation_and_decides_on_them(
        self, moderator_client
    ):
        kept = ActionFactory(submitted=True, title="Inchangée")
        changed = ActionFactory(submitted=True, title="Changée")
        page = run_action(moderator_client, "reject_selected", [kept, changed])
        for action in (kept, changed):
            assert (
                f'<input type="hidden" name="reviewed_version_{action.pk}" value="1">'
                in page.content.decode()
            )
        Action.objects.filter(pk=changed.pk).update(version=2)
        response = confirm_reject(moderator_client, [kept, changed], "Incomplète.")
        assert messages_of(response)[0] == "1 fiche refusée."
        assert "« Changée » ignorée : modifiée depuis votre lecture" in messages_of(response)[1]
        assert status_of(kept) == PublicationStatus.REJECTED
        assert status_of(changed) == PublicationStatus.SUBMITTED

    def test_the_change_page_publishes_the_version_it_shows(self, moderator_client):
        action = ActionFactory(submitted=True, version=3)
        page = moderator_client.get(reverse("admin:actions_action_change", args=[action.pk]))
        form = section_form(page, "moderation-form")
        assert form["reviewed_version_" + str(action.pk)] == "3"
        assert 'value="publish_selected"' in page.content.decode()
        response = moderator_client.post(
            CHANGELIST, {**form, "action": "publish_selected"}, follow=True
        )
        assert response.status_code == 200
        assert status_of(action) == PublicationStatus.PUBLISHED

    def test_the_change_page_offers_no_decision_on_a_draft(self, moderator_client):
        draft = ActionFactory()
        page = moderator_client.get(reverse("admin:actions_action_change", args=[draft.pk]))
        assert page.context["moderation"] is None
        assert 'id="moderation-form"' not in page.content.decode()


class TestAddForm:
    def test_a_double_submitted_add_form_creates_one_sheet(self, admin_client):
        data = form_data(admin_client.get(reverse("admin:actions_action_add")))
        data.update(title="Nouvelle fiche", slug="nouvelle-fiche", structure=StructureFactory().pk)
        assert data["form_token"]
        first = admin_client.post(reverse("admin:actions_action_add"), data)
        second = admin_client.post(reverse("admin:actions_action_add"), data)
        action = Action.objects.get()
        assert first.status_code == second.status_code == 302
        assert second["Location"] == reverse("admin:actions_action_change", args=[action.pk])
        assert "déjà été envoyé" in messages_of(second)[-1]
        assert action.history.count() == 1


class TestAccess:
    def test_a_non_moderator_staff_user_cannot_reach_the_moderation(self, client, federation_staff):
        action = ActionFactory(submitted=True)
        client.force_login(federation_staff)
        assert client.get(CHANGELIST).status_code == 403
        assert run_action(client, "publish_selected", [action]).status_code == 403
        assert confirm_reject(client, [action], "Non").status_code == 403
        change = reverse("admin:actions_action_change", args=[action.pk])
        assert client.get(change).status_code == 403
        assert (
            client.get(reverse("admin:actions_action_history", args=[action.pk])).status_code == 403
        )
        assert status_of(action) == PublicationStatus.SUBMITTED

    def test_a_federation_member_without_staff_status_is_sent_to_the_admin_login(self, client):
        member = MembershipFactory().user
        client.force_login(member)
        response = client.get(CHANGELIST, follow=True)
        assert response.redirect_chain[0][1] == 302
        assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
        assert "pas autorisé à accéder à cette page" in response.content.decode()

    def test_a_moderator_without_staff_status_is_sent_to_the_login(self, client):
        user = ModeratorFactory(is_staff=False)
        client.force_login(user)
        response = client.get(CHANGELIST)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_someone_given_the_change_permission_outside_the_group_cannot_moderate(self, client):
        from django.contrib.auth.models import Permission

        user = UserFactory(is_staff=True)
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_action", "change_action"])
        )
        client.force_login(user)
        response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert not {"publish_selected", "reject_selected", "back_to_draft"} & set(
            response.context["cl"].model_admin.get_actions(response.wsgi_request)
        )

    @pytest.mark.parametrize(
        ("model", "expected"),
        [
            ("actions_action", 200),
            ("actions_moderationevent", 200),
            ("actions_funding", 200),
            ("actions_attachment", 200),
            ("actions_partner", 200),
            ("federations_structure", 200),
            ("federations_federation", 200),
            ("actions_theme", 403),
            ("federations_membership", 403),
            ("auth_user", 403),
        ],
    )
    def test_moderators_reach_what_moderation_needs_and_nothing_else(
        self, moderator_client, model, expected
    ):
        FundingFactory()
        assert moderator_client.get(reverse(f"admin:{model}_changelist")).status_code == expected

    def test_moderators_get_the_moderation_actions_but_not_bulk_deletion(self, moderator_client):
        response = moderator_client.get(CHANGELIST)
        names = [name for name, _ in response.context["action_form"].fields["action"].choices]
        assert names == ["", "publish_selected", "reject_selected", "back_to_draft"]

    def test_superusers_keep_bulk_deletion(self, admin_client):
        response = admin_client.get(CHANGELIST)
        names = [name for name, _ in response.context["action_form"].fields["action"].choices]
        assert "delete_selected" in names
        assert "publish_selected" in names


class TestChangeForm:
    def test_the_publication_state_cannot_be_edited(self, moderator_client):
        action = ActionFactory(submitted=True, title="Avant")
        response = moderator_client.get(reverse("admin:actions_action_change", args=[action.pk]))
        form = response.context["adminform"].form
        for name in publication.PUBLICATION_FIELDS:
            assert name not in form.fields, name

    def test_saving_keeps_the_publication_state_written_meanwhile(
        self, moderator_client, moderator
    ):
        action = ActionFactory(submitted=True, title="Avant")
        url = reverse("admin:actions_action_change", args=[action.pk])
        data = form_data(moderator_client.get(url))
        publication.publish_action(
            action=Action.objects.get(pk=action.pk), user=moderator, reviewed_version=1
        )
        data.update(title="Après", publication_status="draft", published_at="")
        response = moderator_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        action = Action.objects.get(pk=action.pk)
        assert action.title == "Après"
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert action.published_at is not None
        assert action.updated_by == moderator
        assert action.version == 2

    def test_saving_a_form_loaded_before_someone_elses_save_is_refused(
        self, moderator_client, moderator
    ):
        action = ActionFactory(published=True, title="Avant")
        url = reverse("admin:actions_action_change", args=[action.pk])
        data = form_data(moderator_client.get(url))
        # Meanwhile, federation staff save the sheet from the workspace (version 1 → 2).
        Action.objects.filter(pk=action.pk).update(title="Corrigé par la fédération", version=2)
        data.update(title="Corrigé par la modération")
        response = moderator_client.post(url, data)
        assert response.status_code == 409
        errors = response.context["adminform"].form.non_field_errors()
        assert [error.code for error in errors.as_data()] == ["edit_conflict"]
        content = response.content.decode()
        assert "après l&#x27;ouverture de ce formulaire" in content
        differences = response.context["conflict"]["differences"]
        assert [(d.saved, d.typed) for d in differences] == [
            ("Corrigé par la fédération", "Corrigé par la modération")
        ]
        assert 'id="edit-conflict"' in content
        assert response.context["adminform"].form["title"].value() == "Corrigé par la modération"
        assert response.context["adminform"].form["loaded_version"].value() == "2"
        action = Action.objects.get(pk=action.pk)
        assert action.title == "Corrigé par la fédération"
        assert action.version == 2

    @pytest.mark.parametrize("version", [None, "", "x", "0"])
    def test_a_form_without_a_readable_version_is_refused_at_the_top(
        self, moderator_client, version
    ):
        action = ActionFactory(title="Avant")
        url = reverse("admin:actions_action_change", args=[action.pk])
        data = {**form_data(moderator_client.get(url)), "title": "Après"}
        data.pop("loaded_version")
        if version is not None:
            data["loaded_version"] = version
        response = moderator_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.non_field_errors()
        assert errors == ["Version de la fiche illisible : rechargez la page."]
        assert Action.objects.get(pk=action.pk).title == "Avant"

    def test_a_sheet_added_in_the_admin_starts_as_a_draft(self, admin_client, admin_user):
        response = admin_client.get(reverse("admin:actions_action_add"))
        data = form_data(response)
        data.update(
            title="Nouvelle fiche",
            slug="nouvelle-fiche",
            structure=StructureFactory().pk,
            status="ongoing",
            publication_status="published",
        )
        response = admin_client.post(reverse("admin:actions_action_add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        action = Action.objects.get(slug="nouvelle-fiche")
        assert action.publication_status == PublicationStatus.DRAFT
        assert action.published_at is None
        assert action.created_by == admin_user

    def test_it_shows_the_moderation_history(self, moderator_client, moderator):
        action = ActionFactory(submitted=True)
        publication.reject_action(
            action=action,
            user=moderator,
            reason="Il manque le bilan.",
            reviewed_version=action.version,
        )
        response = moderator_client.get(reverse("admin:actions_action_change", args=[action.pk]))
        assert response.status_code == 200
        history = section(response, "moderation-history")
        assert "Maud Érateur" in history
        assert "Soumise → Refusée" in history
        assert "Il manque le bilan." in history

    def test_it_shows_the_latest_changes_with_their_values(self, moderator_client, moderator):
        action = ActionFactory(title="Titre d'origine", submitted=True)
        url = reverse("admin:actions_action_change", args=[action.pk])
        data = form_data(moderator_client.get(url))
        data.update(title="Titre corrigé")
        moderator_client.post(url, data)
        publication.publish_action(
            action=Action.objects.get(pk=action.pk), user=moderator, reviewed_version=2
        )

        changes = section(moderator_client.get(url), "change-history")
        assert "Titre d&#x27;origine → Titre corrigé" in changes
        assert "Soumise → Publiée" in changes
        assert "Création de la fiche" in changes

    def test_the_full_history_is_readable_but_cannot_revert(self, moderator_client):
        action = ActionFactory()
        action.title = "Deuxième titre"
        action.save()
        response = moderator_client.get(reverse("admin:actions_action_history", args=[action.pk]))
        assert response.status_code == 200
        assert "Deuxième titre" in response.content.decode()
        record = action.history.earliest()
        url = reverse("admin:actions_action_simple_history", args=[action.pk, record.pk])
        assert moderator_client.get(url).status_code == 200
        assert moderator_client.post(url, {"title": "Retour"}).status_code == 403
        assert Action.objects.get(pk=action.pk).title == "Deuxième titre"

    def test_only_a_published_sheet_links_to_its_public_page(self, moderator_client):
        draft = ActionFactory()
        published = ActionFactory(published=True)
        draft_page = moderator_client.get(reverse("admin:actions_action_change", args=[draft.pk]))
        assert draft_page.context["has_absolute_url"] is False
        published_page = moderator_client.get(
            reverse("admin:actions_action_change", args=[published.pk])
        )
        assert published_page.context["has_absolute_url"] is True

    def test_moderators_see_the_inlines_read_only_and_can_search_the_structures(
        self, moderator_client
    ):
        action = ActionFactory(structure=StructureFactory(name="Centre social Les Tilleuls"))
        FundingFactory(action=action)
        response = moderator_client.get(reverse("admin:actions_action_change", args=[action.pk]))
        inlines = {
            inline.opts.model._meta.model_name: inline
            for inline in response.context["inline_admin_formsets"]
        }
        assert set(inlines) == {"actionpartner", "funding", "attachment"}
        for inline in inlines.values():
            assert not inline.has_add_permission
            assert not inline.has_change_permission
            assert not inline.has_delete_permission
        autocomplete = moderator_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "actions",
                "model_name": "action",
                "field_name": "structure",
                "term": "Tilleuls",
            },
        )
        assert autocomplete.status_code == 200
        assert [r["text"] for r in autocomplete.json()["results"]] == ["Centre social Les Tilleuls"]


class TestIndex:
    def test_moderators_see_how_many_sheets_await_moderation(self, moderator_client):
        ActionFactory.create_batch(2, submitted=True)
        ActionFactory(modified=True)
        ActionFactory(published=True)
        response = moderator_client.get(reverse("admin:index"))
        block = section(response, "awaiting-moderation")
        assert "3 fiches attendent la modération" in block
        assert "2 soumises" in block
        assert "1 publiée modifiée" in block

    def test_other_staff_do_not(self, client, federation_staff):
        ActionFactory(submitted=True)
        client.force_login(federation_staff)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert "awaiting-moderation" not in response.content.decode()


def form_data(response):
    """The values a browser would post back from an admin change or add form."""
    adminform = response.context["adminform"]
    data = {}
    for name in adminform.form.fields:
        value = adminform.form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def section(response, element_id):
    content = response.content.decode()
    match = re.search(rf'<div class="module[^"]*" id="{element_id}">(.*?)</div>', content, re.S)
    assert match, element_id
    return match.group(1)


def section_form(response, form_id) -> dict:
    """The hidden inputs of the form ``form_id`` of a page, by name."""
    content = response.content.decode()
    match = re.search(rf'<form[^>]*id="{form_id}"[^>]*>(.*?)</form>', content, re.S)
    assert match, form_id
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(1)))
