from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from actions.enums import ActionStatus, PartnerRole, PublicationStatus
from actions.models import Action, Dimension, Initiative, Public, TerritoryScale, Theme
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    public,
    theme,
)

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


class TestVocabularies:
    def test_every_value_of_the_sample_sheets_is_seeded(self):
        sample_themes = [
            "Culture",
            "vacances / loisirs",
            "Mixité sociale",
            "Vieillissement",
            "intergénérationnel",
            "Parentalité",
            "éducation / scolarité",
            "Démocratie & citoyenneté",
            "Solidarité",
            "discriminations",
            "mobilité / transport",
            "Santé",
            "Europe et International",
            "Précarité",
        ]
        for label in sample_themes:
            assert Theme.objects.match(label), label
        for label in ["Tous publics", "Seniors", "Jeunesse", "Enfance", "familles", "Adultes"]:
            assert Public.objects.match(label), label
        for label in ["Citoyenneté", "Services", "Accompagnement de projets"]:
            assert Dimension.objects.match(label), label
        for label in [
            "Le centre social",
            "Un groupe d'habitants",
            "Un habitant",
            "Un ou plusieurs partenaire(s)",
        ]:
            assert Initiative.objects.match(label), label
        for label in ["Une commune", "Plusieurs communes", "Un quartier", "Plusieurs quartiers"]:
            assert TerritoryScale.objects.match(label), label

    def test_observatory_themes_are_seeded(self):
        for label in [
            "développement durable",
            "Logement",
            "Intégration",
            "Habitants",
            "Famille",
            "évènementiel",
            "alphabétisation & apprentissage du français",
            "Environnement",
            "numérique",
        ]:
            assert Theme.objects.match(label), label

    def test_misspelt_vieillissement_maps_to_the_correct_entry(self):
        entry = Theme.objects.match("Viellissement")
        assert entry.name == "Vieillissement"
        assert entry.slug == "vieillissement"
        assert not Theme.objects.filter(name__iexact="Viellissement").exists()

    def test_theme_slugs_are_the_ones_used_in_catalogue_urls(self):
        assert Theme.objects.get(slug="vacances-loisirs").name == "Vacances / loisirs"

    def test_unknown_label_matches_nothing(self):
        assert Theme.objects.match("Astronomie") is None


class TestActionConstraints:
    def test_slug_is_unique(self):
        ActionFactory(slug="forum-seniors")
        with pytest.raises(IntegrityError):
            ActionFactory(slug="forum-seniors")

    def test_ongoing_action_cannot_carry_an_end_reason(self):
        with pytest.raises(IntegrityError):
            ActionFactory(status=ActionStatus.ONGOING, end_reason="Voyage effectué")

    def test_finished_action_may_carry_an_end_reason(self):
        action = ActionFactory(finished=True)
        assert action.end_reason

    def test_published_action_needs_a_publication_date(self):
        with pytest.raises(IntegrityError):
            ActionFactory(publication_status=PublicationStatus.PUBLISHED, published_at=None)

    def test_status_values_are_stored_in_english(self):
        action = ActionFactory(finished=True, published=True)
        action.refresh_from_db()
        assert action.status == "finished"
        assert action.get_status_display() == "Terminée"
        assert action.publication_status == "published"

    def test_unknown_publication_status_is_rejected_by_the_database(self):
        with pytest.raises(IntegrityError):
            ActionFactory(publication_status="archived")

    def test_total_budget_cannot_be_negative(self):
        with pytest.raises(IntegrityError):
            ActionFactory(total_budget=Decimal("-1"))


class TestFunding:
    def test_amount_cannot_be_negative(self):
        with pytest.raises(IntegrityError):
            FundingFactory(amount=Decimal("-5"))

    def test_total_funding_is_the_sum_of_the_lines(self):
        action = ActionFactory()
        FundingFactory(action=action, amount=Decimal("6700"))
        FundingFactory(action=action, amount=Decimal("3000.50"))
        annotated = Action.objects.with_funding_total().get(pk=action.pk)
        assert annotated.funding_total == Decimal("9700.50")

    def test_total_funding_is_not_multiplied_by_theme_joins(self):
        action = ActionFactory(themes=[theme("culture"), theme("parentalite")])
        FundingFactory(action=action, amount=Decimal("100"))
        annotated = (
            Action.objects.filter(themes__slug__in=["culture", "parentalite"])
            .with_funding_total()
            .distinct()
            .get()
        )
        assert annotated.funding_total == Decimal("100")

    def test_action_without_funding_totals_zero(self):
        action = ActionFactory()
        assert Action.objects.with_funding_total().get(pk=action.pk).funding_total == 0


class TestPartners:
    def test_a_partner_has_each_role_at_most_once_per_action(self):
        link = ActionPartnerFactory(role=PartnerRole.FINANCIAL)
        ActionPartnerFactory(action=link.action, partner=link.partner, role=PartnerRole.ACTION)
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionPartnerFactory(
                action=link.action, partner=link.partner, role=PartnerRole.FINANCIAL
            )

    def test_partner_used_by_a_funding_line_cannot_be_deleted(self):
        from django.db.models import ProtectedError

        line = FundingFactory(funder=PartnerFactory(caf=True))
        with pytest.raises(ProtectedError):
            line.funder.delete()


class TestCompleteness:
    def test_empty_sheet_counts_only_its_structure_and_status(self):
        action = ActionFactory(summary="", experience="", description="")
        assert action.completeness() == 11  # 2 of 18 sections

    def test_a_funding_line_or_a_budget_fills_the_financial_resources(self):
        action = ActionFactory(summary="", experience="", description="", financial_resources="")
        empty = action.completeness()
        FundingFactory(action=action, funder=PartnerFactory(caf=True))
        assert action.completeness() > empty
        budget_only = ActionFactory(summary="", experience="", description="", total_budget=900)
        assert budget_only.completeness() == action.completeness()

    def test_completeness_grows_with_filled_sections(self):
        action = ActionFactory(summary="", experience="", description="")
        before = action.completeness()
        action.summary = "Un résumé"
        action.themes.set([theme("culture")])
        action.publics.set([public("seniors")])
        assert action.completeness() > before
