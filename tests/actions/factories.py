import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from actions.enums import ActionStatus, PartnerKind, PartnerRole, PublicationStatus
from actions.models import Action, ActionPartner, Funding, Partner, Public, Theme
from tests.federations.factories import StructureFactory


def theme(slug: str) -> Theme:
    """Vocabularies come from the data migration: look them up by slug."""
    return Theme.objects.get(slug=slug)


def public(slug: str) -> Public:
    return Public.objects.get(slug=slug)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    slug = factory.Sequence(lambda n: f"partenaire-{n}")
    kind = PartnerKind.OTHER

    class Params:
        caf = factory.Trait(name="Caf", slug="caf", kind=PartnerKind.CAF)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=4, locale="fr_FR")
    slug = factory.Sequence(lambda n: f"action-{n}")
    structure = factory.SubFactory(StructureFactory)
    status = ActionStatus.ONGOING
    summary = factory.Faker("paragraph", locale="fr_FR")
    experience = factory.Faker("paragraph", locale="fr_FR")
    description = factory.Faker("paragraph", locale="fr_FR")
    year = 2024
    publication_status = PublicationStatus.DRAFT

    class Params:
        published = factory.Trait(
            publication_status=PublicationStatus.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
        submitted = factory.Trait(
            publication_status=PublicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        # Published, then changed by its federation: awaiting moderation again.
        modified = factory.Trait(
            publication_status=PublicationStatus.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            modified_since_publication=True,
        )
        rejected = factory.Trait(
            publication_status=PublicationStatus.REJECTED,
            rejection_reason="Description trop courte",
        )
        finished = factory.Trait(status=ActionStatus.FINISHED, end_reason="Projet mené à terme")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def publics(self, create, extracted, **kwargs):
        if create and extracted:
            self.publics.set(extracted)


class FundingFactory(DjangoModelFactory):
    class Meta:
        model = Funding

    action = factory.SubFactory(ActionFactory)
    funder = factory.SubFactory(PartnerFactory)
    amount = 1000


class ActionPartnerFactory(DjangoModelFactory):
    class Meta:
        model = ActionPartner

    action = factory.SubFactory(ActionFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = PartnerRole.ACTION
