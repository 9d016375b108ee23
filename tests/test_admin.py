"""Every model is administrable: each changelist and add page renders for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from federations.models import Structure
from tests.actions.factories import ActionFactory, FundingFactory
from tests.federations.factories import StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"actions", "federations"}
)


def test_every_domain_model_is_registered():
    names = {name for _, name in REGISTERED}
    assert {
        "region",
        "department",
        "federation",
        "structure",
        "membership",
        "theme",
        "public",
        "dimension",
        "initiative",
        "territoryscale",
        "partner",
        "action",
        "funding",
        "attachment",
        "moderationevent",
    } <= names


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_renders_for_a_superuser(admin_client, app_label, model_name):
    FundingFactory()
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_add_page_renders_for_a_superuser(admin_client, app_label, model_name):
    model_admin = next(
        ma
        for m, ma in admin.site._registry.items()
        if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)
    )
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    expected = 200 if model_admin.has_add_permission(response.wsgi_request) else 403
    assert response.status_code == expected


def test_action_changelist_shows_the_total_funding(admin_client):
    action = ActionFactory(title="Séjour Autofinancé Barcelone")
    FundingFactory(action=action, amount=6700)
    FundingFactory(action=action, amount=3000)
    response = admin_client.get(reverse("admin:actions_action_changelist"))
    assert "Séjour Autofinancé Barcelone" in response.content.decode()
    assert "9\u202f700 €" in response.content.decode()


def test_action_changelist_filters_by_department(admin_client):
    ActionFactory(title="Dans le Nord", structure__department__code="59")
    response = admin_client.get(
        reverse("admin:actions_action_changelist"), {"structure__department__id__exact": "0"}
    )
    assert response.status_code == 200


def test_every_field_of_a_structure_is_in_one_group_of_its_admin_page(admin_client):
    model_admin = admin.site._registry[Structure]
    grouped = [name for _, options in model_admin.fieldsets for name in options["fields"]]
    editable = [
        field.name
        for field in Structure._meta.concrete_fields
        if field.editable and not field.primary_key
    ]
    assert sorted(grouped) == sorted(editable)
    structure = StructureFactory(management_mode="Associatif", project_axis_2="Accueillir")
    response = admin_client.get(reverse("admin:federations_structure_change", args=[structure.pk]))
    html = response.content.decode()
    for heading in ("Fiche identité", "Axes du projet en cours", "Spécificités de la structure"):
        assert f">{heading}</h2>" in html
    assert 'name="project_axis_2"' in html
