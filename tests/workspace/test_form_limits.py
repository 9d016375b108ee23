"""A request cannot make the sheet form build more lines than it accepts."""

import pytest
from django.urls import reverse

from actions.models import Action
from workspace.forms import LINE_LIMIT

from .conftest import MANAGEMENT_PREFIXES, sheet_data

pytestmark = pytest.mark.django_db

FORMSETS = ("partner_formset", "funding_formset", "attachment_formset")


def test_a_huge_total_forms_builds_no_more_lines_than_the_limit(staff_client, world):
    data = sheet_data(structure=world.structure_a1.pk)
    for prefix in MANAGEMENT_PREFIXES:
        data[f"{prefix}-TOTAL_FORMS"] = "100000"

    response = staff_client.post(reverse("workspace:action_create"), data)

    assert response.status_code == 200
    for name in FORMSETS:
        formset = response.context[name]
        assert len(formset.forms) == LINE_LIMIT
        assert formset.non_form_errors()
    assert not Action.objects.filter(title=data["title"]).exists()
