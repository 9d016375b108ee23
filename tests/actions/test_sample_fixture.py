"""The sample fixtures: built by the importer from the sample sheets, loadable anywhere."""

import difflib
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from actions.enums import PublicationStatus
from actions.models import Action, ActionPartner, Funding, Partner
from federations.models import Federation, Structure
from tests.actions.factories import ActionFactory
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def load(*names):
    call_command("loaddata", *names, verbosity=0)


def test_the_committed_fixtures_are_what_the_importer_builds_from_the_sample(tmp_path):
    call_command("build_sample_fixtures", output_dir=str(tmp_path), stdout=StringIO())
    for name in ("sample_federations.json", "sample_actions.json"):
        built = (tmp_path / name).read_text(encoding="utf-8")
        committed = (FIXTURES / name).read_text(encoding="utf-8")
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(True), built.splitlines(True), "committed", "built", n=1
            )
        )
        assert not diff, f"{name} is stale, run build_sample_fixtures:\n{diff[:3000]}"


def test_building_refuses_a_database_that_already_holds_sheets(tmp_path):
    ActionFactory()
    with pytest.raises(CommandError, match="fraîchement migrée"):
        call_command("build_sample_fixtures", output_dir=str(tmp_path), stdout=StringIO())
    assert list(tmp_path.iterdir()) == []


@shared_data(scope="class")
def loaded_sample():
    load("sample_federations", "sample_actions")


@pytest.mark.usefixtures("loaded_sample")
class TestLoadedSample:
    def test_22_published_actions_with_their_structures_partners_and_funding_lines(self):
        assert Action.objects.count() == Action.objects.published().count() == 22
        assert not Action.objects.filter(published_at=None).exists()
        assert Structure.objects.count() == 22
        assert Partner.objects.count() == 15
        assert ActionPartner.objects.count() == 43
        assert Funding.objects.count() == 14
        assert Federation.objects.count() == 22

    def test_every_structure_belongs_to_the_federation_of_its_departement(self):
        for structure in Structure.objects.select_related("federation", "department"):
            assert structure.department in structure.federation.departments.all()
        nord = Federation.objects.get(name="Fédération des centres sociaux du Nord-Pas-de-Calais")
        assert set(nord.departments.values_list("code", flat=True)) == {"59", "62"}
        assert nord.structures.count() == 2
        assert Federation.objects.get(slug="federation-des-centres-sociaux-de-la-somme")

    def test_the_four_federations_of_the_articles_are_there(self):
        names = set(Federation.objects.values_list("name", flat=True))
        assert {
            "Fédération des centres sociaux du Val-de-Marne",
            "Fédération des centres sociaux de Loire-Atlantique",
            "Fédération des centres sociaux du Nord-Pas-de-Calais",
            "Fédération des centres sociaux du Val-d'Oise",
        } <= names

    def test_facts_other_pages_rely_on(self):
        published = Action.objects.published()
        assert published.filter(themes__slug="vacances-loisirs").count() == 11
        assert published.filter(structure__department__code="94").count() == 2
        trip = published.get(slug="sejour-autofinance-barcelone")
        assert trip.fundings.count() == 6
        assert trip.fundings.aggregate(total=Sum("amount"))["total"] == Decimal("17601")
        newest = published.order_by("-published_at").first()
        assert newest.title == "SAMEDIS FESTIFS"


def test_sample_actions_loads_on_its_own_on_a_fresh_database():
    load("sample_actions")
    assert Action.objects.published().count() == 22
    assert not Structure.objects.filter(federation=None).exists()


def test_load_demo_loads_the_sample_once():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Action.objects.filter(publication_status=PublicationStatus.PUBLISHED).count() == 22
