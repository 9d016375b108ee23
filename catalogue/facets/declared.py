"""The facets of the catalogue, in the order of the sidebar. Adding one is one declaration here
(see the package docstring). Then the values counted without being facets (``TALLIES``) and the
facets of the structure directory (``STRUCTURE_FACETS``), which count structures."""

from dataclasses import replace

from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from actions.enums import ActionStatus
from actions.facet_keys import STATUS_CODES
from actions.models import Dimension, Initiative, Partner, Public, TerritoryScale, Theme
from federations.enums import StructureKind
from federations.models import Department, Federation, Region, Structure

from .declaration import (
    CHECKBOX,
    DEPARTMENT_CODE,
    RADIO,
    REGION_CODE,
    SELECT,
    Choices,
    Facet,
    FundedBy,
    MostFrequent,
    Path,
    Reference,
    Tally,
    Values,
    YesNo,
)

# The funder facet lists the most frequent funders of the selection (and the chosen one).
FUNDER_OPTIONS = 50

THEME = Facet(
    "theme",
    _("Thèmes"),
    CHECKBOX,
    Reference(Theme),
    Path("themes"),
    key="theme",
)
PUBLIC = Facet("public", _("Publics"), CHECKBOX, Reference(Public), Path("publics"), key="public")
STATUS = Facet(
    "status",
    _("Statut"),
    RADIO,
    Choices(ActionStatus, codes=STATUS_CODES),
    Path("status"),
    key="status",
)
DEPARTEMENT = Facet(
    "departement",
    _("Départements"),
    CHECKBOX,
    Reference(
        Department,
        "code",
        label=Concat(F("name"), Value(" ("), F("code"), Value(")")),
        pattern=DEPARTMENT_CODE,
    ),
    Path("structure__department"),
    key="departement",
)
REGION = Facet(
    "region",
    _("Région"),
    SELECT,
    Reference(Region, "code", pattern=REGION_CODE),
    Path("structure__department__region"),
    key="region",
    all_label=_("Toutes"),
)
FEDERATION = Facet(
    "federation",
    _("Fédération"),
    SELECT,
    Reference(Federation),
    Path("structure__federation"),
    key="federation",
    all_label=_("Toutes"),
)
DIMENSION = Facet(
    "dimension",
    _("Dimension"),
    SELECT,
    Reference(Dimension),
    Path("dimension"),
    key="dimension",
    all_label=_("Toutes"),
)
INITIATIVE = Facet(
    "initiative",
    _("À l'initiative de"),
    SELECT,
    Reference(Initiative),
    Path("initiatives"),
    key="initiative",
)
TERRITORY = Facet(
    "territoire",
    _("Territoire concerné"),
    SELECT,
    Reference(TerritoryScale),
    Path("territory_scale"),
    key="territoire",
)
FUNDER = Facet(
    "funder",
    _("Financeur"),
    SELECT,
    MostFrequent(Partner, FUNDER_OPTIONS, public_rows="public"),
    FundedBy(),
    key="funder",
)

FACETS: tuple[Facet, ...] = (
    THEME,
    PUBLIC,
    STATUS,
    DEPARTEMENT,
    REGION,
    FEDERATION,
    DIMENSION,
    INITIATIVE,
    TERRITORY,
    FUNDER,
)

# Counted within a selection, never filters of it (the catalogue filters years by range): the
# observatory's figures (``count_facets(selection, figures=TALLIES)``).
YEAR = Tally("year", Path("year"), key="year")
TALLIES: tuple[Tally, ...] = (YEAR,)


# The structure directory (/structures/) ---------------------------------------------------------
#
# Its facets count structures: every structure of the directory, with or without published
# sheets. The facet index holds sheets only, so these facets have no key: the grouped backend
# counts them with grouped queries over the structures, on PostgreSQL as on SQLite. The
# département, région and federation facets are the catalogue's, reaching their values from a
# structure instead of a sheet.


def _from_structure(facet: Facet, path: str) -> Facet:
    return replace(facet, reach=Path(path, Structure), key=None)


STRUCTURE_FACETS: tuple[Facet, ...] = (
    Facet(
        "type", _("Type de structure"), CHECKBOX, Choices(StructureKind), Path("kind", Structure)
    ),
    _from_structure(DEPARTEMENT, "department"),
    _from_structure(REGION, "department__region"),
    _from_structure(FEDERATION, "federation"),
    Facet(
        "qpv",
        _("Quartier prioritaire (QPV)"),
        RADIO,
        YesNo(_("En quartier prioritaire"), _("Hors quartier prioritaire")),
        Path("in_priority_area", Structure),
    ),
    Facet(
        "gestion",
        _("Mode de gestion"),
        SELECT,
        Values(Structure._meta.get_field("management_mode").max_length),
        Path("management_mode", Structure),
    ),
)
