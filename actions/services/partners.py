"""Partners by name: the one rule that finds a partner, and creation that survives a race.

A partner is found by its name with ``federations.text.name_key`` (case, accents, spacing
and punctuation aside), the rule stored in ``Partner.match_key`` under a unique constraint.
The workspace (a new partner typed on a line), the importer and the demo generator all find
and create partners here.
"""

from collections.abc import Mapping

from django.db import IntegrityError
from django.utils.text import slugify

from actions.enums import PartnerKind
from actions.models import Action, Partner
from federations.models import Federation
from federations.text import insert_with_free_slug, name_key

NAME_MAX_LENGTH = Partner._meta.get_field("name").max_length


def clean_name(name: str) -> str:
    """A name as it is stored: inner spaces collapsed, at most the column's length."""
    return " ".join((name or "").split())[:NAME_MAX_LENGTH]


def find_partner(name: str, *, kind: str | None = None) -> Partner | None:
    """The partner called ``name``, spelling aside.

    The Caf is one partner: a name of kind "caf" that matches no partner is the partner of
    kind "caf" when there is exactly one (the importer reads "CAF de l'Yonne", "Aide aux
    séjours Caf"... as the Caf).
    """
    partner = Partner.objects.matching(name).first()
    if partner is None and kind == PartnerKind.CAF:
        cafs = list(Partner.objects.filter(kind=PartnerKind.CAF)[:2])
        if len(cafs) == 1:
            partner = cafs[0]
    return partner


def get_or_create_partner(
    name: str, *, kind: str = PartnerKind.OTHER, private_to: Federation | None = None
) -> Partner:
    """The partner called ``name`` (see ``find_partner``), created when new; a partner
    created for a federation's draft is ``private_to`` that federation.

    Two people may type the same new name at the same instant: the second insert then fails
    on the unique name or key once the first commits, inside a savepoint, and the partner the
    first created is found and returned instead of an error.
    """
    name = clean_name(name)
    existing = find_partner(name, kind=kind)
    if existing is not None:
        return existing
    partner = Partner(name=name, kind=kind, private_to=private_to)
    try:
        insert_with_free_slug(partner, text=name)
    except IntegrityError:
        existing = find_partner(name, kind=kind)
        if existing is None:
            raise
        return existing
    return partner


def reveal_names_of(action: Action) -> None:
    """A published sheet shows its partners: those private to a federation are public from now
    on (a name once published stays public when the sheet is withdrawn)."""
    Partner.objects.named_by(action).filter(private_to__isnull=False).update(private_to=None)


class PartnerDirectory:
    """Partners for a bulk load (the demo generator): every existing partner read once,
    the missing ones created with ``bulk_create``, matched by the same key as
    ``find_partner``. For a database nobody else writes during the load.

    ``slug_prefix`` marks the partners created (``demo-``); ``ids`` maps a name's key to the
    partner's id.
    """

    def __init__(self, *, slug_prefix: str = ""):
        self.slug_prefix = slug_prefix
        self.ids: dict[str, int] = dict(Partner.objects.values_list("match_key", "id"))
        self.slugs: set[str] = set(Partner.objects.values_list("slug", flat=True))
        self.created = 0

    def id_of(self, name: str) -> int:
        return self.ids[name_key(name)]

    def ensure(self, kinds: Mapping[str, str]) -> None:
        """Create the partners of ``kinds`` (name → kind) that do not exist yet."""
        new, keys = [], set()
        for name in sorted(kinds):
            key = name_key(name)
            if key in self.ids or key in keys:
                continue
            keys.add(key)
            base = f"{self.slug_prefix}{slugify(name)[:200]}"
            slug, counter = base, 2
            while slug in self.slugs:
                slug, counter = f"{base}-{counter}", counter + 1
            self.slugs.add(slug)
            new.append(Partner(name=clean_name(name), slug=slug, kind=kinds[name], match_key=key))
        for partner in Partner.objects.bulk_create(new, batch_size=1000):
            self.ids[partner.match_key] = partner.pk
        self.created += len(new)
