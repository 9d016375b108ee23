import factory
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from actions.enums import ActionStatus, PartnerKind, PartnerRole, PublicationStatus
from actions.models import Action, ActionPartner, Attachment, Funding, Partner, Public, Theme
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


class AttachmentFactory(DjangoModelFactory):
    """A file attached to a sheet; ``content`` gives its bytes (a small PDF by default)."""

    class Meta:
        model = Attachment
        exclude = ["content"]

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    content = b"%PDF-1.4\n%%EOF\n"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="document.pdf"))
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))


def sheet_text(
    title: str = "Atelier cuisine du mercredi",
    structure: str | None = "CENTRE SOCIAL DU PARC - Val-de-Marne",
    *,
    status: str = "En cours",
    end_reason: str | None = None,
    dimension: str = "Citoyenneté",
    themes: tuple[str, ...] = ("Culture", "vacances / loisirs"),
    summary: str = "Un atelier de cuisine partagée chaque mercredi.",
    initiatives: tuple[str, ...] = ("Le centre social",),
    territory: str = "Une commune",
    second_territory: str | None = None,
    experience: str = "Des habitants ont demandé un temps convivial.",
    publics: tuple[str, ...] = ("familles",),
    partners: tuple[str, ...] = ("ANCV",),
    description: str = "Une animatrice prépare les ateliers avec les habitants.",
    financial: str = "CAF : 1 500€\nCommune : 500€",
    people: str = "2 salariés et 3 bénévoles",
    perspectives: str = "Continuer l'an prochain.",
    omit: tuple[str, ...] = (),
) -> str:
    """One action sheet in the published text format (labels from ``actions.sections``).

    Every section is written, in the published order, unless its field is in ``omit``; list
    sections open with the format's lone "-" placeholder.
    """
    from actions.sections import section

    def label(field: str) -> str:
        return f"- {section(field).label}"

    def listing(values) -> list[str]:
        return ["-", *(f"- {value}" for value in values)]

    sections = {
        "structure": [f"- {structure}"] if structure is not None else [],
        "attachments": [],
        "status": [f"- {status}"],
        "end_reason": [end_reason] if end_reason is not None else [],
        "dimension": [f"- {dimension}"],
        "themes": listing(themes),
        "summary": [summary],
        "initiatives": listing(initiatives),
        "territory_scale": [f"- {territory}"],
        "experience": [experience],
        "publics": listing(publics),
        "partners": ["-", "Partenaires d'action:", *(f"- {p}" for p in partners)],
        "second_territory": [f"- {second_territory or territory}"],
        "description": [description],
        "financial_resources": [financial],
        "people_mobilised": [people],
        "result_territory": [],
        "result_centre": [],
        "result_residents": [],
        "limits": [],
        "perspectives": [perspectives],
    }
    if end_reason is None:
        omit = (*omit, "end_reason")
    lines = ["Actions", title]
    for field, content in sections.items():
        if field in omit or (field == "second_territory" and "territory_scale" in omit):
            continue
        lines.append(label("territory_scale" if field == "second_territory" else field))
        lines.extend(line for line in content if line != "")
    return "\n".join(lines) + "\n"


# Public catalogue -------------------------------------------------------------------------------


def dimension(slug: str):
    from actions.models import Dimension

    return Dimension.objects.get(slug=slug)


def initiative(slug: str):
    from actions.models import Initiative

    return Initiative.objects.get(slug=slug)


def territory(slug: str):
    from actions.models import TerritoryScale

    return TerritoryScale.objects.get(slug=slug)


CATALOGUE_THEMES = ["parentalite", "vacances-loisirs", "culture", "vieillissement", "sante"]
CATALOGUE_PUBLICS = ["familles", "seniors", "jeunesse", "enfance"]


def without_history():
    """Build rows without django-simple-history's records, for pages that never show them.

    A sheet made with its themes, publics and initiatives gets four historical records, each
    with a copy of its many-to-many rows: most of the time spent building it."""
    return override_settings(SIMPLE_HISTORY_ENABLED=False)


@without_history()
def build_catalogue(count: int, *, structures=None) -> list[Action]:
    """``count`` published sheets with every related row a public page shows (themes, publics,
    initiatives, partners of both roles, funding lines), spread over ``structures``: the data
    of the query-count tests, which must not depend on ``count``. Public pages never show the
    history: none is written.

    The rows are inserted in bulk (one INSERT per table, the vocabularies read once): the same
    rows as one factory call per row, and the same triggers run (the facet index and the search
    vector follow every row inserted), in a fraction of the time."""
    from tests.federations.factories import FederationFactory, StructureFactory, department

    if structures is None:
        federation = FederationFactory(departments=[department("94")])
        structures = [
            StructureFactory(department=department("94"), federation=federation),
            StructureFactory(department=department("31")),
            StructureFactory(department=department("2A"), federation=federation),
        ]
    caf = PartnerFactory(caf=True)
    commune = PartnerFactory(kind=PartnerKind.COMMUNE)
    ancv = PartnerFactory(name="ANCV", slug="ancv")
    themes = {slug: theme(slug) for slug in CATALOGUE_THEMES}
    publics = {slug: public(slug) for slug in CATALOGUE_PUBLICS}
    centre = initiative("le-centre-social")
    citizenship, commune_scale = dimension("citoyennete"), territory("une-commune")
    actions = Action.objects.bulk_create(
        ActionFactory.build(
            title=f"Séjour partagé n°{n}",
            published=True,
            structure=structures[n % len(structures)],
            year=2015 + n % 10,
            dimension=citizenship,
            territory_scale=commune_scale,
        )
        for n in range(count)
    )
    through = {name: getattr(Action, name).through for name in ("themes", "publics", "initiatives")}
    through["themes"].objects.bulk_create(
        through["themes"](action=action, theme=themes[CATALOGUE_THEMES[(n + shift) % 5]])
        for n, action in enumerate(actions)
        for shift in (0, 2)
    )
    through["publics"].objects.bulk_create(
        through["publics"](action=action, public=publics[CATALOGUE_PUBLICS[n % 4]])
        for n, action in enumerate(actions)
    )
    through["initiatives"].objects.bulk_create(
        through["initiatives"](action=action, initiative=centre) for action in actions
    )
    Funding.objects.bulk_create(
        line
        for n, action in enumerate(actions)
        for line in (
            FundingFactory.build(action=action, funder=caf, amount=1000 + n),
            FundingFactory.build(action=action, funder=commune, amount=500),
        )
    )
    ActionPartner.objects.bulk_create(
        link
        for action in actions
        for link in (
            ActionPartnerFactory.build(action=action, partner=ancv, role=PartnerRole.ACTION),
            ActionPartnerFactory.build(action=action, partner=caf, role=PartnerRole.FINANCIAL),
        )
    )
    return actions
