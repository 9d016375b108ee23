"""The facet index (PostgreSQL): database triggers keep it exact on every kind of write, and its
keys follow the layout the catalogue reads (actions/facet_keys.py, catalogue/facets)."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from actions.enums import ActionStatus, PartnerKind, PartnerRole, PublicationStatus
from actions.facet_index import deferred_index, rebuild_index
from actions.facet_keys import FUNDER_GROUPS, KINDS, STATUS_CODES, UNPAIRED, facet_key
from actions.models import (
    Action,
    ActionPartner,
    FacetEntry,
    FacetFundingAmount,
    FacetFundingTotal,
    FacetPair,
    Funding,
    Partner,
)
from actions.operations import SQL_DIR
from actions.services.publication import back_to_draft, publish_action
from catalogue.facets.counting import Within, headline_figures, option_counts
from catalogue.facets.declared import DEPARTEMENT, FEDERATION, THEME
from federations.models import Department, Region
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    build_catalogue,
    dimension,
    initiative,
    public,
    territory,
    theme,
)
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = pytest.mark.usefixtures("on_postgresql")


FUNDING = [f"funding_{group}" for group in [*FUNDER_GROUPS, "total"]]


def snapshot():
    entries = {
        entry["action_id"]: (sorted(entry["keys"]), [entry[column] for column in FUNDING])
        for entry in FacetEntry.objects.values("action_id", "keys", *FUNDING)
    }
    # A row of zeros and no row both say "nothing funded".
    funding = [
        row
        for row in FacetFundingTotal.objects.values()
        if any(v for k, v in row.items() if k != "id")
    ]
    pairs = {(pair.filter_key, pair.key): pair.count for pair in FacetPair.objects.exclude(count=0)}
    amounts = set(
        FacetFundingAmount.objects.exclude(sheets=0).values_list("funder_group", "cents", "sheets")
    )
    return entries, pairs, funding, amounts


def assert_index_is_exact():
    """What the triggers maintained, row by row, is what a rebuild from the sheets gives."""
    maintained = snapshot()
    rebuild_index()
    assert snapshot() == maintained


def keys_of(action: Action) -> list[int]:
    return FacetEntry.objects.get(action=action).keys


def test_a_sheet_carries_one_key_per_facet_value(admin_user):
    federation = FederationFactory()
    structure = StructureFactory(department=department("59"), federation=federation)
    action = ActionFactory(
        published=True,
        structure=structure,
        status=ActionStatus.ONGOING,
        dimension=dimension("citoyennete"),
        territory_scale=territory("une-commune"),
        themes=[theme("culture"), theme("sante")],
        publics=[public("familles")],
    )
    action.initiatives.set([initiative("le-centre-social")])
    caf, commune, ancv = PartnerFactory(caf=True), PartnerFactory(), PartnerFactory()
    FundingFactory(action=action, funder=caf, amount=100)
    FundingFactory(action=action, funder=caf, amount=50)  # a funder counts once
    ActionPartnerFactory(action=action, partner=commune, role=PartnerRole.FINANCIAL)
    ActionPartnerFactory(action=action, partner=ancv, role=PartnerRole.ACTION)  # not a funder

    expected = {
        0,
        facet_key("theme", theme("culture").pk),
        facet_key("theme", theme("sante").pk),
        facet_key("public", public("familles").pk),
        facet_key("status", STATUS_CODES[ActionStatus.ONGOING]),
        facet_key("departement", department("59").pk),
        facet_key("region", department("59").region_id),
        facet_key("federation", federation.pk),
        facet_key("dimension", dimension("citoyennete").pk),
        facet_key("initiative", initiative("le-centre-social").pk),
        facet_key("territoire", territory("une-commune").pk),
        facet_key("funder", caf.pk),
        facet_key("funder", commune.pk),
        facet_key("year", 2024),
        facet_key("structure", structure.pk),
    }
    assert keys_of(action) == sorted(expected)
    assert FacetPair.objects.get(filter_key=0, key=0).count == 1
    assert (
        FacetPair.objects.get(
            filter_key=facet_key("theme", theme("culture").pk),
            key=facet_key("funder", caf.pk),
        ).count
        == 1
    )
    # Funders, years and structures are never the first key of a pair: no one-value filter.
    assert not FacetPair.objects.filter(filter_key__gte=facet_key("funder", 0)).exists()
    assert FacetPair.objects.get(filter_key=0, key=facet_key("year", 2024)).count == 1
    assert FacetPair.objects.get(filter_key=0, key=facet_key("structure", structure.pk)).count == 1
    # The funding lines per group of funders, in cents: 150 € from the Caf, nothing else.
    entry = FacetEntry.objects.get(action=action)
    assert (entry.funding_caf, entry.funding_total) == (15000, 15000)
    assert entry.funding_etat is entry.funding_collectivites is entry.funding_autres is None
    # And the whole catalogue's funding, in one row.
    total = FacetFundingTotal.objects.get()
    assert (total.caf_cents, total.caf_sheets, total.total_cents, total.etat_sheets) == (
        15000,
        1,
        15000,
        0,
    )


def test_a_sheet_without_funding_line_has_no_funding_and_a_sheet_without_year_no_year_key():
    action = ActionFactory(published=True, year=None)
    entry = FacetEntry.objects.get(action=action)
    assert entry.funding_total is None
    assert not any(key >> 32 == KINDS["year"] for key in entry.keys)


def test_the_sql_has_the_layout_of_facet_keys():
    """The versions in use hold a frozen copy of actions/facet_keys.py."""
    v1 = (SQL_DIR / "facet_index_v1.sql").read_text(encoding="utf-8")
    v2 = (SQL_DIR / "facet_index_v2.sql").read_text(encoding="utf-8")
    for name, kind in KINDS.items():
        assert f"({kind}::bigint << 32)" in v2, name
    unpaired = sorted(kind for name, kind in KINDS.items() if name in UNPAIRED)
    assert f"filter_key >> 32 NOT IN ({', '.join(map(str, unpaired))})" in v2
    funding = v2[v2.index("CREATE FUNCTION actions_facet_funding") :]
    funding = funding[: funding.index("$$;")]
    groups = re.findall(r"OUT (\w+) bigint", funding)
    assert groups == [*FUNDER_GROUPS, "total"]
    kinds = [re.findall(r"'(\w+)'", found) for found in re.findall(r"IN \(([^)]*)\)", funding)]
    assert kinds == [[kind.value for kind in of] for of in FUNDER_GROUPS.values()]
    assert "filter_key >> 32 <> 10" in v1  # version 1, replaced by version 2


def test_the_migration_of_version_2_goes_back_to_version_1_and_forward_again():
    action = ActionFactory(published=True, year=2021, themes=[theme("culture")])
    FundingFactory(action=action, funder=PartnerFactory(kind=PartnerKind.CAF), amount=1200)
    year = facet_key("year", 2021)
    # Checked at once, so that the migration may alter the tables these rows are in (see
    # tests/actions/test_search_vector.py).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("actions", "0011_text_length_limits")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT keys FROM actions_facetentry WHERE action_id = %s", [action.pk])
        (keys,) = cursor.fetchone()
        cursor.execute("SELECT to_regclass('actions_facetfundingtotal')")
        assert cursor.fetchone() == (None,)
    assert facet_key("theme", theme("culture").pk) in keys and year not in keys
    ActionFactory(published=True, year=2021)  # version 1's triggers keep the index
    assert FacetPair.objects.get(filter_key=0, key=0).count == 2

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("actions"))
    assert FacetPair.objects.get(filter_key=0, key=year).count == 2
    entry = FacetEntry.objects.get(action=action)
    assert (entry.funding_caf, entry.funding_total) == (120_000, 120_000)
    assert FacetFundingTotal.objects.values_list("total_cents", "total_sheets").get() == (
        120_000,
        1,
    )


def test_the_migration_of_the_funding_amounts_goes_back_and_forward_again():
    caf = PartnerFactory(kind=PartnerKind.CAF)
    for amount in (1200, 1200, 800):
        FundingFactory(action=ActionFactory(published=True), funder=caf, amount=amount)
    counted = {("caf", 120_000, 2), ("caf", 80_000, 1), ("total", 120_000, 2), ("total", 80_000, 1)}
    assert set(FacetFundingAmount.objects.values_list("funder_group", "cents", "sheets")) == counted
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("actions", "0012_facet_index_years_and_funding")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('actions_facetfundingamount')")
        assert cursor.fetchone() == (None,)
    FundingFactory(action=ActionFactory(published=True), funder=caf, amount=800)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("actions"))
    # The entries already there are counted when the table comes back.
    assert set(FacetFundingAmount.objects.values_list("funder_group", "cents", "sheets")) == {
        ("caf", 120_000, 2),
        ("caf", 80_000, 2),
        ("total", 120_000, 2),
        ("total", 80_000, 2),
    }


def test_only_published_sheets_are_in_the_index(admin_user):
    draft = ActionFactory(themes=[theme("culture")])
    draft.publication_status = PublicationStatus.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.save()
    assert not FacetEntry.objects.exists()

    publish_action(action=draft, user=admin_user, reviewed_version=draft.version)
    assert FacetEntry.objects.filter(action=draft).exists()
    assert FacetPair.objects.get(filter_key=0, key=0).count == 1

    back_to_draft(action=draft, user=admin_user, reason="À revoir")
    assert not FacetEntry.objects.exists()
    assert FacetPair.objects.get(filter_key=0, key=0).count == 0


def test_the_index_stays_exact_through_every_kind_of_write(admin_user):
    actions = build_catalogue(6)
    first, second, third = actions[:3]
    assert_index_is_exact()

    first.themes.add(theme("solidarite"))
    first.publics.clear()
    second.initiatives.set([initiative("un-groupe-dhabitants")])
    assert_index_is_exact()

    line = Funding.objects.filter(action=first).first()
    line.action = second  # a funding line moved to another sheet
    line.save()
    Funding.objects.filter(action=third).update(amount=1234)
    assert_index_is_exact()
    Partner.objects.filter(slug="caf").update(kind=PartnerKind.ETAT)  # funders change kind
    assert_index_is_exact()
    Partner.objects.filter(slug="caf").update(name="Caf du Val-de-Marne")  # refreshes nothing
    ActionPartner.objects.filter(action=third, role=PartnerRole.FINANCIAL).update(
        role=PartnerRole.ACTION
    )
    assert_index_is_exact()

    structure = first.structure
    structure.department = department("75")
    structure.federation = None
    structure.save()
    Department.objects.filter(code="31").update(region=Region.objects.get(code="11"))
    assert_index_is_exact()

    Action.objects.filter(pk__in=[a.pk for a in actions[3:]]).update(
        status=ActionStatus.FINISHED, end_reason="Fini"
    )
    assert_index_is_exact()

    created = Action.objects.bulk_create(
        [
            Action(
                title=f"En masse {n}",
                slug=f"en-masse-{n}",
                structure=second.structure,
                publication_status=PublicationStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(3)
        ]
    )
    Action.themes.through.objects.bulk_create(
        [Action.themes.through(action_id=a.pk, theme_id=theme("culture").pk) for a in created]
    )
    assert_index_is_exact()

    Action.themes.through.objects.filter(theme__slug="sante").delete()
    third.delete()
    assert_index_is_exact()
    assert not FacetEntry.objects.filter(action_id=third.pk).exists()


def test_a_deferred_load_is_indexed_once_at_the_end():
    with deferred_index():
        actions = build_catalogue(3)
        assert not FacetEntry.objects.exists()
    assert FacetEntry.objects.count() == 3
    assert_index_is_exact()

    with connection.cursor() as cursor:  # the deferral ended with the block
        cursor.execute("SELECT actions_facet_index_deferred()")
        assert cursor.fetchone() == (False,)
    actions[0].themes.add(theme("solidarite"))
    assert facet_key("theme", theme("solidarite").pk) in keys_of(actions[0])


def test_network_pages_read_the_same_counts_from_the_index():
    actions = build_catalogue(9)
    ActionFactory(title="Brouillon", themes=[theme("culture")])  # never counted
    published = Action.objects.published()
    federation = actions[0].structure.federation
    in_federation = published.filter(structure__federation=federation)

    def counts(rows):
        return [(row.pk, row.action_count) for row in rows]

    everything, grouped = Within.catalogue(), Within(published)
    assert counts(option_counts(THEME, everything)) == counts(option_counts(THEME, grouped))
    assert counts(option_counts(DEPARTEMENT, everything)) == counts(
        option_counts(DEPARTEMENT, grouped)
    )
    assert counts(option_counts(FEDERATION, everything)) == counts(
        option_counts(FEDERATION, grouped)
    )
    assert counts(option_counts(THEME, Within.value(FEDERATION, federation))) == counts(
        option_counts(THEME, Within(in_federation))
    )
    assert headline_figures(everything) == headline_figures(grouped)
    assert headline_figures(grouped) == {
        "actions": 9,
        "structures": 3,
        "departments": 3,
        "federations": 1,
    }
