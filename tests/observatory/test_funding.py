"""Funding by kind of funder: every kind in one group, totals that are the sums of the lines,
medians per funded sheet; the same answers on SQLite (from the lines, in Python) and on
PostgreSQL (from the facet index, ``percentile_cont``)."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from actions.enums import PartnerKind
from actions.models import Action, Funding
from catalogue.filters import ActionFilterSet
from observatory.funding import FUNDER_GROUPS, Amounts, funding_figures
from tests.actions.factories import ActionFactory, FundingFactory, PartnerFactory, theme
from tests.sample import load_sample

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


def test_every_kind_of_partner_is_in_exactly_one_group():
    """The groups the facet index stores (actions.facet_keys), labelled by the observatory."""
    kinds = [kind for group in FUNDER_GROUPS for kind in group.kinds]
    assert sorted(kinds) == sorted(PartnerKind)
    assert {group.key: set(group.kinds) for group in FUNDER_GROUPS} == {
        "caf": {PartnerKind.CAF},
        "etat": {PartnerKind.ETAT},
        "collectivites": {PartnerKind.COMMUNE, PartnerKind.DEPARTEMENT, PartnerKind.REGION},
        "autres": {PartnerKind.ASSOCIATION, PartnerKind.COMPANY, PartnerKind.OTHER},
    }


@pytest.fixture
def funded():
    caf = PartnerFactory(caf=True)
    ville = PartnerFactory(kind=PartnerKind.COMMUNE)
    departement = PartnerFactory(kind=PartnerKind.DEPARTEMENT)
    fondation = PartnerFactory(kind=PartnerKind.COMPANY)
    one = ActionFactory(published=True)
    two = ActionFactory(published=True)
    three = ActionFactory(published=True)
    ActionFactory(published=True)  # no funding line
    draft = ActionFactory()
    FundingFactory(action=one, funder=caf, amount=1000)
    FundingFactory(action=one, funder=ville, amount=300)
    FundingFactory(action=one, funder=departement, amount=200)  # the same group: 500
    FundingFactory(action=two, funder=caf, amount=4000)
    FundingFactory(action=two, funder=fondation, amount="99.99")
    FundingFactory(action=three, funder=caf, amount=2500)
    FundingFactory(action=three, funder=ville, amount=700)
    FundingFactory(action=draft, funder=caf, amount=1_000_000)  # not published
    return {"one": one, "two": two, "three": three}


def filterset(query: str = "") -> ActionFilterSet:
    return ActionFilterSet(data=QueryDict(query), queryset=Action.objects.published())


def funding_of(query: str = ""):
    """The funding of a selection, from the facet index as the counting found it (PostgreSQL)."""
    chosen = filterset(query)
    return funding_figures(chosen.selection, entries=chosen.counts.entries)


def test_totals_medians_and_funded_sheets_per_group(funded):
    figures = funding_of()
    assert figures.groups == {
        "caf": Amounts(Decimal("7500.00"), Decimal("2500.00"), 3),
        "etat": Amounts(Decimal("0.00"), None, 0),
        # 500 (one) and 700 (three): an even count, the mean of the two.
        "collectivites": Amounts(Decimal("1200.00"), Decimal("600.00"), 2),
        "autres": Amounts(Decimal("99.99"), Decimal("99.99"), 1),
    }
    # Sheet totals 1500, 4099.99, 3200: the sheet without funding is not a zero.
    assert figures.whole == Amounts(Decimal("8799.99"), Decimal("3200.00"), 3)


def test_within_a_selection(funded):
    funded["two"].themes.add(theme("culture"))
    funded["three"].themes.add(theme("culture"))
    figures = funding_of("theme=culture")
    assert figures.groups["caf"] == Amounts(Decimal("6500.00"), Decimal("3250.00"), 2)
    assert figures.groups["collectivites"] == Amounts(Decimal("700.00"), Decimal("700.00"), 1)
    assert figures.whole == Amounts(Decimal("7299.99"), Decimal("3650.00"), 2)


@pytest.mark.parametrize("query", ["", "theme=culture&departement=94", "q=séjour&status=ongoing"])
def test_one_query_whatever_the_selection(funded, query):
    chosen = filterset(query)
    entries = chosen.counts.entries
    with CaptureQueriesContext(connection) as queries:
        funding_figures(chosen.selection, entries=entries)
    assert len(queries) == 1


def test_the_same_without_the_entries_the_counting_found(funded):
    funded["two"].themes.add(theme("culture"))
    for query in ("", "theme=culture"):
        assert funding_figures(filterset(query).selection, entries=None) == funding_of(query)


def test_the_whole_catalogues_medians_follow_every_write(funded):
    """On PostgreSQL the whole catalogue's medians come from the entries counted per amount:
    after publications, refusals and changed amounts they are still those of the lines."""
    caf = Funding.objects.filter(action=funded["one"], funder__kind=PartnerKind.CAF).get().funder
    for amount in (2500, 2500, 9000):  # amounts that repeat, as grants do
        FundingFactory(action=ActionFactory(published=True), funder=caf, amount=amount)
    Funding.objects.filter(action=funded["two"], funder=caf).update(amount=2500)
    Action.objects.filter(pk=funded["three"].pk).update(publication_status="draft")

    figures = funding_of()
    assert figures.groups == {
        # 1000, 2500 (two, changed), 2500, 2500, 9000; three's 2500 left with its sheet.
        "caf": Amounts(Decimal("17500.00"), Decimal("2500.00"), 5),
        "etat": Amounts(Decimal("0.00"), None, 0),
        "collectivites": Amounts(Decimal("500.00"), Decimal("500.00"), 1),
        "autres": Amounts(Decimal("99.99"), Decimal("99.99"), 1),
    }
    # Sheet totals 1500, 2599.99, 2500, 2500, 9000.
    assert figures.whole == Amounts(Decimal("18099.99"), Decimal("2500.00"), 5)
    assert funding_figures(filterset("").selection, entries=None) == figures


def test_a_selection_without_funding(funded):
    figures = funding_of("theme=culture")
    assert figures.whole == Amounts(Decimal("0.00"), None, 0)
    assert all(amounts.sheets == 0 for amounts in figures.groups.values())


def test_on_the_sample_data_the_totals_are_the_sums_of_the_funding_lines():
    load_sample()
    lines = Funding.objects.filter(action__publication_status="published")
    by_group = defaultdict(Decimal)
    for amount, kind in lines.values_list("amount", "funder__kind"):
        group = next(group for group in FUNDER_GROUPS if kind in group.kinds)
        by_group[group.key] += amount
    figures = funding_of()
    assert {key: amounts.total for key, amounts in figures.groups.items()} == {
        group.key: by_group[group.key] for group in FUNDER_GROUPS
    }
    assert figures.whole.total == sum(lines.values_list("amount", flat=True)) > 0
    assert figures.whole.sheets == lines.values("action").distinct().count()
