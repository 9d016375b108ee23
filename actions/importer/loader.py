"""Write parsed action sheets to the database, in one transaction, and report on each sheet.

Rules (issue 3):

- an action is identified by its structure and its title (ignoring case and accents); a sheet
  whose text is identical to one met earlier in the run is a duplicate and is not imported
  again; when several different sheets describe the same action, the last complete one is
  imported and the others are reported as duplicates;
- re-running an import changes nothing: a sheet equal to what is stored is "unchanged", one
  that differs updates the action and the report names the sections that changed;
- a sheet updates the sections it contains; a section missing from it (a sheet cut off at
  the end of a file) leaves the stored section as it is;
- a sheet is rejected, with a reason, when it has no title, no usable structure line or an
  unknown département, or when the page ends on a département that may be the start of a
  longer one ("Tarn" of "Tarn-et-Garonne"); it never stops the run. A page without any
  sheet (empty, the observatory's charter...) is a file error with the parser's reason.
  ``strict`` undoes the whole run when any sheet (or file) is rejected; ``dry_run`` always
  undoes it;
- new actions are drafts, unless ``publish``; publishing is recorded as a moderation event.

Sheets are written through ``actions.services`` like every other writer: ``content.saving``
(a version claim on update: a sheet saved by someone else during the run is rejected, not
overwritten; one history record per sheet), ``publication.publish_import`` and
``partners.get_or_create_partner``.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.enums import ActionStatus, PartnerRole, PublicationStatus
from actions.models import (
    Action,
    ActionPartner,
    Dimension,
    Funding,
    Initiative,
    Partner,
    Public,
    TerritoryScale,
    Theme,
)
from actions.services import content, partners, publication
from actions.services.versions import EditConflict
from federations.enums import StructureKind
from federations.models import Department, Structure
from federations.text import name_key, normalize, unique_slug

from .extraction import partner_identity
from .pages import UnreadableText, decode
from .parser import LABELS, Item, Notice, Sheet, continuations, parse_page

VOCABULARIES = {
    "dimension": Dimension,
    "themes": Theme,
    "initiatives": Initiative,
    "territory_scale": TerritoryScale,
    "publics": Public,
}
TEXT_FIELDS = (
    "summary",
    "experience",
    "description",
    "financial_resources",
    "people_mobilised",
    "result_territory",
    "result_centre",
    "result_residents",
    "limits",
    "perspectives",
    "diagnostic",
    "impacts",
    "success_factors",
)
# Labels of what the report may say changed, beyond the published sections.
CHANGE_LABELS = {
    "title": gettext_lazy("titre"),
    "total_budget": gettext_lazy("budget total"),
    "staff_count": gettext_lazy("salariés"),
    "volunteer_count": gettext_lazy("bénévoles"),
    "participant_count": gettext_lazy("participants"),
    "year": gettext_lazy("année"),
    "fundings": gettext_lazy("lignes de financement"),
    "financial_partners": gettext_lazy("partenaires financiers"),
    "publication": gettext_lazy("publication"),
}


class Outcome(models.TextChoices):
    CREATED = "created", gettext_lazy("créée")
    UPDATED = "updated", gettext_lazy("mise à jour")
    UNCHANGED = "unchanged", gettext_lazy("inchangée")
    DUPLICATE = "duplicate", gettext_lazy("doublon")
    INCOMPLETE = "incomplete", gettext_lazy("incomplète")
    REJECTED = "rejected", gettext_lazy("rejetée")


@dataclass(frozen=True)
class Source:
    """A text to import, named for the report; ``error`` when the file could not be read."""

    name: str
    text: str = ""
    error: str = ""


def read_source(path: str | Path) -> Source:
    """The text of a file, or the reason it cannot be imported."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return Source(str(path), error=_("lecture impossible : %s") % (error.strerror or error))
    try:
        return Source(str(path), decode(data))
    except UnreadableText as error:
        return Source(str(path), error=str(error))


@dataclass
class SheetResult:
    source: str
    line: int
    title: str
    outcome: str = ""
    detail: str = ""
    action_slug: str = ""
    notices: list[Notice] = field(default_factory=list)


@dataclass
class ImportReport:
    results: list[SheetResult] = field(default_factory=list)
    file_errors: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False
    strict: bool = False
    written: bool = False

    def totals(self) -> dict[str, int]:
        counts = dict.fromkeys(Outcome.values, 0)
        for result in self.results:
            counts[result.outcome] += 1
        return counts

    @property
    def rejected(self) -> list[SheetResult]:
        return [r for r in self.results if r.outcome == Outcome.REJECTED]

    @property
    def failed(self) -> bool:
        """A sheet was rejected or a file could not be read: the exit status says so."""
        return bool(self.rejected or self.file_errors)


def import_sheets(
    *,
    sources: Sequence[Source],
    publish: bool = False,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportReport:
    """Import every sheet of ``sources`` in one transaction and report on each sheet."""
    report = ImportReport(dry_run=dry_run, strict=strict)
    with transaction.atomic():
        _Run(report=report, publish=publish).execute(sources)
        undo = dry_run or (strict and report.failed)
        if undo:
            transaction.set_rollback(True)
        report.written = not undo
    return report


def where(source: str, line: int, current_source: str) -> str:
    """Where a sheet (or card) met earlier in the run is, for the report."""
    if source == current_source:
        return _("de la ligne %d") % line
    return _("de la ligne %(line)d de %(source)s") % {"line": line, "source": source}


@dataclass
class _Planned:
    source: str
    sheet: Sheet
    result: SheetResult
    department: Department
    key: tuple


@dataclass
class _State:
    """What the sheet says the action is, for the sections it contains."""

    fields: dict = field(default_factory=dict)
    many: dict[str, list] = field(default_factory=dict)
    partners: dict[str, list[Partner]] = field(default_factory=dict)  # role → partners
    fundings: list[tuple] | None = None  # (funder, amount, year, note)


class _Run:
    def __init__(self, *, report: ImportReport, publish: bool):
        self.report = report
        self.publish = publish
        self.now = timezone.now()
        self._departments: dict[str, Department] | None = None
        self._structures: dict[int, dict[str, Structure]] = {}
        self._partners: dict[tuple[str, str], Partner] = {}

    # -- the run -------------------------------------------------------------------------

    def execute(self, sources: Sequence[Source]) -> None:
        planned: list[_Planned] = []
        seen_texts: dict[str, tuple[str, int]] = {}
        for source in sources:
            if source.error:
                self.report.file_errors.append((source.name, source.error))
                continue
            page = parse_page(source.text)
            if not page.sheets:
                self.report.file_errors.append((source.name, page.reason))
            for sheet in page.sheets:
                entry = self._plan(source, sheet, seen_texts)
                if entry is not None:
                    planned.append(entry)
        retained = self._retained(planned)
        for entry in planned:
            kept = retained[entry.key]
            if kept is not entry:
                entry.result.outcome = Outcome.DUPLICATE
                entry.result.detail = _(
                    "même titre et même structure que la fiche %(where)s, importée à sa place"
                ) % {"where": where(kept.source, kept.sheet.start_line, entry.source)}
                continue
            self._apply(entry)

    def _plan(self, source: Source, sheet: Sheet, seen_texts) -> _Planned | None:
        result = SheetResult(source.name, sheet.start_line, sheet.title, notices=sheet.notices)
        self.report.results.append(result)
        if sheet.rejection:
            result.outcome, result.detail = Outcome.REJECTED, sheet.rejection
            return None
        too_long = _too_long(sheet)
        if too_long:
            result.outcome, result.detail = Outcome.REJECTED, too_long
            return None
        first = seen_texts.get(sheet.fingerprint)
        if first is not None:
            result.outcome = Outcome.DUPLICATE
            result.detail = _("identique à la fiche %(where)s") % {
                "where": where(first[0], first[1], source.name)
            }
            result.notices = []  # already reported with the first copy
            return None
        seen_texts[sheet.fingerprint] = (source.name, sheet.start_line)
        department = self._department(sheet.structure.department)
        if department is None:
            result.outcome = Outcome.REJECTED
            result.detail = _("département inconnu : « %s »") % sheet.structure.department
            return None
        longer = sheet.structure.cut and continuations(
            sheet.structure.department, Department.objects.values_list("name", flat=True)
        )
        if longer:
            result.outcome = Outcome.REJECTED
            result.detail = _(
                "la page se termine sur « %(label)s », qui peut être le début de « %(longer)s » "
                ": département non deviné"
            ) % {"label": sheet.structure.department, "longer": " », « ".join(longer)}
            return None
        key = (department.pk, normalize(sheet.structure.name), normalize(sheet.title))
        return _Planned(source.name, sheet, result, department, key)

    @staticmethod
    def _retained(planned: list[_Planned]) -> dict[tuple, _Planned]:
        """For each action, the sheet to import: the last complete one, else the last."""
        by_key: dict[tuple, list[_Planned]] = defaultdict(list)
        for entry in planned:
            by_key[entry.key].append(entry)
        return {
            key: ([e for e in entries if not e.sheet.truncated] or entries)[-1]
            for key, entries in by_key.items()
        }

    def _apply(self, entry: _Planned) -> None:
        sheet, result = entry.sheet, entry.result
        structure = self._structure(sheet, entry.department)
        action = self._find_action(structure, sheet.title)
        state = self._state(sheet, result, action)
        if action is None:
            action = self._create(structure, state, entry.source)
            outcome, detail = Outcome.CREATED, ""
        else:
            try:
                changes = self._update(action, state, entry.source)
            except EditConflict as conflict:
                changes = None
                outcome = Outcome.REJECTED
                detail = _(
                    "fiche enregistrée par %(user)s pendant l'import, laissée telle quelle : "
                    "relancez l'import"
                ) % {"user": conflict.current.updated_by or _("quelqu'un")}
            if changes is not None:
                outcome = Outcome.UPDATED if changes else Outcome.UNCHANGED
                detail = _("modifié : %s") % ", ".join(changes) if changes else ""
        result.action_slug = action.slug
        if outcome == Outcome.REJECTED:
            result.outcome, result.detail = outcome, detail
            return
        if sheet.truncated:
            cut = (
                _("coupée après « %s »") % LABELS[sheet.last_field]
                if sheet.last_field
                else _("sans section")
            )
            detail = "; ".join(part for part in (str(outcome.label), detail, cut) if part)
            outcome = Outcome.INCOMPLETE
        result.outcome, result.detail = outcome, detail

    # -- reference data ----------------------------------------------------------------

    def _department(self, label: str) -> Department | None:
        if self._departments is None:
            self._departments = {}
            for department in Department.objects.all():
                for key in (
                    *department_keys(department.name),
                    normalize(department.code),
                    normalize(department.slug),
                ):
                    self._departments.setdefault(key, department)
        for key in department_keys(label):
            if key in self._departments:
                return self._departments[key]
        return None

    def _structure(self, sheet: Sheet, department: Department) -> Structure:
        known = self._structures.get(department.pk)
        if known is None:
            known = {name_key(s.name): s for s in Structure.objects.filter(department=department)}
            self._structures[department.pk] = known
        ref = sheet.structure
        key = name_key(ref.name)
        if key not in known:
            federations = list(department.federations.all()[:2])
            known[key] = Structure.objects.create(
                name=ref.name,
                slug=unique_slug(Structure, ref.name, max_length=255),
                kind=_structure_kind(ref.name),
                department=department,
                federation=federations[0] if len(federations) == 1 else None,
            )
        return known[key]

    def _vocabulary(self, field_name: str, item: Item, result: SheetResult):
        model = VOCABULARIES[field_name]
        entry = model.objects.match(item.value)
        if entry is None:
            name = item.value[:1].upper() + item.value[1:]
            entry = model.objects.create(name=name, slug=unique_slug(model, name, max_length=150))
            result.notices.append(
                Notice(
                    item.line,
                    _("valeur ajoutée au vocabulaire « %(vocabulary)s » : « %(name)s »")
                    % {"vocabulary": model._meta.verbose_name, "name": name},
                )
            )
        return entry

    def _partner(self, name: str, kind: str) -> Partner:
        """The partner of that name, created if need be (``partners.get_or_create_partner``:
        spelling aside, and the Caf is one partner), looked up once per run."""
        key = (name_key(name), kind)
        if key not in self._partners:
            self._partners[key] = partners.get_or_create_partner(name, kind=kind)
        return self._partners[key]

    # -- the action ----------------------------------------------------------------------

    def _find_action(self, structure: Structure, title: str) -> Action | None:
        key = normalize(title)
        for action in Action.objects.filter(structure=structure).order_by("pk"):
            if normalize(action.title) == key:
                return action
        return None

    def _state(self, sheet: Sheet, result: SheetResult, action: Action | None) -> _State:
        state = _State(fields={"title": sheet.title})
        present = sheet.present
        for name in TEXT_FIELDS:
            if name in present:
                state.fields[name] = sheet.texts.get(name, "")
        if "status" in present or "end_reason" in present:
            status = sheet.status
            if status is None and sheet.texts.get("end_reason"):
                status = ActionStatus.FINISHED
            if status is not None:
                state.fields["status"] = status
        if "end_reason" in present:
            state.fields["end_reason"] = sheet.texts.get("end_reason", "")
        for name in VOCABULARIES:
            if name not in present:
                continue
            entries = []
            for item in sheet.lists.get(name, []):
                entry = self._vocabulary(name, item, result)
                if entry not in entries:
                    entries.append(entry)
            if name in {"dimension", "territory_scale"}:
                state.fields[name] = entries[0] if entries else None
            else:
                state.many[name] = entries
        if "partners" in present:
            for role in PartnerRole.values:
                items = [
                    item
                    for item in sheet.lists.get("partners", [])
                    if (item.role or PartnerRole.ACTION) == role
                ]
                if role == PartnerRole.ACTION or items:
                    state.partners[role] = self._unique(
                        self._partner(*partner_identity(item.value)[:2]) for item in items
                    )
        if "financial_resources" in present:
            funding = sheet.funding
            state.fields["total_budget"] = funding.total_budget
            state.fundings = [
                (self._partner(line.funder, line.kind), line.amount, line.year, line.note)
                for line in funding.lines
            ]
            named = [self._partner(p.name, p.kind) for p in funding.partners]
            state.partners[PartnerRole.FINANCIAL] = self._unique(
                [
                    *state.partners.get(PartnerRole.FINANCIAL, []),
                    *(funder for funder, *_rest in state.fundings),
                    *named,
                ]
            )
        if "people_mobilised" in present:
            state.fields["staff_count"] = sheet.people.staff
            state.fields["volunteer_count"] = sheet.people.volunteers
            state.fields["participant_count"] = sheet.people.participants
        if sheet.year is not None:
            state.fields["year"] = sheet.year
        self._settle_end_reason(state, action, result)
        return state

    @staticmethod
    def _unique(partners) -> list[Partner]:
        out: list[Partner] = []
        for partner in partners:
            if partner not in out:
                out.append(partner)
        return out

    @staticmethod
    def _settle_end_reason(state: _State, action: Action | None, result: SheetResult) -> None:
        """Only a finished action keeps an end reason (a database constraint): an end reason
        written for an ongoing action goes to the description rather than being lost."""
        fields = state.fields
        status = fields.get("status", action.status if action else ActionStatus.ONGOING)
        if status == ActionStatus.FINISHED:
            return
        reason = fields.get("end_reason", "")
        fields["end_reason"] = ""
        if not reason:
            return
        description = fields.get("description", action.description if action else "")
        addition = f"{LABELS['end_reason']} : {reason}"
        if addition not in description:
            fields["description"] = "\n\n".join(part for part in (description, addition) if part)
        result.notices.append(
            Notice(
                result.line,
                _("raison de fin donnée pour une action en cours : ajoutée à la description"),
            )
        )

    def _create(self, structure: Structure, state: _State, source: str) -> Action:
        action = Action(structure=structure, **state.fields)
        with content.saving(action, user=None):
            for name, entries in state.many.items():
                getattr(action, name).set(entries)
            for role, linked in state.partners.items():
                ActionPartner.objects.bulk_create(
                    ActionPartner(action=action, partner=partner, role=role) for partner in linked
                )
            self._create_fundings(action, state.fundings or [])
        if self.publish:
            publication.publish_import(action=action, source=source, created=True, at=self.now)
        return action

    def _update(self, action: Action, state: _State, source: str) -> list[str]:
        """Bring ``action`` in line with the sheet; the names of what changed (none: nothing
        is written at all)."""
        changes: list[str] = []
        for name, value in state.fields.items():
            if name in {"dimension", "territory_scale"}:
                same = getattr(action, f"{name}_id") == (value.pk if value else None)
            elif name == "total_budget":
                current = action.total_budget
                same = current == value if None in (current, value) else Decimal(current) == value
            else:
                same = getattr(action, name) == value
            if not same:
                setattr(action, name, value)
                changes.append(name)
        many_changes = [
            name
            for name, entries in state.many.items()
            if {e.pk for e in entries} != set(getattr(action, name).values_list("pk", flat=True))
        ]
        link_changes = [
            role
            for role, partners in state.partners.items()
            if {p.pk for p in partners}
            != set(action.partner_links.filter(role=role).values_list("partner_id", flat=True))
        ]
        fundings_changed = state.fundings is not None and _funding_key(
            (f.funder_id, f.amount, f.year, f.note) for f in action.fundings.all()
        ) != _funding_key((f.pk, a, y, n) for f, a, y, n in state.fundings)
        publish = self.publish and action.publication_status != PublicationStatus.PUBLISHED
        changed = bool(changes or many_changes or link_changes or fundings_changed)
        if not (changed or publish):
            return []
        if changed:
            self._save(action, state, changes, many_changes, link_changes, fundings_changed)
        if publish:
            publication.publish_import(action=action, source=source, created=False, at=self.now)
        labels = [
            str(LABELS.get(name) or CHANGE_LABELS.get(name, name))
            for name in (*changes, *many_changes)
        ]
        if PartnerRole.ACTION in link_changes:
            labels.append(str(LABELS["partners"]))
        if PartnerRole.FINANCIAL in link_changes:
            labels.append(str(CHANGE_LABELS["financial_partners"]))
        if fundings_changed:
            labels.append(str(CHANGE_LABELS["fundings"]))
        if publish:
            labels.append(str(CHANGE_LABELS["publication"]))
        return labels

    def _save(self, action, state, changes, many_changes, link_changes, fundings_changed):
        """Write what changed, on the version the run read (``EditConflict`` otherwise)."""
        with content.saving(action, user=None, fields=changes, expected_version=action.version):
            for name in many_changes:
                getattr(action, name).set(state.many[name])
            for role in link_changes:
                wanted = state.partners[role]
                action.partner_links.filter(role=role).exclude(partner__in=wanted).delete()
                have = set(
                    action.partner_links.filter(role=role).values_list("partner_id", flat=True)
                )
                ActionPartner.objects.bulk_create(
                    ActionPartner(action=action, partner=p, role=role)
                    for p in wanted
                    if p.pk not in have
                )
            if fundings_changed:
                action.fundings.all().delete()
                self._create_fundings(action, state.fundings)

    @staticmethod
    def _create_fundings(action: Action, fundings: list[tuple]) -> None:
        Funding.objects.bulk_create(
            Funding(action=action, funder=funder, amount=amount, year=year, note=note)
            for funder, amount, year, note in fundings
        )


def _too_long(sheet: Sheet) -> str:
    """Why ``sheet`` cannot be stored as it is: its first text longer than the field allows
    (the limits are ``Action``'s), or ``""``."""
    names = ("end_reason", *TEXT_FIELDS)
    texts = {"title": sheet.title, **{name: sheet.texts.get(name, "") for name in names}}
    for name, text in texts.items():
        field = Action._meta.get_field(name)
        if len(text) > field.max_length:
            return _(
                "section « %(section)s » trop longue : %(length)s caractères, %(limit)s au plus"
            ) % {"section": field.verbose_name, "length": len(text), "limit": field.max_length}
    return ""


def _funding_key(rows) -> list[tuple]:
    return sorted(
        ((funder, Decimal(amount).quantize(Decimal("0.01")), year or 0, note or ""))
        for funder, amount, year, note in rows
    )


def department_keys(label: str) -> list[str]:
    """Ways of writing a département's name: accents, case, hyphens and article aside;
    "Haute-Savoie (74)" and "La Réunion"/"Réunion" included."""
    base = normalize(re.sub(r"\s*\([^()]*\)\s*$", "", label or ""))
    loose = re.sub(r"[-'\s]+", " ", base).strip()
    keys = [base, loose]
    keys += [re.sub(r"^(?:la|le|les|l) ", "", key) for key in (base, loose)]
    return [key for key in dict.fromkeys(keys) if key]


def _structure_kind(name: str) -> str:
    key = normalize(name)
    if "espace de vie sociale" in key or re.search(r"\bevs\b", key):
        return StructureKind.EVS
    return StructureKind.CENTRE_SOCIAL
