"""The demo data generator: volumes, realism, determinism and the protection of real data."""

import hashlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from actions.enums import PartnerRole, PublicationStatus
from actions.models import (
    Action,
    ActionPartner,
    Dimension,
    Funding,
    Initiative,
    Partner,
    Public,
    TerritoryScale,
    Theme,
)
from federations.enums import StructureKind
from federations.models import Department, Federation, Structure
from federations.validators import validate_siret
from tests.actions.factories import ActionFactory, FundingFactory, PartnerFactory
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

SMALL = {"structures": 20, "actions": 200, "seed": 7}


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_demo_data", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def snapshot() -> list:
    """Everything generated, without primary keys, in a stable order."""
    actions = list(
        Action.objects.order_by("slug").values_list(
            "slug",
            "title",
            "summary",
            "experience",
            "structure__slug",
            "publication_status",
            "published_at",
            "year",
            "total_budget",
        )
    )
    themes = list(
        Action.themes.through.objects.order_by("action__slug", "theme__slug").values_list(
            "action__slug", "theme__slug"
        )
    )
    fundings = list(
        Funding.objects.order_by("action__slug", "funder__slug").values_list(
            "action__slug", "funder__slug", "amount"
        )
    )
    structures = list(
        Structure.objects.order_by("slug").values_list(
            "slug", "name", "department__code", "federation__slug", "siret"
        )
    )
    return [actions, themes, fundings, structures]


def fixtures_digest() -> dict[str, str]:
    folder = settings.BASE_DIR / "fixtures"
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@shared_data(scope="class")
def default_run():
    """One run with the SMALL options for each class that asks for it: its output."""
    return generate()


@pytest.mark.usefixtures("default_run")
class TestADefaultRun:
    def test_creates_the_requested_structures_and_sheets(self, default_run):
        output = default_run

        assert Structure.objects.count() == 20
        assert Action.objects.count() == 200
        assert Federation.objects.count() >= Department.objects.count()
        assert "200 fiches" in output

    def test_every_generated_siret_is_valid(self):
        sirets = list(Structure.objects.exclude(siret="").values_list("siret", flat=True))
        assert len(sirets) == 20
        for siret in sirets:
            validate_siret(siret)

    def test_every_generated_row_is_recognisably_demo_data(self):
        for model in (Federation, Structure, Partner, Action):
            assert not model.objects.exclude(slug__startswith="demo-").exists(), model
        assert not Structure.objects.exclude(email__endswith="@demo.invalid").exists()

    def test_sheets_are_filled_like_published_ones(self):
        assert not Action.objects.filter(themes=None).exists()
        assert not Action.objects.filter(publics=None).exists()
        assert not Action.objects.filter(summary="").exists()
        assert not Action.objects.filter(experience="").exists()
        assert not Action.objects.filter(description="").exists()
        published = Action.objects.filter(publication_status=PublicationStatus.PUBLISHED)
        assert published.count() > 160
        assert not published.filter(published_at=None).exists()
        lines = Action.objects.annotate(n=Count("fundings")).values_list("n", flat=True)
        assert max(lines) <= 5
        assert min(lines) == 0

    def test_funders_are_partners_shared_by_many_sheets(self):
        assert Partner.objects.filter(slug__startswith="demo-caf-").exists()
        busiest = (
            Partner.objects.annotate(n=Count("fundings")).order_by("-n").values_list("n", flat=True)
        )
        assert busiest[0] >= 5
        # each funder is also a financial partner of the sheet
        assert (
            ActionPartner.objects.filter(role=PartnerRole.FINANCIAL).count()
            == Funding.objects.count()
        )

    def test_generated_rows_pass_model_validation(self):
        for structure in Structure.objects.all():
            structure.full_clean()
        for federation in Federation.objects.all()[:10]:
            federation.full_clean()
        for action in Action.objects.order_by("slug")[:25]:
            action.full_clean()

    def test_dates_are_spread_over_the_years_not_set_to_now(self):
        years = set(Action.objects.values_list("created_at__year", flat=True))
        assert len(years) >= 8
        assert min(Action.objects.values_list("year", flat=True)) >= 2015


class TestVolumes:
    def test_structures_cover_every_departement_and_both_kinds(self):
        generate(structures=150, actions=10)

        assert Structure.objects.values("department").distinct().count() == 101
        kinds = dict(Structure.objects.values_list("kind").annotate(n=Count("id")))
        assert set(kinds) == {StructureKind.CENTRE_SOCIAL, StructureKind.EVS}
        assert kinds[StructureKind.CENTRE_SOCIAL] > kinds[StructureKind.EVS]

    def test_theme_frequencies_are_skewed(self):
        generate(actions=600)

        counts = sorted(
            Theme.objects.annotate(n=Count("actions")).values_list("n", flat=True), reverse=True
        )
        assert counts[0] > 5 * counts[len(counts) // 2]

    def test_creates_no_vocabulary_entry(self):
        vocabularies = (Theme, Public, Dimension, Initiative, TerritoryScale)
        before = [model.objects.count() for model in vocabularies]

        generate()

        assert [model.objects.count() for model in vocabularies] == before

    def test_leaves_the_sample_fixtures_untouched(self):
        before = fixtures_digest()

        generate()

        assert fixtures_digest() == before


@pytest.mark.usefixtures("default_run")
class TestDeterminism:
    """Each test runs again over the class's run (``default_run``), in its own savepoint."""

    def test_the_same_seed_gives_the_same_data(self):
        first = snapshot()

        generate(clear=True)

        assert snapshot() == first

    def test_another_seed_gives_other_data(self):
        first = snapshot()

        generate(clear=True, seed=8)

        assert snapshot() != first


class TestRealDataProtection:
    def test_refuses_a_database_holding_real_structures(self):
        ActionFactory(slug="vraie-fiche")

        with pytest.raises(CommandError, match="données réelles"):
            generate()

        assert Action.objects.count() == 1
        assert not Structure.objects.filter(slug__startswith="demo-").exists()

    def test_force_adds_demo_data_next_to_real_data_without_touching_it(self):
        real = ActionFactory(slug="vraie-fiche", title="Vraie fiche")
        FundingFactory(action=real, funder=PartnerFactory(caf=True), amount=1200)

        generate(force=True)

        assert Action.objects.count() == 201
        real.refresh_from_db()
        assert real.title == "Vraie fiche"
        assert real.fundings.get().amount == 1200

    def test_clear_removes_demo_data_only(self):
        real = ActionFactory(slug="vraie-fiche")
        caf = PartnerFactory(caf=True)
        FundingFactory(action=real, funder=caf)
        generate(force=True)

        output = generate(force=True, clear=True, structures=0, actions=0)

        assert "200 fiches" in output
        assert list(Action.objects.all()) == [real]
        assert list(Structure.objects.all()) == [real.structure]
        assert not Federation.objects.filter(slug__startswith="demo-").exists()
        assert not Partner.objects.filter(slug__startswith="demo-").exists()
        assert Partner.objects.filter(pk=caf.pk).exists()
        assert not Funding.objects.exclude(action=real).exists()

    def test_refuses_to_pile_demo_data_on_demo_data_without_clear(self):
        generate()

        with pytest.raises(CommandError, match="--clear"):
            generate()

        assert Action.objects.count() == 200

    def test_refuses_sheets_without_structures(self):
        with pytest.raises(CommandError):
            generate(structures=0)
