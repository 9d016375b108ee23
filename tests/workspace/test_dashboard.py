"""The workspace dashboard: sheets grouped by status, completeness, last change, filters."""

import pytest
from django.urls import reverse

from actions.enums import PublicationStatus
from actions.models import Action, ActionPartner, Funding
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    public,
    theme,
    without_history,
)
from tests.federations.factories import StructureFactory

pytestmark = pytest.mark.db_sensitive

DASHBOARD = "workspace:dashboard"


class TestGroups:
    def test_sheets_are_grouped_by_publication_status_in_working_order(self, staff_client, world):
        structure = world.structure_a1
        ActionFactory(structure=structure, title="Soumise", submitted=True)
        ActionFactory(
            structure=structure,
            title="Refusée",
            publication_status=PublicationStatus.REJECTED,
            rejection_reason="Il manque les <b>résultats</b>.",
        )
        ActionFactory(
            structure=structure,
            title="Publiée puis modifiée",
            published=True,
            modified_since_publication=True,
        )
        response = staff_client.get(reverse(DASHBOARD))
        content = response.content.decode()
        headings = ["Brouillon</h2>", "Soumise</h2>", "Publiée</h2>", "Refusée</h2>"]
        positions = [content.index(heading) for heading in headings]
        assert positions == sorted(positions)
        assert "Il manque les &lt;b&gt;résultats&lt;/b&gt;." in content
        assert "modifiée</span>" in content

    def test_each_row_shows_completeness_and_who_changed_it_last(self, staff_client, world):
        sheet = world.sheet_a1
        sheet.updated_by = world.director_a1
        sheet.save()
        response = staff_client.get(reverse(DASHBOARD))
        row = response.content.decode().split(f'data-action-row="{sheet.pk}"')[1].split("</tr>")[0]
        assert f"{sheet.completeness()} %" in row
        assert f"par {world.director_a1.get_full_name()}" in row

    def test_status_counts_cover_every_sheet_in_reach(self, staff_client, world):
        ActionFactory(structure=world.structure_a2, submitted=True)
        counts = {
            status: count
            for status, _label, count in staff_client.get(reverse(DASHBOARD)).context[
                "status_counts"
            ]
        }
        assert counts == {"draft": 2, "submitted": 1, "published": 0, "rejected": 0}


class TestFilters:
    def test_filter_by_structure(self, staff_client, world):
        response = staff_client.get(reverse(DASHBOARD), {"structure": world.structure_a2.pk})
        assert [a.title for a in response.context["actions"]] == ["Fiche de A2"]

    def test_filter_by_status(self, staff_client, world):
        ActionFactory(structure=world.structure_a2, title="Envoyée", submitted=True)
        response = staff_client.get(reverse(DASHBOARD), {"publication_status": "submitted"})
        assert [a.title for a in response.context["actions"]] == ["Envoyée"]

    def test_an_unknown_status_is_refused_with_a_message(self, staff_client, world):
        response = staff_client.get(reverse(DASHBOARD), {"publication_status": "archived"})
        assert response.status_code == 200
        assert "publication_status" in response.context["filter"].form.errors
        assert "Ces filtres ne sont pas valables" in response.content.decode()


@without_history()  # the dashboard does not show it
def fill(structure, count):
    """``count`` sheets of ``structure``, each with two themes, a public, a partner and a
    funding line of its own: inserted in bulk (one INSERT per table), the same rows and the
    same triggers as one factory call per row."""
    actions = Action.objects.bulk_create(
        ActionFactory.build(
            structure=structure,
            title=f"Action {index}",
            publication_status=["draft", "submitted", "rejected"][index % 3],
        )
        for index in range(count)
    )
    themes, families = [theme("culture"), theme("sante")], public("familles")
    Action.themes.through.objects.bulk_create(
        Action.themes.through(action=action, theme=item) for action in actions for item in themes
    )
    Action.publics.through.objects.bulk_create(
        Action.publics.through(action=action, public=families) for action in actions
    )
    ActionPartner.objects.bulk_create(
        ActionPartnerFactory.build(action=action, partner=PartnerFactory()) for action in actions
    )
    Funding.objects.bulk_create(
        FundingFactory.build(action=action, funder=PartnerFactory()) for action in actions
    )


class TestQueryCounts:
    # Many: more sheets than a page holds (50), so that the page is cut too.
    @pytest.mark.parametrize("count", [1, 13])
    def test_the_dashboard_costs_the_same_queries_for_few_or_many_sheets(
        self, staff_client, world, django_assert_max_num_queries, count
    ):
        for index in range(4):
            fill(StructureFactory(federation=world.federation_a, name=f"Centre {index}"), count)
        # 15: the funding lines are read for completeness (a funding line fills a section).
        with django_assert_max_num_queries(15):
            response = staff_client.get(reverse(DASHBOARD))
        assert len(response.context["actions"]) == min(50, 2 + 4 * count)

    # Many: more history records than the panel shows (8), so that the panel is cut too.
    @pytest.mark.parametrize("lines", [1, 12])
    def test_the_edit_page_costs_the_same_queries_for_few_or_many_lines(
        self, staff_client, world, django_assert_max_num_queries, lines
    ):
        sheet = world.sheet_a1
        for _ in range(lines):
            ActionPartnerFactory(action=sheet)
            FundingFactory(action=sheet)
            sheet.save()  # one history record per line: the history panel is bounded too
        with django_assert_max_num_queries(24):
            response = staff_client.get(reverse("workspace:action_update", args=[sheet.pk]))
        assert response.status_code == 200
