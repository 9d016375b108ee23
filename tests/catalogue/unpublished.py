"""What no public output may ever show: sheets in every unpublished state, a partner and a
funder that only they name, and the people who wrote them. Each output's tests build these
next to their published data, then look for every marker in what the output returned."""

from types import SimpleNamespace

from actions.enums import PartnerRole
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    theme,
)
from tests.federations.factories import FederationFactory, UserFactory


def unpublished_sheets(structure, *, theme_slug: str = "vacances-loisirs") -> SimpleNamespace:
    """A draft, a submitted and a rejected sheet of ``structure`` (in the theme
    ``theme_slug``, so that a selection by theme would catch them), written by a named person,
    naming a partner and a funder that no published sheet names (so private to the federation
    whose draft typed them, ``Partner.private_to``)."""
    author = UserFactory(
        username="autrice-secrete",
        first_name="Clothilde",
        last_name="Discrète",
        email="clothilde.discrete@example.org",
    )
    owner = structure.federation or FederationFactory()
    partner = PartnerFactory(
        name="Partenaire confidentiel", slug="partenaire-confidentiel", private_to=owner
    )
    funder = PartnerFactory(name="Mécène anonyme", slug="mecene-anonyme", private_to=owner)
    sheets = [
        ActionFactory(
            title=f"Fiche secrète {state}",
            slug=f"fiche-secrete-{state}",
            structure=structure,
            themes=[theme(theme_slug)],
            created_by=author,
            updated_by=author,
            submitted_by=author,
            **{state: True} if state else {},
        )
        for state in ("", "submitted", "rejected")
    ]
    for sheet in sheets:
        ActionPartnerFactory(action=sheet, partner=partner, role=PartnerRole.ACTION)
        FundingFactory(action=sheet, funder=funder, amount=4321)
    markers = [
        *(sheet.title for sheet in sheets),
        *(sheet.slug for sheet in sheets),
        partner.name,
        partner.slug,
        funder.name,
        funder.slug,
        author.username,
        author.email,
        author.first_name,
        author.last_name,
        "4321",
    ]
    return SimpleNamespace(sheets=sheets, partner=partner, funder=funder, markers=markers)


def leaked(text: str, secrets: SimpleNamespace) -> list[str]:
    """The markers of ``secrets`` found in ``text`` (an empty list when nothing leaked)."""
    return [marker for marker in secrets.markers if marker in text]
