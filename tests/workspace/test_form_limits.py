"""A request cannot make the sheet form build more lines, or a heavier page, than it accepts;
the partner suggestions of its lines are bounded too."""

import pytest
from django.urls import reverse, reverse_lazy

from actions.models import Action, Partner
from tests.actions.factories import PartnerFactory
from tests.actions.test_text_limits import one_megabyte
from workspace.forms import LINE_LIMIT

from .conftest import MANAGEMENT_PREFIXES, sheet_data, world_of_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
world = world_of_the_module()

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


def test_the_attacked_page_lists_no_partner_on_its_lines(staff_client, world):
    """Each of the 60 partner and funder lines is one text input: the page does not grow
    with the number of partners (a <select> of them all made it megabytes)."""
    PartnerFactory.create_batch(50)
    data = sheet_data(structure=world.structure_a1.pk)
    for prefix in MANAGEMENT_PREFIXES:
        data[f"{prefix}-TOTAL_FORMS"] = "100000"

    response = staff_client.post(reverse("workspace:action_create"), data)

    page = response.content.decode()
    assert "<option" not in page.split('id="partner-names"')[1].split("</datalist>")[0]
    assert page.count('list="partner-names"') == 2 * (LINE_LIMIT + 1)  # + the empty templates
    assert not any(p.name in page for p in Partner.objects.all())


class TestPartnerSuggestions:
    URL = reverse_lazy("workspace:partner_suggestions")

    def test_names_containing_the_typed_text_spelling_aside(self, staff_client, world):
        PartnerFactory(name="Caf de l'Ain")
        PartnerFactory(name="Conseil départemental de l'Ain")
        PartnerFactory(name="Mairie de Lyon")

        response = staff_client.get(self.URL, {"q": "DE L AIN"})

        assert response.json() == {"names": ["Caf de l'Ain", "Conseil départemental de l'Ain"]}

    def test_at_most_twenty_names_in_a_fixed_number_of_queries(
        self, staff_client, world, django_assert_max_num_queries
    ):
        for n in range(30):
            PartnerFactory(name=f"Commune {n:02d}")
        with django_assert_max_num_queries(6):
            names = staff_client.get(self.URL, {"q": "commune"}).json()["names"]
        assert names == [f"Commune {n:02d}" for n in range(20)]

    def test_nothing_typed_suggests_nothing(self, staff_client, world):
        PartnerFactory(name="Caf")
        assert staff_client.get(self.URL, {"q": " ' "}).json() == {"names": []}

    def test_an_overlong_text_is_a_400_with_the_error(self, staff_client, world):
        response = staff_client.get(self.URL, {"q": "a" * 300})
        assert response.status_code == 400
        assert "q" in response.json()["errors"]

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, world):
        PartnerFactory(name="Caf")
        response = client.get(self.URL, {"q": "caf"})
        assert response.status_code == 302
        assert "/comptes/connexion/" in response["Location"]

    def test_accounts_outside_any_federation_are_refused(self, client, world):
        client.force_login(world.outsider)
        assert client.get(self.URL, {"q": "caf"}).status_code == 403


def test_a_megabyte_of_words_in_the_workspace_form_is_a_field_error(staff_client, world):
    data = sheet_data(structure=world.structure_a1.pk, summary=one_megabyte())

    response = staff_client.post(reverse("workspace:action_create"), data)

    assert response.status_code == 200
    assert "au plus 20000 caractères" in " ".join(response.context["form"].errors["summary"])
    assert not Action.objects.filter(title=data["title"]).exists()
