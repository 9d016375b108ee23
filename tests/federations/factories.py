import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from federations.enums import MembershipRole, StructureKind
from federations.models import Department, Federation, Membership, Structure
from federations.perms import MODERATORS_GROUP


def department(code: str = "94") -> Department:
    """Départements come from the data migration: look them up, never create them."""
    return Department.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-de-test")

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class ModeratorFactory(UserFactory):
    """A member of the "Modérateurs" group (created by a migration), able to enter the admin."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def moderators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=MODERATORS_GROUP))


class FederationFactory(DjangoModelFactory):
    class Meta:
        model = Federation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Fédération des centres sociaux n°{n}")
    slug = factory.Sequence(lambda n: f"federation-{n}")
    email = factory.LazyAttribute(lambda fed: f"contact@{fed.slug}.example.org")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Centre social n°{n}")
    slug = factory.Sequence(lambda n: f"centre-social-{n}")
    kind = StructureKind.CENTRE_SOCIAL
    department = factory.LazyFunction(department)
    federation = None
    commune = factory.Faker("city", locale="fr_FR")

    class Params:
        evs = factory.Trait(kind=StructureKind.EVS)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    federation = factory.SubFactory(FederationFactory)
    role = MembershipRole.STAFF
    structure = None

    class Params:
        director = factory.Trait(
            role=MembershipRole.DIRECTOR,
            structure=factory.SubFactory(
                StructureFactory, federation=factory.SelfAttribute("..federation")
            ),
        )
