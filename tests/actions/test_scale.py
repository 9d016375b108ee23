"""The query shapes that keep the catalogue fast at national scale give the same answers as the
straightforward ones: selection-side facet counts, deep pages read by ids, the funder facet's
cap, the export's narrow rows."""

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.filters import FUNDER_OPTIONS, ActionFilterSet
from actions.models import Action, Dimension, Initiative, Public, TerritoryScale, Theme
from actions.pagination import DeferredJoinPaginator
from federations.models import Department, Federation, Region
from tests.actions.factories import ActionFactory, FundingFactory, PartnerFactory, build_catalogue

pytestmark = pytest.mark.django_db

# facet_counts(model, path) against the chainable *_counts() it replaces in the catalogue
FACETS = [
    (Theme, "themes", "theme_counts"),
    (Public, "publics", "public_counts"),
    (Dimension, "dimension", "dimension_counts"),
    (Initiative, "initiatives", "initiative_counts"),
    (TerritoryScale, "territory_scale", "territory_scale_counts"),
    (Department, "structure__department", "department_counts"),
    (Region, "structure__department__region", "region_counts"),
    (Federation, "structure__federation", "federation_counts"),
]


@pytest.fixture
def catalogue():
    actions = build_catalogue(12)
    ActionFactory(title="Brouillon", themes=[actions[0].themes.first()])  # never counted
    return actions


@pytest.mark.parametrize(("model", "path", "reference"), FACETS)
@pytest.mark.parametrize(
    "selection",
    [
        lambda qs: qs,
        lambda qs: qs.with_any("themes", ["culture"]),
        lambda qs: qs.filter(structure__department__code="94").with_any("publics", ["seniors"]),
        lambda qs: qs.none(),
    ],
    ids=["all", "one-theme", "departement-and-public", "none"],
)
def test_facet_counts_match_the_straightforward_counts(
    catalogue, model, path, reference, selection
):
    published = selection(Action.objects.published())

    fast = [(row.pk, row.action_count) for row in published.facet_counts(model, path)]
    plain = [(row.pk, row.action_count) for row in getattr(published, reference)()]

    assert fast == plain
    assert len(fast) == model.objects.count()


class TestDeferredJoinPaginator:
    def test_deep_pages_hold_the_same_sheets_in_the_same_order(self, catalogue):
        ordered = Action.objects.catalogue().order_by("-published_at", "-pk")
        plain = Paginator(ordered, 5, orphans=1)
        deferred = DeferredJoinPaginator(ordered, 5, orphans=1)
        deferred.deferred_from = 0

        for number in plain.page_range:
            assert list(deferred.page(number)) == list(plain.page(number))

    def test_the_catalogue_serves_its_last_page(self, client, catalogue, monkeypatch):
        monkeypatch.setattr(DeferredJoinPaginator, "deferred_from", 0)

        response = client.get(reverse("actions:list"), {"page": "last"})

        assert response.status_code == 200
        assert len(response.context["object_list"]) == 12
        assert response.context["page_obj"].number == 1


class TestFunderFacet:
    def test_lists_the_most_frequent_funders_and_the_chosen_one(self, catalogue):
        rare = PartnerFactory(name="Fondation rare", slug="fondation-rare")
        FundingFactory(action=catalogue[0], funder=rare, amount=10)
        for n in range(FUNDER_OPTIONS + 5):
            FundingFactory(
                action=catalogue[n % 12], funder=PartnerFactory(name=f"Commune {n:03d}"), amount=1
            )

        published = Action.objects.published()
        capped = list(published.funder_counts(limit=FUNDER_OPTIONS))
        chosen = list(published.funder_counts(include=["fondation-rare"], limit=FUNDER_OPTIONS))

        assert len(capped) == FUNDER_OPTIONS
        assert capped[0].action_count == 12  # the Caf funds every sheet: first
        assert "fondation-rare" in [row.slug for row in chosen]
        assert len(chosen) == FUNDER_OPTIONS
        assert [row.action_count for row in chosen] == sorted(
            (row.action_count for row in chosen), reverse=True
        )


def test_facets_of_a_search_count_the_same_as_filtering_again(catalogue):
    filterset = ActionFilterSet(
        data={"q": "séjour", "theme": "culture"}, queryset=Action.objects.catalogue()
    )
    again = Action.objects.published().search("séjour")

    theme_facet = next(facet for facet in filterset.facets if facet.name == "theme")
    counts = {option.value: option.count for option in theme_facet.options}

    assert counts == {
        row.slug: row.action_count for row in again.theme_counts() if row.action_count
    }


def test_the_export_reads_only_its_columns(client, catalogue):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("actions:export"))
        body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert len(body.splitlines()) == 13
    assert not [q["sql"] for q in captured if '"actions_action"."experience"' in q["sql"]]


class TestUnfilteredFacetsCache:
    @pytest.fixture(autouse=True)
    def fresh_cache(self, settings):
        settings.CATALOGUE_FACETS_CACHE_SECONDS = 60
        cache.clear()
        yield
        cache.clear()

    def theme_counts(self, client, **params):
        response = client.get(reverse("actions:list"), params)
        facet = next(f for f in response.context["filter"].facets if f.name == "theme")
        return response, {option.value: option.count for option in facet.options}

    def test_the_unfiltered_counts_come_from_the_cache_the_results_never(self, client, catalogue):
        _, before = self.theme_counts(client)
        ActionFactory(title="Nouvelle", published=True, themes=[Theme.objects.get(slug="sante")])

        response, after = self.theme_counts(client)

        assert after == before
        assert response.context["paginator"].count == 13
        assert "Nouvelle" in response.content.decode()

    def test_filtered_counts_are_always_fresh(self, client, catalogue):
        culture = Theme.objects.get(slug="culture")
        _, before = self.theme_counts(client, departement="94")
        structure = Action.objects.filter(structure__department__code="94").first().structure
        ActionFactory(title="Nouvelle", published=True, structure=structure, themes=[culture])

        _, after = self.theme_counts(client, departement="94")

        assert after["culture"] == before.get("culture", 0) + 1

    def test_without_a_duration_nothing_is_cached(self, client, catalogue, settings):
        settings.CATALOGUE_FACETS_CACHE_SECONDS = 0
        _, before = self.theme_counts(client)
        ActionFactory(title="Nouvelle", published=True, themes=[Theme.objects.get(slug="sante")])

        _, after = self.theme_counts(client)

        assert after["sante"] == before.get("sante", 0) + 1


def test_pagination_links_a_window_of_pages_not_every_page(client, catalogue, monkeypatch):
    monkeypatch.setattr("actions.views.ActionListView.paginate_by", 1)

    response = client.get(reverse("actions:list"), {"page": 6})
    html = response.content.decode()

    links = [n for n in range(1, 13) if f"</span>{n}</a>" in html or f"</span>{n}</span>" in html]
    assert links == [1, 4, 5, 6, 7, 8, 12]
    assert html.count("…</span>") == 2
