"""Following a catalogue selection in a real browser: subscribe, confirm from the e-mail,
see the alert listed, unsubscribe."""

import re

import pytest
from django.core import mail

from alerts.models import Alert
from tests.sample import load_sample
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sample(db):
    load_sample()


def test_subscribe_confirm_see_and_unsubscribe(page, sample, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto("/actions/?theme=vacances-loisirs&departement=94")
    page.get_by_text("Recevoir les nouvelles fiches").click()
    page.get_by_label("Votre adresse électronique").fill("camille@centre.example.org")
    page.get_by_label("Fréquence").select_option("daily")
    page.get_by_role("button", name="Créer l'alerte").click()
    page.get_by_role("heading", name="Confirmez votre adresse").wait_for()

    run_tasks()  # the worker sends the confirmation
    assert len(mail.outbox) == 1
    confirm_url = re.search(r"http\S+/alertes/confirmer/\S+", mail.outbox[0].body).group()
    page.goto(confirm_url)
    page.get_by_role("button", name="Confirmer mon adresse").click()

    page.get_by_role("heading", name="Mes alertes").wait_for()
    listed = page.locator(".alerts li")
    assert listed.count() == 1
    assert "Val-de-Marne" in listed.inner_text()
    assert "Vacances" in listed.inner_text()
    assert Alert.objects.get().query == "theme=vacances-loisirs&departement=94"

    listed.get_by_role("button", name=re.compile("Supprimer")).click()
    page.wait_for_load_state()
    assert "Alerte supprimée" in page.content()
    assert not Alert.objects.exists()
