"""The facet index (PostgreSQL): database triggers keep it exact on every kind of write, and its
keys follow the layout the catalogue reads (actions/facet_keys.py, catalogue/facets)."""

import pytest
from django.db import connection
from django.utils import timezone

from actions.enums import ActionStatus, PartnerRole, PublicationStatus
from actions.facet_index import deferred_index, rebuild_index
from actions.facet_keys import STATUS_CODES, facet_key
from actions.models import Action, ActionPartner, FacetEntry, FacetPair, Funding
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


def snapshot():
    entries = {entry.action_id: sorted(entry.keys) for entry in FacetEntry.objects.all()}
    pairs = {(pair.filter_key, pair.key): pair.count for pair in FacetPair.objects.exclude(count=0)}
    return entries, pairs


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
    # Funders are never the first key of a pair: thousands of them, no one-value shortcut.
    assert not FacetPair.objects.filter(filter_key__gte=facet_key("funder", 0)).exists()


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
