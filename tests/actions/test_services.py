"""Publication rules: every transition of a sheet's publication status."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.enums import PublicationStatus
from actions.models import Action, ModerationEvent
from actions.services import publication
from actions.services.publication import TransitionNotAllowed
from tests.actions.factories import ActionFactory, public, theme
from tests.federations.factories import ModeratorFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


@pytest.fixture
def moderator():
    return ModeratorFactory(username="moderatrice")


@pytest.fixture
def contributor():
    return UserFactory(username="contributrice")


def complete_draft(**kwargs):
    return ActionFactory(themes=[theme("culture")], publics=[public("seniors")], **kwargs)


def reload(action):
    return Action.objects.get(pk=action.pk)


class TestSubmit:
    def test_a_complete_draft_goes_to_moderation(self, contributor):
        action = complete_draft()
        publication.submit_action(action=action, user=contributor)
        action = reload(action)
        assert action.publication_status == PublicationStatus.SUBMITTED
        assert action.submitted_by == contributor
        assert action.submitted_at is not None
        event = action.moderation_events.get()
        assert (event.actor, event.from_status, event.to_status) == (
            contributor,
            PublicationStatus.DRAFT,
            PublicationStatus.SUBMITTED,
        )

    def test_a_draft_without_its_required_sections_is_not_submitted(self, contributor):
        action = ActionFactory(summary="")
        with pytest.raises(TransitionNotAllowed, match="Résumé"):
            publication.submit_action(action=action, user=contributor)
        assert reload(action).publication_status == PublicationStatus.DRAFT
        assert not ModerationEvent.objects.exists()

    def test_a_refused_sheet_can_be_submitted_again_and_loses_its_reason(self, contributor):
        action = complete_draft(rejected=True)
        publication.submit_action(action=action, user=contributor)
        action = reload(action)
        assert action.publication_status == PublicationStatus.SUBMITTED
        assert action.rejection_reason == ""

    def test_a_published_sheet_cannot_be_submitted(self, contributor):
        action = complete_draft(published=True)
        with pytest.raises(TransitionNotAllowed):
            publication.submit_action(action=action, user=contributor)

    def test_submission_sends_no_email(self, contributor, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            publication.submit_action(action=complete_draft(), user=contributor)
        assert mail.outbox == []


class TestPublish:
    def test_a_submitted_sheet_is_published_and_dated(self, moderator):
        action = ActionFactory(submitted=True)
        publication.publish_action(action=action, user=moderator, reviewed_version=action.version)
        action = reload(action)
        assert action.publication_status == PublicationStatus.PUBLISHED
        assert action.published_at is not None
        event = action.moderation_events.get()
        assert (event.actor, event.from_status, event.to_status) == (
            moderator,
            PublicationStatus.SUBMITTED,
            PublicationStatus.PUBLISHED,
        )

    def test_accepting_changes_keeps_the_first_publication_date(self, moderator):
        action = ActionFactory(modified=True)
        first_published_at = action.published_at
        publication.publish_action(action=action, user=moderator, reviewed_version=action.version)
        action = reload(action)
        assert action.published_at == first_published_at
        assert action.modified_since_publication is False

    @pytest.mark.parametrize(
        "traits",
        [{}, {"rejected": True}, {"published": True}],
        ids=["draft", "rejected", "published-unchanged"],
    )
    def test_only_submitted_or_modified_sheets_can_be_published(self, moderator, traits):
        action = ActionFactory(**traits)
        before = action.publication_status
        with pytest.raises(TransitionNotAllowed):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        assert reload(action).publication_status == before
        assert not ModerationEvent.objects.exists()

    def test_the_rules_apply_to_the_database_state_not_a_stale_copy(self, moderator):
        action = ActionFactory(submitted=True)
        stale = Action.objects.get(pk=action.pk)
        publication.publish_action(action=action, user=moderator, reviewed_version=action.version)
        with pytest.raises(TransitionNotAllowed, match="déjà publiée"):
            publication.publish_action(action=stale, user=moderator, reviewed_version=stale.version)
        assert ModerationEvent.objects.count() == 1

    def test_the_publication_state_is_read_under_a_row_lock(self, moderator, on_postgresql):
        action = ActionFactory(submitted=True)
        with CaptureQueriesContext(connection) as queries:
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        assert reads[0].endswith("FOR UPDATE")

    def test_the_email_leaves_only_once_the_transaction_is_committed(
        self, moderator, django_capture_on_commit_callbacks
    ):
        action = ActionFactory(submitted=True, submitted_by=UserFactory())
        with django_capture_on_commit_callbacks() as callbacks:
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
            assert mail.outbox == []
        assert len(callbacks) == 1


class TestReject:
    @pytest.mark.parametrize("reason", ["", "   \n", None])
    def test_a_reason_is_mandatory(self, moderator, reason):
        action = ActionFactory(submitted=True)
        with pytest.raises(TransitionNotAllowed, match="motif est obligatoire"):
            publication.reject_action(
                action=action, user=moderator, reason=reason, reviewed_version=action.version
            )
        assert reload(action).publication_status == PublicationStatus.SUBMITTED
        assert not ModerationEvent.objects.exists()

    def test_a_submitted_sheet_is_refused_with_its_reason(self, moderator):
        action = ActionFactory(submitted=True)
        publication.reject_action(
            action=action,
            user=moderator,
            reason="  Résumé à compléter  ",
            reviewed_version=action.version,
        )
        action = reload(action)
        assert action.publication_status == PublicationStatus.REJECTED
        assert action.rejection_reason == "Résumé à compléter"
        assert action.moderation_events.get().reason == "Résumé à compléter"

    def test_refusing_the_changes_of_a_published_sheet_withdraws_it(self, moderator):
        action = ActionFactory(modified=True)
        publication.reject_action(
            action=action,
            user=moderator,
            reason="Contenu hors sujet",
            reviewed_version=action.version,
        )
        action = reload(action)
        assert action.publication_status == PublicationStatus.REJECTED
        assert action.published_at is None
        assert action.modified_since_publication is False

    @pytest.mark.parametrize("traits", [{}, {"published": True}], ids=["draft", "published"])
    def test_a_sheet_not_awaiting_moderation_cannot_be_refused(self, moderator, traits):
        action = ActionFactory(**traits)
        with pytest.raises(TransitionNotAllowed, match="seule une fiche soumise"):
            publication.reject_action(
                action=action, user=moderator, reason="Non", reviewed_version=action.version
            )


class TestBackToDraft:
    def test_a_published_sheet_goes_back_to_draft_and_leaves_the_catalogue(self, moderator):
        action = ActionFactory(published=True)
        publication.back_to_draft(action=action, user=moderator, reason="À reprendre")
        action = reload(action)
        assert action.publication_status == PublicationStatus.DRAFT
        assert action.published_at is None
        assert action.moderation_events.get().reason == "À reprendre"

    def test_a_draft_stays_a_draft(self, moderator):
        with pytest.raises(TransitionNotAllowed, match="déjà en brouillon"):
            publication.back_to_draft(action=ActionFactory(), user=moderator)

    def test_it_sends_no_email(self, moderator, django_capture_on_commit_callbacks):
        action = ActionFactory(submitted=True, submitted_by=UserFactory())
        with django_capture_on_commit_callbacks(execute=True):
            publication.back_to_draft(action=action, user=moderator)
        assert mail.outbox == []


class TestBulk:
    def test_each_eligible_sheet_is_done_and_the_others_skipped_with_the_reason(self, moderator):
        submitted = ActionFactory.create_batch(2, submitted=True)
        draft = ActionFactory()
        result = publication.apply_to_each(
            publication.publish_action,
            [*submitted, draft],
            user=moderator,
            reviewed_versions={action.pk: action.version for action in [*submitted, draft]},
        )
        assert result.done == submitted
        assert [(action, "Brouillon" in reason) for action, reason in result.skipped] == [
            (draft, True)
        ]
