"""Emails to the submitter and the federation's staff when a sheet is published or refused,
sent by the background worker once the decision is committed."""

import logging
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from actions import notifications
from actions.enums import PublicationStatus
from actions.models import Action
from actions.services import publication
from tests.actions.factories import ActionFactory
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    ModeratorFactory,
    StructureFactory,
    UserFactory,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return ModeratorFactory(username="moderatrice", email="moderation@example.org")


@pytest.fixture
def federation():
    return FederationFactory(name="Fédération des centres sociaux du Val-de-Marne")


@pytest.fixture
def submitter(federation):
    return MembershipFactory(federation=federation, user__email="auteure@fcs94.example.org").user


@pytest.fixture
def colleague(federation):
    return MembershipFactory(federation=federation, user__email="collegue@fcs94.example.org").user


@pytest.fixture
def action(federation, submitter, colleague):
    return ActionFactory(
        title="Séjour familles & loisirs",
        slug="sejour-familles",
        structure=StructureFactory(name="Centre social Les Portes", federation=federation),
        submitted=True,
        submitted_by=submitter,
    )


def recipients_of(outbox):
    return sorted(address for message in outbox for address in message.to)


class TestRecipients:
    def test_the_submitter_and_the_federation_staff_each_once(self, action, submitter):
        MembershipFactory(federation=action.structure.federation, user=UserFactory(email=""))
        MembershipFactory(
            federation=FederationFactory(), user=UserFactory(email="autre@example.org")
        )
        MembershipFactory(
            director=True,
            federation=action.structure.federation,
            user__email="direction@example.org",
        )
        MembershipFactory(
            federation=action.structure.federation,
            user=UserFactory(email="ancienne@example.org", is_active=False),
        )
        # The submitter is also on the staff: one address, not two.
        assert notifications.recipients(action) == [
            "auteure@fcs94.example.org",
            "collegue@fcs94.example.org",
        ]

    def test_addresses_differing_only_by_case_are_one_recipient(self, action, colleague):
        MembershipFactory(
            federation=action.structure.federation,
            user=UserFactory(email="Collegue@FCS94.example.org"),
        )
        assert len(notifications.recipients(action)) == 2

    def test_a_structure_without_federation_reaches_only_the_submitter(self):
        submitter = UserFactory(email="seule@example.org")
        action = ActionFactory(structure__federation=None, submitted_by=submitter)
        assert notifications.recipients(action) == ["seule@example.org"]

    def test_a_sheet_submitted_by_nobody_reaches_the_federation_staff(self, action):
        action.submitted_by = None
        action.save()
        assert notifications.recipients(action) == [
            "auteure@fcs94.example.org",
            "collegue@fcs94.example.org",
        ]


class TestPublished:
    def test_each_recipient_gets_the_public_link_in_french(
        self, action, moderator, settings, django_capture_on_commit_callbacks
    ):
        settings.SITE_URL = "https://fiches.example.org"
        with django_capture_on_commit_callbacks(execute=True):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        assert mail.outbox == []  # not in the request: the worker sends it
        run_tasks()

        assert recipients_of(mail.outbox) == [
            "auteure@fcs94.example.org",
            "collegue@fcs94.example.org",
        ]
        message = mail.outbox[0]
        assert len(message.to) == 1
        assert message.subject == "Fiche action publiée : Séjour familles & loisirs"
        assert "« Séjour familles & loisirs » (Centre social Les Portes)" in message.body
        assert "est publiée" in message.body
        public_url = "https://fiches.example.org" + reverse(
            "catalogue:action_detail", kwargs={"slug": "sejour-familles"}
        )
        assert f"\n{public_url}\n" in message.body
        assert "&amp;" not in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'href="{public_url}"' in html
        assert "Séjour familles &amp; loisirs" in html

    def test_the_publication_date_is_written_the_french_way(
        self, action, moderator, django_capture_on_commit_callbacks
    ):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        first_of_december = datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
        with (
            mock.patch("django.utils.timezone.now", return_value=first_of_december),
            django_capture_on_commit_callbacks(execute=True),
        ):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        run_tasks()
        assert "depuis le 1er décembre 2026." in " ".join(mail.outbox[0].body.split())

    def test_the_email_is_in_french_whatever_the_moderator_language(
        self, action, moderator, django_capture_on_commit_callbacks
    ):
        from django.utils import translation

        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        with translation.override("en"):
            run_tasks()
        assert mail.outbox[0].subject.startswith("Fiche action publiée")
        assert "Bonjour," in mail.outbox[0].body


class TestRejected:
    def test_each_recipient_gets_the_reason(
        self, action, moderator, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            publication.reject_action(
                action=action,
                user=moderator,
                reason="Le résumé ne décrit pas l'action.",
                reviewed_version=action.version,
            )
        run_tasks()
        assert recipients_of(mail.outbox) == [
            "auteure@fcs94.example.org",
            "collegue@fcs94.example.org",
        ]
        message = mail.outbox[0]
        assert message.subject == "Fiche action refusée : Séjour familles & loisirs"
        assert "a été refusée par la modération" in message.body
        assert "Le résumé ne décrit pas l'action." in message.body
        assert (
            reverse("catalogue:action_detail", kwargs={"slug": "sejour-familles"})
            not in message.body
        )
        edit_url = reverse("workspace:action_update", kwargs={"pk": action.pk})
        assert f"http://127.0.0.1:8000{edit_url}\n" in message.body
        assert f'href="http://127.0.0.1:8000{edit_url}"' in message.alternatives[0][0]


class TestFailures:
    def test_a_mail_server_failure_fails_the_task_and_it_is_tried_again_later(
        self, action, moderator, settings, django_capture_on_commit_callbacks
    ):
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        settings.TASK_MAX_ATTEMPTS = 2
        with django_capture_on_commit_callbacks(execute=True):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        assert Action.objects.get(pk=action.pk).publication_status == PublicationStatus.PUBLISHED

        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPException("serveur indisponible"),
        ):
            run_tasks()
        assert mail.outbox == []
        failed = DBTaskResult.objects.get(status="FAILED")
        assert failed.task_path == "actions.tasks.notify_published"
        assert "SMTPException" in failed.traceback
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.args_kwargs["kwargs"] == {"action_id": action.pk, "attempt": 2}
        # Backed off: not run before its time.
        assert retry.run_after > timezone.now() + settings.TASK_RETRY_DELAY * 0.9
        assert run_tasks() == 0

        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_tasks()
        assert recipients_of(mail.outbox) == [
            "auteure@fcs94.example.org",
            "collegue@fcs94.example.org",
        ]

    def test_after_the_last_attempt_nothing_is_tried_again(
        self, action, moderator, settings, caplog, django_capture_on_commit_callbacks
    ):
        from django_tasks_db.models import DBTaskResult

        settings.TASK_MAX_ATTEMPTS = 1
        with django_capture_on_commit_callbacks(execute=True):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        with (
            mock.patch(
                "django.core.mail.backends.locmem.EmailBackend.send_messages",
                side_effect=smtplib.SMTPException("serveur indisponible"),
            ),
            caplog.at_level(logging.ERROR, logger="mailing.retries"),
        ):
            run_tasks()
        assert not DBTaskResult.objects.filter(status="READY").exists()
        given_up = [r for r in caplog.records if r.name == "mailing.retries"]
        assert "abandonnée après 1 essais" in given_up[-1].getMessage()

    def test_a_missing_public_url_is_logged_rather_than_a_broken_link_sent(
        self, action, moderator, caplog, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
        with (
            mock.patch.object(Action, "get_absolute_url", side_effect=NoReverseMatch("detail")),
            caplog.at_level(logging.ERROR, logger="actions.notifications"),
        ):
            run_tasks()
        assert mail.outbox == []
        logged = [r for r in caplog.records if r.name == "actions.notifications"]
        assert logged[-1].exc_info[0] is NoReverseMatch
        # A link that cannot be made will not be made later: not tried again.
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    def test_no_recipient_means_no_email_and_a_warning(
        self, moderator, caplog, django_capture_on_commit_callbacks
    ):
        action = ActionFactory(structure__federation=None, submitted=True)
        with (
            caplog.at_level(logging.WARNING, logger="actions.notifications"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            publication.reject_action(
                action=action, user=moderator, reason="Hors sujet", reviewed_version=action.version
            )
        run_tasks()
        assert mail.outbox == []
        logged = [r for r in caplog.records if r.name == "actions.notifications"]
        assert "aucun destinataire" in logged[-1].getMessage()

    def test_nothing_is_sent_when_the_transaction_is_rolled_back(
        self, action, moderator, django_capture_on_commit_callbacks
    ):
        from django.db import transaction

        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            publication.publish_action(
                action=action, user=moderator, reviewed_version=action.version
            )
            raise RuntimeError
        assert run_tasks() == 0
        assert mail.outbox == []
        assert Action.objects.get(pk=action.pk).publication_status == PublicationStatus.SUBMITTED
