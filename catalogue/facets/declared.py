"""The facets of the catalogue, in the order of the sidebar. Adding one is one declaration here
(see the package docstring)."""

from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from actions.enums import ActionStatus
from actions.facet_keys import STATUS_CODES
from actions.models import Dimension, Initiative, Partner, Public, TerritoryScale, Theme
from federations.models import Department, Federation, Region

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
    keep_empty=False,
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
    keep_empty=False,
)
REGION = Facet(
    "region",
    _("Région"),
    SELECT,
    Reference(Region, "code", pattern=REGION_CODE),
    Path("structure__department__region"),
    key="region",
    keep_empty=False,
)
FEDERATION = Facet(
    "federation",
    _("Fédération"),
    SELECT,
    Reference(Federation),
    Path("structure__federation"),
    key="federation",
    keep_empty=False,
)
DIMENSION = Facet(
    "dimension", _("Dimension"), SELECT, Reference(Dimension), Path("dimension"), key="dimension"
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
    keep_empty=False,
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
