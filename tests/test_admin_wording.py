"""The admin reads as the portal's moderation, in French that reads right: its name, the
titles Django builds from model names (locale_overrides/), and every model's names."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tests.actions.factories import ActionFactory
from tests.federations.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"federations", "actions", "alerts"}
PORTAL_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PORTAL_APPS),
    key=lambda model: model._meta.label,
)


def test_the_admin_is_named_after_the_moderation(admin_client):
    response = admin_client.get(reverse("admin:index"))
    page = response.content.decode()
    assert "Fiches action — modération</a>" in page
    assert "<title>Accueil de la modération | Fiches action — modération</title>" in page
    assert "Django" not in page.split("<body", 1)[1]


def test_the_side_menu_of_models_is_left_out_so_that_lists_have_the_width(admin_client):
    response = admin_client.get(reverse("admin:actions_action_changelist"))
    assert 'id="nav-sidebar"' not in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("admin:federations_membership_add", "Ajout : adhésion"),
        ("admin:federations_invitation_add", "Ajout : invitation"),
        ("admin:actions_action_add", "Ajout : fiche action"),
    ],
)
def test_add_pages_name_the_model_without_a_wrong_article(admin_client, url_name, title):
    response = admin_client.get(reverse(url_name))
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert "Ajout de " not in page


def test_the_change_page_title_names_the_model_without_an_article(admin_client):
    action = ActionFactory()
    response = admin_client.get(reverse("admin:actions_action_change", args=[action.pk]))
    assert "<h1>Modification : fiche action</h1>" in response.content.decode()


def test_the_bulk_deletion_does_not_put_feminine_names_in_the_masculine(admin_client):
    ActionFactory()  # the actions menu shows with rows only
    response = admin_client.get(reverse("admin:actions_action_changelist"))
    page = response.content.decode()
    assert "Supprimer la sélection (fiches action)" in page
    assert "sélectionnés" not in page


def test_the_tasks_results_are_named_in_french():
    from django_tasks_db.models import DBTaskResult

    with translation.override("fr"):
        assert str(DBTaskResult._meta.verbose_name_plural) == "résultats des tâches"


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda model: model._meta.label)
def test_every_model_of_the_portal_declares_its_names_singular_and_plural(model):
    """Not Django's names made from the class's (« moderation event », « moderation events »)."""
    declared = model._meta.original_attrs
    assert "verbose_name" in declared
    assert "verbose_name_plural" in declared
    with translation.override("fr"):
        assert str(model._meta.verbose_name) != str(model._meta.verbose_name_plural)


def test_the_moderation_history_counts_events_in_the_plural():
    from actions.models import ModerationEvent

    with translation.override("fr"):
        assert str(ModerationEvent._meta.verbose_name_plural) == "événements de modération"
    with translation.override("en"):
        assert str(ModerationEvent._meta.verbose_name_plural) == "moderation events"


class TestPeopleAreNamedAsInTheHistory:
    def test_the_change_page_names_the_submitter_and_the_last_editor(self, admin_client):
        submitter = UserFactory(username="alice42", first_name="Alice", last_name="Teure")
        action = ActionFactory(submitted=True, submitted_by=submitter, updated_by=submitter)
        response = admin_client.get(reverse("admin:actions_action_change", args=[action.pk]))
        page = response.content.decode()
        assert '<div class="readonly">Alice Teure</div>' in page
        assert "alice42" not in page
