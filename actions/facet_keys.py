"""The keys of the facet index (PostgreSQL; maintained by actions/sql/facet_index_v1.sql and
v2, read by catalogue/facets and the observatory).

A key is ``kind << 32 | id``: the facet's kind below, and the id of the value (a theme, a
département, a structure...; for the status, its code below; for a year, the year). Key 0
(``TOTAL``) is on every published sheet. Each entry also holds its sheet's funding per group of
funders (``FUNDER_GROUPS``: the columns ``funding_<group>``, and ``funding_total``). The SQL
holds a frozen copy of this layout: changing it takes a new SQL version and its migration
(tests compare both).
"""

from django.db import connections

from .enums import ActionStatus, PartnerKind

KINDS = {
    "theme": 1,
    "public": 2,
    "status": 3,
    "departement": 4,
    "region": 5,
    "federation": 6,
    "dimension": 7,
    "initiative": 8,
    "territoire": 9,
    "funder": 10,
    "year": 11,
    "structure": 12,
}
STATUS_CODES = {ActionStatus.ONGOING: 1, ActionStatus.FINISHED: 2}
TOTAL = 0  # counting it gives the size of a selection
KIND_SHIFT = 32
# Kinds whose keys are never the first key of a pair (FacetPair): with thousands of funders,
# their pairs would outnumber all the others; years and structures are counted (the
# observatory), never a one-value filter of the catalogue.
UNPAIRED = frozenset({"funder", "year", "structure"})
# The groups of funders whose funding an entry holds, in cents, each from these kinds of
# partner: the groups federations report (Caf, State, local authorities, others). Each kind is
# in exactly one group.
FUNDER_GROUPS: dict[str, tuple[PartnerKind, ...]] = {
    "caf": (PartnerKind.CAF,),
    "etat": (PartnerKind.ETAT,),
    "collectivites": (PartnerKind.COMMUNE, PartnerKind.DEPARTEMENT, PartnerKind.REGION),
    "autres": (PartnerKind.ASSOCIATION, PartnerKind.COMPANY, PartnerKind.OTHER),
}


def facet_key(kind_name: str, pk: int) -> int:
    return KINDS[kind_name] << KIND_SHIFT | pk


def kind_range(kind_name: str) -> tuple[int, int]:
    """The keys of one facet: ``low <= key < high``."""
    return facet_key(kind_name, 0), (KINDS[kind_name] + 1) << KIND_SHIFT


def paired(kind_name: str) -> bool:
    """Whether ``FacetPair`` counts the sheets of each key of this kind with every other key."""
    return kind_name not in UNPAIRED


def index_available(using: str) -> bool:
    """Whether the database ``using`` has the facet index (PostgreSQL only)."""
    return connections[using].vendor == "postgresql"
