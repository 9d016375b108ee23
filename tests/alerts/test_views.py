"""Subscribing from the catalogue, the double opt-in, managing and unsubscribing."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alerts import schedule, subscriptions
from alerts.models import Alert
from tests.actions.factories import ActionFactory
from tests.alerts.factories import AlertFactory
from tests.federations.factories import UserFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("alerts:subscribe")


@pytest.fixture
def subscribe(django_capture_on_commit_callbacks):
    """Post the catalogue's form, running what the request leaves to its commit."""

    def post(client, email="camille@example.org", query="theme=vacances-loisirs", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                SUBSCRIBE, {"email": email, "query": query, "frequency": "daily", **extra}
            )

    return post


def confirm_url_in(message) -> str:
    return next(line for line in message.body.splitlines() if "/alertes/confirmer/" in line)


class TestCatalogueForm:
    def test_the_catalogue_offers_to_follow_its_current_selection(self, client):
        response = client.get(
            reverse("catalogue:action_list") + "?theme=vacances-loisirs&sort=title"
        )
        assert "Recevoir les nouvelles fiches" in response.content.decode()
        assert response.context["form"].initial["query"] == "theme=vacances-loisirs&sort=title"


class TestDoubleOptIn:
    def test_an_address_alone_receives_only_the_confirmation(self, client, subscribe):
        response = subscribe(client)
        assert response.status_code == 200
        assert "Confirmez votre adresse" in response.content.decode()
        assert mail.outbox == []  # sent by the worker
        run_tasks()
        assert [m.subject for m in mail.outbox] == ["Confirmez votre alerte sur les fiches action"]
        alert = Alert.objects.get()
        assert alert.confirmed_at is None

        Alert.objects.update(created_at=timezone.now() - timedelta(days=3))
        ActionFactory(published=True)
        assert schedule.run_due().alert_digests == 0
        run_tasks()
        assert len(mail.outbox) == 1

    def test_the_link_confirms_on_post_only(self, client, subscribe):
        subscribe(client)
        run_tasks()
        url = confirm_url_in(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
        assert client.get(url).status_code == 200
        assert Alert.objects.get().confirmed_at is None
        response = client.post(url)
        alert = Alert.objects.get()
        assert response.status_code == 302
        assert response.url == alert.manage_url
        assert alert.confirmed_at is not None
        assert alert.covered_until == alert.confirmed_at

    def test_an_expired_or_forged_link_is_refused(self, client, subscribe, settings):
        subscribe(client)
        run_tasks()
        url = confirm_url_in(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
        later = timezone.now() + settings.ALERT_CONFIRMATION_MAX_AGE + timedelta(minutes=1)
        with mock.patch("time.time", return_value=later.timestamp()):
            response = client.post(url)
        assert response.status_code == 410
        assert "a expiré" in response.content.decode()
        assert Alert.objects.get().confirmed_at is None
        assert client.post(url[:-3] + "xyz/").status_code == 410

    def test_a_signed_in_person_is_subscribed_at_once_with_their_address(self, client):
        user = UserFactory(email="direction@centre.example.org")
        client.force_login(user)
        response = client.post(SUBSCRIBE, {"query": "departement=94", "frequency": "weekly"})
        assert response.status_code == 302
        alert = Alert.objects.get()
        assert (alert.email, alert.user, alert.frequency) == (user.email, user, "weekly")
        assert alert.confirmed_at is not None
        run_tasks()
        assert mail.outbox == []

    def test_the_same_selection_twice_is_one_alert(self, client, subscribe):
        subscribe(client)
        subscribe(client, email="Camille@Example.org")
        assert Alert.objects.count() == 1


class TestSavedSelection:
    def test_only_the_catalogue_filters_are_saved(self, client, subscribe):
        subscribe(client, query="theme=vacances-loisirs&page=3&sort=title&bogus=1&departement=94")
        assert Alert.objects.get().query == "theme=vacances-loisirs&departement=94"

    def test_the_alert_is_described_by_the_catalogue_chips(self, client, subscribe):
        subscribe(client, query="theme=vacances-loisirs&q=mer")
        label = Alert.objects.get().label
        assert "« mer »" in label
        assert "Vacances" in label

    def test_bad_input_is_a_form_error_not_a_crash(self, client, subscribe):
        response = subscribe(client, email="pas-une-adresse", query="x" * 5000)
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"email", "query"}
        assert not Alert.objects.exists()


class TestRateLimit:
    def test_one_address_cannot_be_flooded_with_confirmations(self, client, subscribe):
        statuses = [subscribe(client, query=f"year_min={2000 + n}").status_code for n in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        assert Alert.objects.count() == 5

    def test_one_client_cannot_subscribe_without_end(self, client, subscribe):
        statuses = [
            subscribe(client, email=f"personne{n}@example.org").status_code for n in range(22)
        ]
        assert statuses[:20] == [200] * 20
        assert statuses[20:] == [429, 429]


class TestManage:
    def test_a_signed_in_person_sees_only_their_alerts(self, client):
        user = UserFactory(email="direction@centre.example.org")
        mine = AlertFactory(user=user, email=user.email, label="Thème : Vacances")
        AlertFactory(label="Quelqu'un d'autre")
        client.force_login(user)
        response = client.get(reverse("alerts:list"))
        assert list(response.context["alerts"]) == [mine]
        assert "Thème : Vacances" in response.content.decode()

    def test_the_link_of_an_email_lists_the_alerts_of_its_address(self, client):
        first = AlertFactory(email="camille@example.org", query="departement=94")
        second = AlertFactory(email="Camille@example.org", query="departement=31")
        AlertFactory(email="autre@example.org")
        response = client.get(first.manage_url)
        assert set(response.context["alerts"]) == {first, second}
        assert client.get(reverse("alerts:manage", kwargs={"token": "inconnu"})).status_code == 404

    def test_deleting_from_the_list(self, client):
        user = UserFactory(email="direction@centre.example.org")
        alert = AlertFactory(user=user, email=user.email)
        client.force_login(user)
        response = client.post(alert.unsubscribe_url)
        assert response.status_code == 302
        assert not Alert.objects.exists()


class TestOneClickUnsubscribe:
    def test_the_mail_clients_post_works_without_a_session_or_csrf_token(self):
        from django.test import Client

        alert = AlertFactory()
        client = Client(enforce_csrf_checks=True)
        response = client.post(alert.unsubscribe_url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert not Alert.objects.exists()

    def test_an_unknown_token_deletes_nothing(self, client):
        AlertFactory()
        client.post(reverse("alerts:unsubscribe", kwargs={"token": "x"}))
        assert Alert.objects.count() == 1

    def test_get_only_asks(self, client):
        alert = AlertFactory()
        assert client.get(alert.unsubscribe_url).status_code == 200
        assert Alert.objects.count() == 1


def test_confirming_twice_keeps_the_first_date(client):
    alert = AlertFactory(unconfirmed=True)
    subscriptions.confirm(alert=alert)
    first = Alert.objects.get().confirmed_at
    subscriptions.confirm(alert=Alert.objects.get())
    assert Alert.objects.get().confirmed_at == first
