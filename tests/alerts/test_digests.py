"""Alert digests: the new sheets of a saved selection, once per period, through the worker."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from alerts import digests, schedule
from alerts.enums import Frequency
from alerts.models import Digest
from tests.actions.factories import ActionFactory, theme
from tests.alerts.factories import AlertFactory
from tests.federations.factories import StructureFactory, department
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

SELECTION = "theme=vacances-loisirs&departement=94"


def backdate(action, days):
    """As if ``action`` had been published and last changed ``days`` ago."""
    at = timezone.now() - timedelta(days=days)
    Action.objects.filter(pk=action.pk).update(published_at=at, updated_at=at)


@pytest.fixture
def val_de_marne():
    return StructureFactory(name="La Plaine", department=department("94"))


@pytest.fixture
def alert():
    return AlertFactory(email="directrice@centre.example.org", query=SELECTION)


def send_due(now=None):
    enqueued = schedule.run_due(now=now)
    run_tasks()
    return enqueued


class TestDigestContent:
    def test_the_digest_lists_exactly_the_new_matching_sheets_then_nothing_next_period(
        self, alert, val_de_marne
    ):
        holidays = theme("vacances-loisirs")
        new = ActionFactory(
            title="Séjour familles à la mer",
            structure=val_de_marne,
            published=True,
            themes=[holidays],
        )
        old = ActionFactory(
            title="Séjour de l'an dernier",
            structure=val_de_marne,
            published=True,
            themes=[holidays],
        )
        backdate(old, days=10)
        ActionFactory(
            title="Autre thème",
            structure=val_de_marne,
            published=True,
            themes=[theme("vieillissement")],
        )
        ActionFactory(
            title="Autre département",
            published=True,
            themes=[holidays],
            structure=StructureFactory(department=department("31")),
        )
        ActionFactory(title="Brouillon", structure=val_de_marne, themes=[holidays])

        assert send_due().alert_digests == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["directrice@centre.example.org"]
        assert message.subject == "1 nouvelle fiche action pour votre alerte"
        assert "Séjour familles à la mer" in message.body
        for absent in ("Séjour de l'an dernier", "Autre thème", "Autre département", "Brouillon"):
            assert absent not in message.body
        assert reverse("catalogue:action_detail", kwargs={"slug": new.slug}) in message.body
        digest = Digest.objects.get()
        assert (digest.sheet_count, digest.sent_at is not None) == (1, True)

        mail.outbox.clear()
        tomorrow = timezone.now() + timedelta(days=1)
        assert send_due(now=tomorrow).alert_digests == 1
        assert mail.outbox == []
        assert Digest.objects.order_by("period").last().sheet_count == 0

    def test_a_sheet_changed_since_the_last_digest_is_listed_again(self, alert, val_de_marne):
        sheet = ActionFactory(
            structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")]
        )
        backdate(sheet, days=10)
        send_due()
        assert mail.outbox == []
        Action.objects.filter(pk=sheet.pk).update(updated_at=timezone.now() + timedelta(hours=1))
        send_due(now=timezone.now() + timedelta(days=1, hours=2))
        assert [sheet.title in m.body for m in mail.outbox] == [True]

    def test_every_digest_has_a_one_click_unsubscribe_and_both_bodies(self, alert, val_de_marne):
        ActionFactory(structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")])
        send_due()
        message = mail.outbox[0]
        unsubscribe = "http://127.0.0.1:8000" + alert.unsubscribe_url
        assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe in message.body
        assert "http://127.0.0.1:8000" + alert.manage_url in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'href="{unsubscribe}"' in html

    def test_an_unconfirmed_address_receives_no_digest(self, val_de_marne):
        AlertFactory(unconfirmed=True, query=SELECTION)
        ActionFactory(structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")])
        assert send_due().alert_digests == 0
        assert mail.outbox == []

    def test_an_alert_confirmed_today_waits_for_the_next_period(self, val_de_marne):
        AlertFactory(query=SELECTION, confirmed_at=timezone.now())
        ActionFactory(structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")])
        assert send_due().alert_digests == 0
        assert send_due(now=timezone.now() + timedelta(days=1)).alert_digests == 1
        assert len(mail.outbox) == 1

    def test_a_weekly_alert_is_sent_once_a_week(self, val_de_marne):
        AlertFactory(
            query=SELECTION,
            frequency=Frequency.WEEKLY,
            confirmed_at=timezone.now() - timedelta(days=8),
        )
        now = timezone.now()
        assert send_due(now=now).alert_digests == 1
        monday = Frequency.WEEKLY.period_of(timezone.localdate(now))
        days_to_sunday = 6 - (timezone.localdate(now) - monday).days
        assert send_due(now=now + timedelta(days=days_to_sunday)).alert_digests == 0
        assert send_due(now=now + timedelta(days=days_to_sunday + 1)).alert_digests == 1


class TestOncePerPeriod:
    def test_running_the_schedule_twice_sends_one_digest(self, alert, val_de_marne):
        ActionFactory(structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")])
        assert schedule.run_due().alert_digests == 1
        assert schedule.run_due().alert_digests == 0
        run_tasks()
        assert len(mail.outbox) == 1

    def test_a_digest_task_run_twice_sends_once(self, alert, val_de_marne):
        ActionFactory(structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")])
        digest = digests.claim(alert, now=timezone.now())
        digests.send_digest(digest.pk)
        digests.send_digest(digest.pk)
        assert len(mail.outbox) == 1

    def test_send_alerts_command_is_safe_to_run_twice(self, alert, val_de_marne):
        from django.core.management import call_command

        ActionFactory(structure=val_de_marne, published=True, themes=[theme("vacances-loisirs")])
        call_command("send_alerts")
        call_command("send_alerts")
        run_tasks()
        assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_claim_each_period_once(on_postgresql):
    """Two processes' schedules (threads with their own connections) on the same alerts."""
    alerts = [AlertFactory() for _ in range(20)]
    now = timezone.now()
    barrier = threading.Barrier(2)
    claimed = []

    def scheduler():
        try:
            barrier.wait()
            claimed.append(schedule.run_due(now=now).alert_digests)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(claimed) == len(alerts)
    assert Digest.objects.count() == len(alerts)


class TestQueries:
    def test_a_digest_costs_a_fixed_number_of_queries(
        self, val_de_marne, django_assert_max_num_queries
    ):
        holidays = theme("vacances-loisirs")
        for count in (1, 25):
            alert = AlertFactory(query=SELECTION)
            ActionFactory.create_batch(
                count, structure=val_de_marne, published=True, themes=[holidays]
            )
            digest = digests.claim(alert, now=timezone.now())
            # 6: one of them checks that the selection's theme exists (ActionFilterSet.values).
            with django_assert_max_num_queries(6):
                digests.send_digest(digest.pk)
        assert [m.subject.split()[0] for m in mail.outbox] == ["1", "26"]
