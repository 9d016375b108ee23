"""The moderators' digest: one e-mail per hour at most, when new sheets wait."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from alerts import schedule
from alerts.models import ModeratorDigest
from tests.actions.factories import ActionFactory
from tests.federations.factories import ModeratorFactory, StructureFactory, UserFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators():
    return [
        ModeratorFactory(username="modo1", email="modo1@example.org"),
        ModeratorFactory(username="modo2", email="modo2@example.org"),
    ]


def send_due(now=None):
    enqueued = schedule.run_due(now=now)
    run_tasks()
    return enqueued


def test_the_moderators_group_gets_one_digest_with_links_to_the_queue(moderators):
    UserFactory(email="pas-moderatrice@example.org")
    submitted = ActionFactory(title="Forum seniors", submitted=True)
    ActionFactory(title="Modifiée", modified=True)
    ActionFactory(title="Brouillon")
    ActionFactory(title="En ligne", published=True)

    assert send_due().moderator_digest is True
    assert sorted(m.to[0] for m in mail.outbox) == ["modo1@example.org", "modo2@example.org"]
    message = mail.outbox[0]
    assert message.subject == "2 fiches action attendent la modération"
    assert "Forum seniors" in message.body and "Modifiée" in message.body
    assert "Brouillon" not in message.body and "En ligne" not in message.body
    change = reverse("admin:actions_action_change", args=[submitted.pk])
    assert f"http://127.0.0.1:8000{change}" in message.body
    assert "http://127.0.0.1:8000" + reverse("admin:actions_action_changelist") in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_bulk_import_gives_one_digest_not_a_storm(moderators):
    # The 300 submitted sheets in one INSERT (the digest reads them, how they were written
    # does not matter here): a tenth of the time of 300 saves, each firing the triggers.
    Action.objects.bulk_create(
        ActionFactory.build_batch(300, submitted=True, structure=StructureFactory())
    )
    send_due()
    send_due()
    assert len(mail.outbox) == 2  # one per moderator
    assert "300 fiches action attendent" in mail.outbox[0].subject
    assert ModeratorDigest.objects.count() == 1


def test_nothing_is_sent_when_nothing_new_waits(moderators):
    assert send_due().moderator_digest is False
    ActionFactory(submitted=True)
    send_due()
    mail.outbox.clear()
    # The next hour: the same sheet still waits, nothing new arrived.
    Action.objects.update(submitted_at=timezone.now() - timedelta(hours=2))
    ModeratorDigest.objects.update(period=timezone.now() - timedelta(hours=1))
    assert send_due().moderator_digest is False
    assert mail.outbox == []
    # A new sheet arrives: a new digest.
    ActionFactory(submitted=True)
    assert send_due().moderator_digest is True
    assert "2 fiches action attendent" in mail.outbox[0].subject
