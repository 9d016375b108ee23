"""Write the structure directory's identity cards to the database, in one transaction, and
report on each card (``import_structures``).

Rules:

- a structure is identified by its name and its département (from the postcode), the name
  compared without case, accents nor punctuation, else by its name with its commune added or
  taken away (reported; two such structures reject the card): the rule of ``structures``,
  which the sheet import follows too. A structure created earlier by a sheet import
  ("CENTRE SOCIAL EUGÉNIE COTTON - Rhône", or "X" for the card "X Lyon" in Lyon) is that
  card's structure, not a new one;
- the card states the structure's kind (the listing it is in) and its federation
  membership: they replace what the portal had. A member of the Fédération des centres
  sociaux belongs to the federation of the portal that covers its département (kept if it
  already is one of several that do; left as it is, with a notice, when none or several
  do); a member of another federation belongs to the portal's federation of that name, if
  any; a non-member belongs to none;
- the other fields the card states replace the stored ones; a field it leaves empty, or
  states unreadably (an invalid SIRET, "A compléter"), leaves the stored value as it is;
- a card cut short by the page end is reported and not imported, not even in part; when a
  complete copy of it is in the run, that copy is imported and the cut one is a duplicate;
- the same card met twice is a duplicate; two different cards of one structure: the last
  is imported, the other reported as a duplicate;
- re-running an import changes nothing: a card equal to what is stored is "unchanged";
- ``strict`` undoes the whole run when a card is rejected or incomplete or a file cannot
  be read; ``dry_run`` always undoes it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from federations.enums import FederationMembership
from federations.models import Department, Federation, Structure
from federations.text import name_key, normalize, unique_slug

from .directory import PART_LABELS, StructureCard, parse_directory
from .loader import ImportReport, Outcome, Source, where
from .parser import Notice
from .structures import AmbiguousStructure, StructureIndex

# Set together whenever the card states the first: the second follows from it.
UNITS = {
    "federation_membership": ("other_federation", ""),
    "priority_geography": ("in_priority_area", None),
}
_KEEP = object()  # the federation the card leaves as it is


@dataclass
class StructureResult:
    source: str
    line: int
    title: str  # the structure's name, as the report shows it
    outcome: str = ""
    detail: str = ""
    slug: str = ""
    notices: list[Notice] = field(default_factory=list)
    incomplete: bool = False  # cards cut short are not imported: ``Outcome.INCOMPLETE``


@dataclass
class _Planned:
    source: str
    card: StructureCard
    result: StructureResult
    key: tuple[str, str]


def import_structures(
    *, sources: Sequence[Source], dry_run: bool = False, strict: bool = False
) -> ImportReport:
    """Import every identity card of ``sources`` in one transaction and report on each."""
    report = ImportReport(dry_run=dry_run, strict=strict)
    with transaction.atomic():
        _Run(report).execute(sources)
        undo = dry_run or (strict and report.failed)
        if undo:
            transaction.set_rollback(True)
        report.written = not undo
    return report


class _Run:
    def __init__(self, report: ImportReport):
        self.report = report
        self.departments = {
            d.code: d for d in Department.objects.prefetch_related("federations").all()
        }
        self._structures = StructureIndex()
        self._federations: dict[str, Federation] | None = None

    def execute(self, sources: Sequence[Source]) -> None:
        complete: list[_Planned] = []
        cut: list[_Planned] = []
        seen: dict[str, _Planned] = {}
        for source in sources:
            if source.error:
                self.report.file_errors.append((source.name, source.error))
                continue
            page = parse_directory(source.text)
            if not page.cards:
                self.report.file_errors.append((source.name, page.reason))
            for card in page.cards:
                entry = self._plan(source, card, seen)
                if entry is not None:
                    (cut if card.truncated else complete).append(entry)
        retained = {entry.key: entry for entry in complete}
        for entry in complete:
            kept = retained[entry.key]
            if kept is entry:
                self._apply(entry)
            else:
                entry.result.outcome = Outcome.DUPLICATE
                entry.result.detail = _(
                    "même structure que la fiche %(where)s, importée à sa place"
                ) % {"where": where(kept.source, kept.card.start_line, entry.source)}
        by_name = {entry.key[1]: entry for entry in complete}
        for entry in cut:
            self._report_cut(entry, by_name.get(entry.key[1]))

    def _plan(self, source: Source, card: StructureCard, seen) -> _Planned | None:
        result = StructureResult(
            source.name, card.start_line, card.name or _("(sans nom)"), notices=card.notices
        )
        self.report.results.append(result)
        entry = _Planned(
            source.name, card, result, (card.department_code or "", name_key(card.name))
        )
        if card.truncated:
            return entry
        if card.rejection:
            result.outcome, result.detail = Outcome.REJECTED, card.rejection
            return None
        if card.department_code not in self.departments:
            result.outcome = Outcome.REJECTED
            result.detail = _("département inconnu : %s") % card.department_code
            return None
        first = seen.get(card.fingerprint)
        if first is not None:
            result.outcome = Outcome.DUPLICATE
            result.detail = _("identique à la fiche %s") % where(
                first.source, first.card.start_line, source.name
            )
            result.notices = []  # already reported with the first copy
            return None
        seen[card.fingerprint] = entry
        return entry

    def _report_cut(self, entry: _Planned, complete: _Planned | None) -> None:
        card, result = entry.card, entry.result
        cut = _("coupée par la fin de la page (ligne %(line)d, dans « %(part)s »)") % {
            "line": card.cut_line,
            "part": PART_LABELS.get(card.cut_field or "", PART_LABELS["name"]),
        }
        if complete is not None:
            result.outcome = Outcome.DUPLICATE
            result.detail = _("%(cut)s ; la fiche complète %(where)s est importée") % {
                "cut": cut,
                "where": where(complete.source, complete.card.start_line, entry.source),
            }
        else:
            result.outcome = Outcome.INCOMPLETE
            result.detail = _("%s : non importée") % cut

    # -- writing -----------------------------------------------------------------------------

    def _apply(self, entry: _Planned) -> None:
        card, result = entry.card, entry.result
        department = self.departments[card.department_code]
        try:
            match = self._structures.find(department, card.name, card.values.get("commune", ""))
        except AmbiguousStructure as ambiguous:
            result.outcome, result.detail = Outcome.REJECTED, str(ambiguous)
            return
        structure = match.structure if match else None
        if match and (notice := match.notice(card.name_line or card.start_line)):
            result.notices.append(notice)
        wanted = self._wanted(card)
        federation = self._federation(card, department, structure)
        if structure is None:
            structure = Structure(
                name=card.name,
                slug=unique_slug(Structure, card.name, max_length=255),
                kind=card.kind,
                department=department,
                federation=None if federation is _KEEP else federation,
                **wanted,
            )
            structure.save()
            self._structures.add(structure)
            result.outcome = Outcome.CREATED
        else:
            changes = self._update(structure, card, wanted, federation)
            result.outcome = Outcome.UPDATED if changes else Outcome.UNCHANGED
            result.detail = _("modifié : %s") % ", ".join(changes) if changes else ""
        result.slug = structure.slug

    @staticmethod
    def _wanted(card: StructureCard) -> dict:
        wanted = dict(card.values)
        for first, (second, empty) in UNITS.items():
            if first in wanted:
                wanted.setdefault(second, empty)
        return wanted

    def _update(self, structure: Structure, card: StructureCard, wanted: dict, federation):
        changes = []
        if structure.kind != card.kind:
            structure.kind = card.kind
            changes.append(str(Structure._meta.get_field("kind").verbose_name))
        if federation is not _KEEP and structure.federation_id != getattr(federation, "pk", None):
            structure.federation = federation
            changes.append(str(Structure._meta.get_field("federation").verbose_name))
        for name, value in wanted.items():
            if getattr(structure, name) != value:
                setattr(structure, name, value)
                changes.append(str(Structure._meta.get_field(name).verbose_name))
        if changes:
            structure.save()
        return changes

    def _federation(self, card: StructureCard, department: Department, structure):
        """The federation the card gives the structure, or ``_KEEP`` (see the module)."""
        membership = card.values.get("federation_membership")
        current = structure.federation if structure is not None else None
        line = card.lines.get("federation_membership", card.start_line)
        if membership == FederationMembership.NONE:
            return None
        if membership == FederationMembership.OTHER:
            if self._federations is None:
                self._federations = {normalize(f.name): f for f in Federation.objects.all()}
            named = self._federations.get(normalize(card.values["other_federation"]))
            if named is None:
                card.notices.append(
                    Notice(
                        line,
                        _("adhérente à « %s », fédération inconnue du portail : sans fédération")
                        % card.values["other_federation"],
                    )
                )
            return named
        if membership != FederationMembership.FCS:
            return _KEEP
        covering = list(department.federations.all())
        if current in covering:
            return current
        if len(covering) == 1:
            return covering[0]
        if covering:
            detail = _("%(count)d fédérations du portail couvrent le département %(code)s") % {
                "count": len(covering),
                "code": department.code,
            }
        else:
            detail = _("aucune fédération du portail ne couvre le département %s") % (
                department.code
            )
        card.notices.append(
            Notice(
                line,
                _(
                    "adhérente à la Fédération des centres sociaux, mais %s : fédération laissée "
                    "telle quelle"
                )
                % detail,
            )
        )
        return _KEEP
