"""The query shapes that keep the catalogue fast at national scale give the same answers as the
straightforward ones: facet counts (facet index on PostgreSQL, grouped queries elsewhere),
pages read by ids, the funder facet's cap, the export's narrow rows."""

import csv
import io

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Theme
from actions.services.publication import back_to_draft
from catalogue.facets.counting import Within, option_counts
from catalogue.facets.declared import FUNDER_OPTIONS, THEME
from catalogue.filters import ActionFilterSet
from catalogue.pagination import DeferredJoinPaginator
from catalogue.search import search
from tests.actions.factories import ActionFactory, FundingFactory, PartnerFactory, build_catalogue
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("catalogue")]


@shared_data(scope="module")
def catalogue():
    actions = build_catalogue(12)
    ActionFactory(title="Brouillon", themes=[actions[0].themes.first()])  # never counted
    return actions


def filterset(query: str) -> ActionFilterSet:
    return ActionFilterSet(data=QueryDict(query), queryset=Action.objects.catalogue())


def results_with(query: str, name: str, value: str, *, tables: dict) -> int:
    """The definition of a facet count: how many sheets the catalogue shows once ``value`` is
    chosen for the facet ``name`` instead of its current values. ``tables``: the facets'
    reference tables (``ActionFilterSet.tables``), read once by the caller, not once per
    value (they do not change meanwhile)."""
    data = QueryDict(query, mutable=True)
    data.setlist(name, [value])
    chosen = ActionFilterSet(data=data, queryset=Action.objects.catalogue())
    chosen.tables = tables
    return chosen.qs.count()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme=culture",
        "departement=94",
        "departement=94&public=seniors",
        "theme=culture&theme=sante&status=ongoing",
        "q=séjour",
        "q=séjour&theme=culture&region=94",
        "funder=caf",
        "year_min=2020",
        "structure=nope&theme=culture",
        "theme=inconnu",
    ],
)
def test_every_facet_count_is_the_number_of_results_once_chosen(catalogue, query):
    """Whatever counts them (the facet index on PostgreSQL, grouped queries elsewhere)."""
    counted = filterset(query)
    for facet in counted.facets:
        listed = {option.value: option.count for option in facet.options}
        for value, count in listed.items():
            assert count == results_with(query, facet.name, value, tables=counted.tables), (
                facet.name,
                value,
            )
        if facet.name == "departement":  # options that give nothing are left out, not others
            for code in ("94", "31", "2A", "75"):
                assert listed.get(code, 0) == results_with(
                    query, facet.name, code, tables=counted.tables
                )


@pytest.mark.parametrize("query", ["", "theme=culture", "theme=culture&departement=94", "q=séjour"])
def test_the_result_count_is_the_number_of_results(client, catalogue, query):
    response = client.get(f"{reverse('catalogue:action_list')}?{query}")

    assert response.context["paginator"].count == filterset(query).qs.count()


def test_counts_follow_every_change_at_once(client, catalogue, admin_user):
    """No cache: a sheet published, edited or withdrawn shows in the counts on the next page."""

    def theme_counts():
        response = client.get(reverse("catalogue:action_list"))
        facet = next(f for f in response.context["filter"].facets if f.name == "theme")
        return {option.value: option.count for option in facet.options}

    before = theme_counts()
    fresh = ActionFactory(published=True, themes=[Theme.objects.get(slug="sante")])
    assert theme_counts()["sante"] == before["sante"] + 1

    fresh.themes.set([Theme.objects.get(slug="culture")])
    assert theme_counts()["sante"] == before["sante"]
    assert theme_counts()["culture"] == before["culture"] + 1

    back_to_draft(action=fresh, user=admin_user)
    assert theme_counts() == before


class TestDeferredJoinPaginator:
    def test_deep_pages_hold_the_same_sheets_in_the_same_order(self, catalogue):
        ordered = Action.objects.catalogue().order_by("-published_at", "-pk")
        plain = Paginator(ordered, 5, orphans=1)
        deferred = DeferredJoinPaginator(ordered, 5, orphans=1)

        for number in plain.page_range:
            assert list(deferred.page(number)) == list(plain.page(number))

    def test_the_catalogue_serves_its_last_page(self, client, catalogue):
        response = client.get(reverse("catalogue:action_list"), {"page": "last"})

        assert response.status_code == 200
        assert len(response.context["object_list"]) == 12
        assert response.context["page_obj"].number == 1


class TestFunderFacet:
    def funder_options(self, query=""):
        facet = next(f for f in filterset(query).facets if f.name == "funder")
        return [(option.value, option.count) for option in facet.options]

    def test_lists_the_most_frequent_funders_and_the_chosen_one(self, catalogue):
        rare = PartnerFactory(name="Fondation rare", slug="fondation-rare")
        FundingFactory(action=catalogue[0], funder=rare, amount=10)
        for n in range(FUNDER_OPTIONS + 5):
            FundingFactory(
                action=catalogue[n % 12], funder=PartnerFactory(name=f"Commune {n:03d}"), amount=1
            )

        capped = self.funder_options()
        chosen = self.funder_options("funder=fondation-rare")

        assert len(capped) == FUNDER_OPTIONS
        assert capped[0] == ("caf", 12)  # the Caf funds every sheet: first
        assert ("fondation-rare", 1) in chosen
        assert len(chosen) == FUNDER_OPTIONS
        counts = [count for _, count in chosen]
        assert counts == sorted(counts, reverse=True)

    def test_a_funding_line_and_a_partnership_count_once(self, catalogue):
        # Every sheet of build_catalogue has the Caf as funding line and financial partner.
        assert dict(self.funder_options())["caf"] == 12


def test_facets_of_a_search_count_the_same_as_filtering_again(catalogue):
    filterset = ActionFilterSet(
        data={"q": "séjour", "theme": "culture"}, queryset=Action.objects.catalogue()
    )
    again = search(Action.objects.published(), "séjour")

    theme_facet = next(facet for facet in filterset.facets if facet.name == "theme")
    counts = {option.value: option.count for option in theme_facet.options}

    # Every theme is listed, those without a sheet of the search with 0.
    assert counts == {row.slug: row.action_count for row in option_counts(THEME, Within(again))}
    assert sum(counts.values()) > 0 and 0 in counts.values()


def test_the_export_reads_the_sheets_in_chunks_with_their_related_rows(
    client, catalogue, monkeypatch
):
    monkeypatch.setattr("catalogue.csv_export.CHUNK_SIZE", 5)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("catalogue:action_export"))
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert len(rows) == 1 + 12
    theme_reads = [q for q in captured if 'FROM "actions_action_themes"' in q["sql"]]
    assert len(theme_reads) == 3  # the themes of 12 sheets, 5 sheets at a time


def test_pagination_links_a_window_of_pages_not_every_page(client, catalogue, monkeypatch):
    monkeypatch.setattr("catalogue.views.ActionListView.paginate_by", 1)

    response = client.get(reverse("catalogue:action_list"), {"page": 6})
    html = response.content.decode()

    links = [n for n in range(1, 13) if f"</span>{n}</a>" in html or f"</span>{n}</span>" in html]
    assert links == [1, 4, 5, 6, 7, 8, 12]
    assert html.count("…</span>") == 2
