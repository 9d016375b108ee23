import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from federations import text
from federations.enums import MembershipRole
from federations.models import Membership, Structure
from federations.text import normalize, strip_accents, unique_slug
from federations.validators import validate_siret
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    StructureFactory,
    UserFactory,
    department,
)

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


class TestStructureConstraints:
    def test_structure_name_is_unique_within_a_department_ignoring_case(self):
        StructureFactory(name="Centre social Lavoisier", department=department("77"))
        with pytest.raises(IntegrityError):
            StructureFactory(name="CENTRE SOCIAL LAVOISIER", department=department("77"))

    def test_same_structure_name_is_allowed_in_another_department(self):
        StructureFactory(name="Centre social Lavoisier", department=department("77"))
        other = StructureFactory(name="Centre social Lavoisier", department=department("94"))
        assert other.pk

    def test_unique_name_constraint_reports_a_french_error_on_validation(self):
        StructureFactory(name="La Plaine", department=department("94"))
        duplicate = Structure(name="la plaine", slug="la-plaine-2", department=department("94"))
        with pytest.raises(ValidationError, match="existe déjà dans ce département"):
            duplicate.full_clean()

    def test_database_rejects_a_siret_that_is_not_fourteen_digits(self):
        with pytest.raises(IntegrityError):
            StructureFactory(siret="1234")

    def test_department_cannot_be_deleted_while_structures_use_it(self):
        from django.db.models import ProtectedError

        structure = StructureFactory(department=department("59"))
        with pytest.raises(ProtectedError):
            structure.department.delete()


class TestSiretValidation:
    def test_valid_siret_passes(self):
        validate_siret("73282932000074")  # Apple France, a published SIRET

    @pytest.mark.parametrize("value", ["7328293200007", "7328293200007A", "73282932000075"])
    def test_invalid_siret_is_rejected_with_a_french_message(self, value):
        with pytest.raises(ValidationError) as error:
            validate_siret(value)
        assert "SIRET" in str(error.value)

    def test_a_siret_whose_siren_has_a_wrong_key_is_rejected(self):
        # The SIRET's own Luhn key holds; its SIREN's (123456789) does not.
        with pytest.raises(ValidationError, match="clé de contrôle"):
            validate_siret("12345678900015")

    def test_la_poste_establishments_use_their_own_checksum(self):
        validate_siret("35600000000015")
        with pytest.raises(ValidationError):
            validate_siret("35600000000016")


class TestMembership:
    def test_director_membership_needs_a_structure(self):
        with pytest.raises(IntegrityError):
            Membership.objects.create(
                user=UserFactory(), federation=FederationFactory(), role=MembershipRole.DIRECTOR
            )

    def test_staff_membership_has_no_structure(self):
        federation = FederationFactory()
        with pytest.raises(IntegrityError):
            Membership.objects.create(
                user=UserFactory(),
                federation=federation,
                role=MembershipRole.STAFF,
                structure=StructureFactory(federation=federation),
            )

    def test_director_structure_must_belong_to_the_federation(self):
        membership = Membership(
            user=UserFactory(),
            federation=FederationFactory(),
            role=MembershipRole.DIRECTOR,
            structure=StructureFactory(federation=FederationFactory()),
        )
        with pytest.raises(ValidationError, match="n'appartient pas à cette fédération"):
            membership.full_clean()

    def test_a_user_may_hold_several_memberships(self):
        user = UserFactory()
        MembershipFactory(user=user)
        MembershipFactory(user=user, director=True)
        assert user.memberships.count() == 2


class TestTextHelpers:
    def test_normalize_ignores_case_accents_and_typographic_apostrophes(self):
        assert normalize("Côte-d’Or") == normalize("cote-d'or")
        assert normalize("  La   RÉUNION ") == "la reunion"

    def test_strip_accents_does_what_unaccent_does_for_french(self):
        assert strip_accents("Séjour à l'Œuvre, Noël, ça") == "Sejour a l'OEuvre, Noel, ca"
        assert strip_accents("Straße") == "Strasse"
        assert strip_accents(None) is None

    def test_strip_accents_remembers_the_basic_plane_only(self):
        """Its table of characters stays bounded whatever characters a text holds."""
        rare = "".join(chr(code) for code in range(0x1F300, 0x1F400))  # emoji: kept as they are
        before = len(text._UNACCENTED)
        assert strip_accents(rare) == rare
        assert len(text._UNACCENTED) == before
        assert all(code <= 0xFFFF for code in text._UNACCENTED)

    def test_normalize_folds_ligatures_like_strip_accents(self):
        assert normalize("Œuvre cœur") == normalize("oeuvre coeur") == "oeuvre coeur"

    def test_unique_slug_appends_a_counter_when_taken(self):
        StructureFactory(slug="la-plaine")
        StructureFactory(slug="la-plaine-2")
        assert unique_slug(Structure, "La Plaine") == "la-plaine-3"
