"""Which stored structure a sheet or a directory card means: one rule for both importers.

- **name**: the structure of that name in the département (case, accents and punctuation
  aside, ``name_key``); else the one whose name is that name with its commune added or taken
  away ("Centre social Jean Moulin" and "Centre social Jean Moulin Lyon" in Lyon), the commune
  being the stored structure's or the one the card states (a sheet states none). Such a match
  is reported; two of them are ambiguous and refused. Whichever importer runs first, the
  other finds its structure: a directory card "X Lyon" finds the "X" a sheet created, a sheet
  "X - Rhône" finds the card's "X Lyon".
- **website**: the older layout of the sheets names no structure, only, sometimes, a website
  ("www.cscwimereux.org"): the structure whose website is that one, scheme, "www.", trailing
  slash and case aside, when exactly one has it.

Nothing is guessed: a structure is found by one of these exact rules or not at all.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from federations.models import Department, Structure
from federations.text import name_key

from .parser import Notice

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


class AmbiguousStructure(Exception):
    """Several structures match a name only with their communes: none is chosen."""

    def __init__(self, candidates: list[Structure]):
        names = ", ".join(f"« {s.name} » ({s.commune})" for s in candidates)
        super().__init__(
            _("structure ambiguë : %(names)s portent ce nom, commune à part") % {"names": names}
        )
        self.candidates = candidates


@dataclass(frozen=True)
class StructureMatch:
    structure: Structure
    commune: str = ""  # the commune added or taken away to match, if one was

    def notice(self, line: int) -> Notice | None:
        """What the report says of a match by name and commune (nothing of an exact one)."""
        if not self.commune:
            return None
        return Notice(
            line,
            _("structure « %(name)s » (%(commune)s) : même nom, commune à part")
            % {"name": self.structure.name, "commune": self.commune},
        )


def same_but_commune(name: str, commune: str, structure: Structure) -> str:
    """The commune that, added to or taken away from ``name``, gives ``structure``'s name
    (``structure``'s commune or ``commune``, what a directory card states), or ``""``."""
    key, stored = name_key(name), name_key(structure.name)
    for town in dict.fromkeys(town for town in (structure.commune, commune) if town):
        town_key = name_key(town)
        if stored == f"{key} {town_key}" or key == f"{stored} {town_key}":
            return town
    return ""


class StructureIndex:
    """The structures of each département, read once per import run and kept up to date
    with the ones the run creates (``add``); ``reset`` after a rolled-back savepoint."""

    def __init__(self):
        self._by_department: dict[int, dict[str, Structure]] = {}

    def _known(self, department: Department) -> dict[str, Structure]:
        known = self._by_department.get(department.pk)
        if known is None:
            known = {
                name_key(structure.name): structure
                for structure in Structure.objects.filter(department=department).order_by("pk")
            }
            self._by_department[department.pk] = known
        return known

    def read(self, departments: Iterable[Department]) -> None:
        """Read the structures of ``departments`` in one query (those not read yet): a run
        that files sheets in many départements reads them at once."""
        wanted = {department.pk for department in departments} - self._by_department.keys()
        if not wanted:
            return
        read: dict[int, dict[str, Structure]] = {pk: {} for pk in wanted}
        for structure in Structure.objects.filter(department__in=wanted).order_by("pk"):
            read[structure.department_id][name_key(structure.name)] = structure
        self._by_department.update(read)

    def find(self, department: Department, name: str, commune: str = "") -> StructureMatch | None:
        """The structure ``name`` means in ``department`` (see the module's docstring);
        raises ``AmbiguousStructure`` when several match with their communes."""
        known = self._known(department)
        exact = known.get(name_key(name))
        if exact is not None:
            return StructureMatch(exact)
        candidates = [
            StructureMatch(structure, town)
            for structure in dict.fromkeys(known.values())
            if (town := same_but_commune(name, commune, structure))
        ]
        if len(candidates) > 1:
            raise AmbiguousStructure([match.structure for match in candidates])
        return candidates[0] if candidates else None

    def add(self, structure: Structure) -> None:
        self._known(structure.department)[name_key(structure.name)] = structure

    def reset(self) -> None:
        self._by_department.clear()


def website_key(url: str) -> str:
    """A website as compared: no scheme, no "www.", no trailing slash, lower case."""
    text = _SCHEME.sub("", (url or "").strip().lower())
    return text.removeprefix("www.").rstrip("/")


def structures_with_website(url: str) -> list[Structure]:
    """The structures whose website is ``url`` (``website_key`` equal)."""
    wanted = website_key(url)
    if not wanted:
        return []
    host = wanted.split("/", 1)[0]
    return [
        structure
        for structure in Structure.objects.filter(website__icontains=host)
        .select_related("department")
        .order_by("pk")
        if website_key(structure.website) == wanted
    ]
