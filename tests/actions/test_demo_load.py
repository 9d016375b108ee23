"""The demo generator's load on PostgreSQL: chunks written by threads through ``COPY``, search
vectors computed as each sheet is inserted, the facet index rebuilt once at the end. What it
leaves must be what the triggers give when they maintain everything row by row."""

import pytest
from django.db import connection

from actions.demo import generator, marks
from actions.enums import PublicationStatus
from actions.facet_index import DEFERRAL_SETTING
from actions.models import Action, FacetEntry, FacetFundingAmount, FacetFundingTotal, FacetPair
from pagecache.models import CatalogueVersion

# Threads write on their own connections: the test's rows must be committed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("on_postgresql")]


def derived_data() -> dict[str, list]:
    """Every row the triggers maintain, in a stable order."""
    return {
        "entries": list(
            FacetEntry.objects.order_by("action_id").values_list(
                "action_id",
                "keys",
                "funding_caf",
                "funding_etat",
                "funding_collectivites",
                "funding_autres",
                "funding_total",
            )
        ),
        "pairs": list(
            FacetPair.objects.exclude(count=0).order_by("filter_key", "key").values_list()
        ),
        "totals": list(FacetFundingTotal.objects.values_list()),
        "amounts": list(
            FacetFundingAmount.objects.exclude(sheets=0)
            .order_by("funder_group", "cents")
            .values_list("funder_group", "cents", "sheets")
        ),
        "vectors": list(Action.objects.order_by("pk").values_list("pk", "search_vector")),
    }


def maintain_row_by_row() -> None:
    """Empty the facet index (its triggers off), then write every sheet again with every
    trigger on: the index is refilled by its statement triggers, each vector recomputed by
    its row trigger."""
    tables = [m._meta.db_table for m in (FacetPair, FacetFundingAmount, FacetFundingTotal)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', false)", [DEFERRAL_SETTING])
        cursor.execute(f"DELETE FROM {FacetEntry._meta.db_table}")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("SELECT set_config(%s, 'off', false)", [DEFERRAL_SETTING])
        assert not FacetEntry.objects.exists()
        cursor.execute("UPDATE actions_action SET status = status")
        cursor.execute("UPDATE actions_action SET search_vector = NULL")


def test_a_threaded_load_leaves_what_the_triggers_give_row_by_row():
    version_before = CatalogueVersion.objects.get().number

    report = generator.generate(structures=12, actions=240, seed=3, batch_size=50, writers=2)

    assert report.counts["actions"] == 240
    loaded = derived_data()
    published = Action.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    assert len(loaded["entries"]) == published.count() > 150
    assert all(vector for _, vector in loaded["vectors"])
    assert loaded["pairs"] and loaded["amounts"] and loaded["totals"]
    assert CatalogueVersion.objects.get().number > version_before

    maintain_row_by_row()

    assert derived_data() == loaded


def test_a_threaded_load_gives_the_data_of_a_load_on_one_connection():
    generator.generate(structures=8, actions=120, seed=5, batch_size=25, writers=3)
    threaded = list(Action.objects.order_by("pk").values_list("slug", "title", "summary"))
    marks.clear_demo_data()

    generator.generate(structures=8, actions=120, seed=5, batch_size=25, writers=0)
    alone = list(Action.objects.order_by("pk").values_list("slug", "title", "summary"))

    assert threaded == alone
