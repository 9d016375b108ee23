"""Before creating a sheet, warn about a very similar title in the same structure."""

import pytest
from django.urls import reverse

from actions.models import Action
from tests.actions.factories import ActionFactory
from tests.workspace.conftest import sheet_data
from workspace.duplicates import similar_actions, title_similarity


class TestSimilarity:
    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("Séjour familles à la mer", "Sejour familles a la mer"),
            ("Séjour familles à la mer", "Séjour famille à la mer"),
            ("Forum seniors", "FORUM  SÉNIORS"),
            ("Accompagnement à la scolarité (CLAS)", "Accompagnement a la scolarite CLAS"),
        ],
    )
    def test_variants_of_one_title_are_similar(self, first, second):
        assert title_similarity(first, second) >= 0.8

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("Séjour familles à la mer", "Atelier cuisine du monde"),
            ("Forum seniors", "Forum jeunesse"),
            ("Jardin partagé", "Repair café"),
        ],
    )
    def test_different_titles_are_not(self, first, second):
        assert title_similarity(first, second) < 0.8

    def test_only_sheets_of_the_same_structure_count(self, world):
        ActionFactory(structure=world.structure_a2, title="Séjour familles à la mer")
        same = ActionFactory(structure=world.structure_a1, title="Séjour des familles à la mer")
        found = similar_actions(structure=world.structure_a1, title="Sejour familles a la mer")
        assert found == [same]


class TestWarningBeforeCreation:
    @pytest.fixture
    def existing(self, world):
        return ActionFactory(structure=world.structure_a1, title="Séjour familles à la mer")

    def test_a_possible_duplicate_is_shown_with_a_link_and_nothing_is_created(
        self, staff_client, world, existing
    ):
        data = sheet_data(structure=world.structure_a1.pk, title="Séjour famille a la mer")
        response = staff_client.post(reverse("workspace:action_create"), data)
        assert response.status_code == 200
        assert response.context["similar"] == [existing]
        assert "Doublon possible" in response.content.decode()
        edit_url = reverse("workspace:action_update", args=[existing.pk])
        assert f'href="{edit_url}"' in response.content.decode()
        assert 'name="create_anyway"' in response.content.decode()
        assert response.context["form"].has_error("title", "possible_duplicate")
        assert Action.objects.filter(structure=world.structure_a1).count() == 2

    def test_ticking_create_anyway_creates_the_sheet(self, staff_client, world, existing):
        data = sheet_data(
            structure=world.structure_a1.pk, title="Séjour famille a la mer", create_anyway="on"
        )
        response = staff_client.post(reverse("workspace:action_create"), data)
        assert response.status_code == 302
        assert Action.objects.filter(title="Séjour famille a la mer").exists()

    def test_the_same_title_in_another_structure_is_no_duplicate(
        self, staff_client, world, existing
    ):
        data = sheet_data(structure=world.structure_a2.pk, title="Séjour familles à la mer")
        assert staff_client.post(reverse("workspace:action_create"), data).status_code == 302

    def test_editing_an_existing_sheet_does_not_warn(self, staff_client, world, existing):
        ActionFactory(structure=world.structure_a1, title="Séjour familles à la mer 2")
        response = staff_client.post(
            reverse("workspace:action_update", args=[existing.pk]), sheet_data(existing)
        )
        assert response.status_code == 302

    def test_a_duplicate_of_a_published_sheet_links_to_its_public_page_when_it_exists(
        self, client, world
    ):
        published = world.sheet_b1_published
        client.force_login(world.staff_b)
        data = sheet_data(structure=world.structure_b1.pk, title=published.title)
        response = client.post(reverse("workspace:action_create"), data)
        content = response.content.decode()
        assert response.context["similar"] == [published]
        assert f'href="{reverse("workspace:action_update", args=[published.pk])}"' in content
