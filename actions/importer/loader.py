"""Write parsed action sheets to the database, in one transaction, and report on each sheet.

Rules (issues 3 and 14):

- an action is identified by its structure and its title (ignoring case and accents); a sheet
  whose text is identical to one met earlier in the run is a duplicate and is not imported
  again; when several different sheets describe the same action, the last complete one is
  imported and the others are reported as duplicates;
- **provenance**: each imported sheet keeps where it comes from (``SheetProvenance``: the
  page's address or file name, the hashes of the page and of the sheet, the date, the version
  and history record the import wrote, the section a cut page stopped in). The same sheet
  imported again is recognised by its hash: "unchanged", nothing written, even where the
  portal changed it since. A sheet that already exists with other content is **skipped**
  ("ignorée": the report names the sections that differ and what the portal changed since
  the import) unless ``overwrite``, or unless it is the import's incomplete copy (a cut page),
  unchanged in the portal since, that a complete page completes; with ``overwrite``, the
  page replaces the sheet, the report names what changed and the portal's changes it
  replaced;
- **never shorter**: a text that is the beginning of the stored one (a copy cut short, or
  text added in the portal) never replaces it, and the section a page cuts only fills a
  section left empty; what is kept is reported. A section missing from a sheet leaves the
  stored section as it is;
- **publication**: new sheets are drafts. ``publish`` publishes a new sheet or a draft only
  when it holds the page's text and nothing else (not cut, nothing kept, no portal change
  left in it): a cut sheet stays an incomplete draft, reported. A published sheet the import
  changes goes back to moderation (``publication.submit_import_update``): unreviewed text is
  never public;
- **structure**: the structure of that name in the sheet's département (case, accents and
  punctuation aside), whose kind and federation (from the directory, ``import_structures``)
  are left as they are; else the one whose name is that name with its commune added or
  taken away, reported (two such: the sheet is rejected) — the rule of ``structures``,
  which the directory import follows too; else a new structure, without federation, of the
  kind its name states (centre social by default), reported. The sheets give no SIRET nor
  commune of their own to match on;
- **older layout**: its sheets name no structure nor département. The structure is the one
  whose website is the page's website line (``structures.structures_with_website``), else
  the one the run is given (``structure``, ``import_sheets --structure``), reported; else the
  sheet is rejected: nothing is guessed. The sheet is then imported like any other;
- a sheet is rejected, with a reason, when it has no title, no usable structure line or an
  unknown département, or when the page ends on a département that may be the start of a
  longer one ("Tarn" of "Tarn-et-Garonne"); it never stops the run. A page without any
  sheet (empty, the observatory's charter...) is a file error with the parser's reason;
- **one transaction per run**, each sheet in a savepoint: a sheet the database refuses, or
  one saved by someone else during the run, is rejected alone with its line, nothing of it
  written. ``strict`` undoes the whole run when a sheet (or file) is rejected or a sheet is
  incomplete; ``dry_run`` always undoes it.

Sheets are written through ``actions.services`` like every other writer: ``content.saving``
(a version claim on update: a sheet saved by someone else during the run is rejected, not
overwritten; one history record per sheet), ``publication.publish_import`` and
``submit_import_update``, and ``partners.get_or_create_partner``.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import sections
from actions.enums import ActionStatus, PartnerRole, PublicationStatus
from actions.formatting import format_day
from actions.models import (
    Action,
    ActionPartner,
    Funding,
    Partner,
    SheetProvenance,
)
from actions.services import content, partners, publication
from actions.services.versions import EditConflict
from federations.enums import StructureKind
from federations.models import Department, Structure
from federations.text import name_key, normalize, unique_slug

from .extraction import partner_identity
from .pages import UnreadableText, decode
from .parser import LABELS, Item, Notice, Sheet, continuations, parse_page
from .structures import AmbiguousStructure, StructureIndex, structures_with_website

SOURCE_LINE = "# source:"
ORIGIN_MAX_LENGTH = SheetProvenance._meta.get_field("source").max_length
# The vocabularies of the format's list sections, and its free text sections but the reason an
# action ended, which is read with its status (``_settle_end_reason``).
VOCABULARIES = {
    section.field: Action._meta.get_field(section.field).related_model
    for section in sections.sections()
    if section.kind in (sections.TERM, sections.TERMS)
}
TEXT_FIELDS = tuple(s.field for s in sections.text_sections() if s.field != "end_reason")
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


# What the import writes of each section (fields, many-to-many, partner links, funding
# lines): what a section cut by the page end leaves as stored (``_Run._keep_stored``).
CUT_STATE = {
    **{name: ((name,), (), False, False) for name in TEXT_FIELDS},
    "status": (("status",), (), False, False),
    "end_reason": (("end_reason",), (), False, False),
    "dimension": (("dimension",), (), False, False),
    "territory_scale": (("territory_scale",), (), False, False),
    **{name: ((), (name,), False, False) for name in ("themes", "initiatives", "publics")},
    "partners": ((), (), True, False),
    "financial_resources": (("financial_resources", "total_budget"), (), True, True),
    "people_mobilised": (
        ("people_mobilised", "staff_count", "volunteer_count", "participant_count"),
        (),
        False,
        False,
    ),
}
# The fields of the sheet's row the import writes: compared with the history record it wrote
# to tell what was edited in the portal since.
TRACKED_FIELDS = (
    "title",
    *TEXT_FIELDS,
    "status",
    "end_reason",
    "dimension",
    "territory_scale",
    "total_budget",
    "staff_count",
    "volunteer_count",
    "participant_count",
    "year",
)
_MISSING = object()


class _Refused(Exception):
    """A sheet the run cannot file; the message says why."""


class Outcome(models.TextChoices):
    CREATED = "created", gettext_lazy("créée")
    UPDATED = "updated", gettext_lazy("mise à jour")
    UNCHANGED = "unchanged", gettext_lazy("inchangée")
    DUPLICATE = "duplicate", gettext_lazy("doublon")
    SKIPPED = "skipped", gettext_lazy("ignorée")
    INCOMPLETE = "incomplete", gettext_lazy("incomplète")  # a card cut short, not imported
    REJECTED = "rejected", gettext_lazy("rejetée")


# What a sheet the page cuts short was: created, updated or unchanged, and incomplete.
INCOMPLETE_LABEL = gettext_lazy("incomplète")


@dataclass(frozen=True)
class Source:
    """A text to import, named for the report; ``error`` when the file could not be read."""

    name: str
    text: str = ""
    error: str = ""

    @property
    def origin(self) -> str:
        """Where the page comes from: the address its first line gives (``# source: URL``,
        as the samples of ``fixtures/senacs/`` have it), else the file's name."""
        first = self.text.lstrip("\ufeff").split("\n", 1)[0].strip()
        if first.startswith(SOURCE_LINE):
            return first.removeprefix(SOURCE_LINE).strip()[:ORIGIN_MAX_LENGTH] or self.name
        return Path(self.name).name[:ORIGIN_MAX_LENGTH]

    @property
    def sha256(self) -> str:
        return sha256(self.text)


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
    incomplete: bool = False  # written, but the page cuts it short (``outcome`` says how)


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

    def incomplete_totals(self) -> dict[str, int]:
        """How many of each outcome's sheets are incomplete (cut short by their page)."""
        counts = dict.fromkeys(Outcome.values, 0)
        for result in self.results:
            counts[result.outcome] += result.incomplete
        return counts

    @property
    def rejected(self) -> list[SheetResult]:
        return [r for r in self.results if r.outcome == Outcome.REJECTED]

    @property
    def incomplete(self) -> list[SheetResult]:
        """Sheets written though their page cuts them short, and cards not imported for it."""
        return [r for r in self.results if r.incomplete or r.outcome == Outcome.INCOMPLETE]

    @property
    def failed(self) -> bool:
        """A sheet was rejected or a file could not be read, or, in strict mode, a sheet is
        incomplete: the exit status says so (and strict mode writes nothing)."""
        return bool(self.rejected or self.file_errors or (self.strict and self.incomplete))


def import_sheets(
    *,
    sources: Sequence[Source],
    publish: bool = False,
    overwrite: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    structure: Structure | None = None,
) -> ImportReport:
    """Import every sheet of ``sources`` in one transaction and report on each sheet;
    ``structure`` is the structure of the older layout's sheets whose website names none."""
    report = ImportReport(dry_run=dry_run, strict=strict)
    with transaction.atomic():
        _Run(report=report, publish=publish, overwrite=overwrite, structure=structure).execute(
            sources
        )
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
    origin: str  # the page's address or file name, for the provenance
    page_sha256: str
    sheet_sha256: str
    structure: Structure | None = None  # found before the write (older layout)


@dataclass
class _Written:
    """What the import did to a sheet's content: ``changed``, and ``faithful`` when the sheet
    now holds the page's text and nothing else (see ``_Run._publication``)."""

    outcome: str
    changed: bool
    faithful: bool
    details: list[str] = field(default_factory=list)


@dataclass
class _State:
    """What the sheet says the action is, for the sections it contains."""

    fields: dict = field(default_factory=dict)
    many: dict[str, list] = field(default_factory=dict)
    partners: dict[str, list[Partner]] = field(default_factory=dict)  # role → partners
    fundings: list[tuple] | None = None  # (funder, amount, year, note)


class _Run:
    def __init__(
        self,
        *,
        report: ImportReport,
        publish: bool,
        overwrite: bool,
        structure: Structure | None = None,
    ):
        self.report = report
        self.publish = publish
        self.overwrite = overwrite
        self.given_structure = structure
        self.now = timezone.now()
        self._departments: dict[str, Department] | None = None
        self._structures = StructureIndex()
        self._partners: dict[tuple[str, str], Partner] = {}
        self._vocabularies: dict[type, dict] = {}  # each read once per run, by match key

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
        self._structures.read(entry.department for entry in planned if entry.structure is None)
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
        if sheet.structure is None:
            return self._plan_unnamed(source, sheet, result)
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
        return _Planned(
            source.name,
            sheet,
            result,
            department,
            key,
            origin=source.origin,
            page_sha256=source.sha256,
            sheet_sha256=sha256(sheet.fingerprint),
        )

    def _plan_unnamed(self, source: Source, sheet: Sheet, result: SheetResult) -> _Planned | None:
        """A sheet of the older layout, which names no structure: its website's, else the one
        the run is given, else rejected (see the module's docstring)."""
        matches = structures_with_website(sheet.website) if sheet.website else []
        found = (
            _("plusieurs structures l'ont : %s") % ", ".join(f"« {s.name} »" for s in matches)
            if matches
            else _("aucune structure de l'annuaire ne l'a")
        )
        website = (
            _(" (site internet %(site)s : %(found)s)") % {"site": sheet.website, "found": found}
            if sheet.website
            else ""
        )
        if len(matches) == 1:
            structure = matches[0]
            message = _("structure « %(name)s » : la page donne son site internet (%(site)s)") % {
                "name": structure.name,
                "site": sheet.website,
            }
            if self.given_structure not in (None, structure):
                message += _(" ; --structure « %s » non appliquée") % self.given_structure.name
        elif self.given_structure is not None:
            structure = self.given_structure
            message = _("structure « %s » donnée par --structure") % structure.name + website
        else:
            result.outcome = Outcome.REJECTED
            result.detail = (
                _(
                    "page à l'ancienne mise en page sans structure : indiquez --structure, ou "
                    "importez d'abord l'annuaire"
                )
                + website
            )
            return None
        result.notices.append(Notice(sheet.website_line or sheet.start_line, message))
        department = structure.department
        return _Planned(
            source.name,
            sheet,
            result,
            department,
            (department.pk, normalize(structure.name), normalize(sheet.title)),
            origin=source.origin,
            page_sha256=source.sha256,
            sheet_sha256=sha256(sheet.fingerprint),
            structure=structure,
        )

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
        """Write one sheet in a savepoint: a sheet the database refuses is rejected alone,
        with its line and the reason, and the run goes on."""
        try:
            with transaction.atomic():
                self._write(entry)
        except _Refused as refusal:
            entry.result.outcome, entry.result.detail = Outcome.REJECTED, str(refusal)
        except DatabaseError as error:
            entry.result.outcome = Outcome.REJECTED
            entry.result.detail = _("refusée par la base de données, rien d'enregistré : %s") % (
                str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error)
            )
        else:
            return
        self._structures.reset()  # they may hold rolled-back rows
        self._partners, self._vocabularies = {}, {}

    def _write(self, entry: _Planned) -> None:
        sheet, result = entry.sheet, entry.result
        structure = entry.structure or self._structure(sheet, entry.department, result)
        action = self._find_action(structure, sheet.title)
        provenance = None
        if action is None:
            action = self._create(structure, self._state(sheet, result, None))
            written = _Written(Outcome.CREATED, changed=True, faithful=True)
        else:
            provenance = getattr(action, "provenance", None)  # read with the action
            written = self._rewrite(action, entry, provenance)
        result.action_slug = action.slug
        if written is None:  # skipped: ``result`` says why
            return
        details = [*written.details, *self._publication(action, entry, written)]
        # A cut copy that changed nothing leaves the provenance of the page the sheet is from.
        other_page = provenance is not None and provenance.sheet_sha256 != entry.sheet_sha256
        if written.changed or provenance is None or (other_page and not sheet.truncated):
            self._record_provenance(action, entry)
        if sheet.truncated:
            result.incomplete = True
            details.insert(
                0,
                _("coupée après « %s »") % LABELS[sheet.last_field]
                if sheet.last_field
                else _("sans section"),
            )
        result.outcome = written.outcome
        result.detail = "; ".join(str(d) for d in details if d)

    def _rewrite(
        self, action: Action, entry: _Planned, provenance: SheetProvenance | None
    ) -> "_Written | None":
        """Bring an existing sheet in line with the page, under the rules of provenance (see
        the module's docstring); ``None`` when it is skipped (``entry.result`` says why).
        Raises ``_Refused`` when someone saved the sheet during the run."""
        sheet, result = entry.sheet, entry.result
        edited = self._edited_since(action, provenance)
        recognised = provenance is not None and provenance.sheet_sha256 == entry.sheet_sha256
        if recognised and not (edited and self.overwrite):
            return _Written(
                Outcome.UNCHANGED,
                changed=False,
                faithful=not edited,
                details=[
                    _("déjà importée de %(source)s le %(date)s")
                    % {"source": provenance.source, "date": format_day(provenance.imported_at)}
                ],
            )
        completes = bool(provenance and provenance.cut_section and not edited) and not (
            sheet.truncated
        )
        if not (self.overwrite or completes):
            result.outcome = Outcome.SKIPPED
            result.detail = self._skip_reason(action, sheet, provenance, edited)
            return None
        state = self._state(sheet, result, action)
        kept = self._keep_stored(action, state, sheet, result)
        try:
            changes = self._update(action, state)
        except EditConflict as conflict:
            raise _Refused(
                _(
                    "fiche enregistrée par %(user)s pendant l'import, laissée telle quelle : "
                    "relancez l'import"
                )
                % {"user": conflict.current.updated_by or _("quelqu'un")}
            ) from None
        details = [_("modifié : %s") % ", ".join(changes)] if changes else []
        if edited and changes:
            details.append(
                _("remplace ce qui a été modifié dans le portail depuis l'import (%s)")
                % ", ".join(edited)
            )
        return _Written(
            Outcome.UPDATED if changes else Outcome.UNCHANGED,
            changed=bool(changes),
            faithful=not kept,
            details=details,
        )

    def _skip_reason(self, action, sheet: Sheet, provenance, edited) -> str:
        if provenance is None:
            known = _("existe déjà (créée dans le portail ou avant le suivi des imports)")
        else:
            known = _("existe déjà (importée de %(source)s le %(date)s)") % {
                "source": provenance.source,
                "date": format_day(provenance.imported_at),
            }
        parts = [known]
        if edited:
            parts.append(_("modifiée dans le portail depuis : %s") % ", ".join(edited))
        differing = [
            str(LABELS[name])
            for name in TEXT_FIELDS
            if name in sheet.present and sheet.texts.get(name, "") != getattr(action, name)
        ]
        if differing:
            parts.append(_("la page diffère : %s") % ", ".join(differing))
        parts.append(_("laissée telle quelle (--overwrite pour la remplacer)"))
        return "; ".join(str(part) for part in parts)

    def _edited_since(self, action: Action, provenance: SheetProvenance | None) -> list[str]:
        """What was changed in the portal since the import wrote ``provenance``: the
        sections whose value differs from the history record the import wrote (the lists
        and lines when only they did)."""
        if provenance is None or action.version == provenance.version:
            return []
        record = Action.history.filter(history_id=provenance.history_id).first()
        if record is None:  # history pruned: the sheet changed, what is not known
            return [_("la fiche")]
        names = [
            _label(name)
            for name in TRACKED_FIELDS
            if getattr(record, _attname(name)) != getattr(action, _attname(name))
        ]
        return names or [_("listes, partenaires ou financements")]

    def _keep_stored(self, action: Action, state: "_State", sheet: Sheet, result) -> bool:
        """Leave out of ``state`` what would shorten the stored sheet; whether anything was.

        - a text that is the beginning of the stored one (a copy cut short, or text added in
          the portal since) never replaces it;
        - the section the page cuts (``Sheet.cut_field``) only fills a section left empty:
          its text, list or figures may stop anywhere.
        """
        kept = False
        for name in TEXT_FIELDS:
            new, old = state.fields.get(name), getattr(action, name)
            if new is None or not old or new.strip() == old.strip():
                continue
            if old.strip().startswith(new.strip()):
                del state.fields[name]
                kept = True
                result.notices.append(
                    Notice(
                        result.line,
                        _(
                            "« %(section)s » : le texte de la page est le début du texte "
                            "enregistré (%(new)d caractères sur %(old)d), qui est gardé"
                        )
                        % {"section": LABELS[name], "new": len(new.strip()), "old": len(old)},
                    )
                )
        cut = sheet.cut_field if sheet.truncated else None
        if cut and cut in CUT_STATE and not _stored_is_empty(action, cut):
            fields, many, partners, fundings = CUT_STATE[cut]
            dropped = [f for f in fields if state.fields.pop(f, _MISSING) is not _MISSING]
            dropped += [m for m in many if state.many.pop(m, None) is not None]
            if partners and state.partners:
                state.partners, dropped = {}, [*dropped, "partners"]
            if fundings and state.fundings is not None:
                state.fundings, dropped = None, [*dropped, "fundings"]
            if dropped:
                kept = True
                result.notices.append(
                    Notice(
                        sheet.cut_line or result.line,
                        _(
                            "« %s » coupée par la fin de la page : ce qui est enregistré pour "
                            "cette section est gardé"
                        )
                        % LABELS[cut],
                    )
                )
        return kept

    def _publication(self, action: Action, entry: _Planned, written: "_Written") -> list[str]:
        """Publication after the write: an import never publishes text nobody reviewed.

        - a published sheet the import changed goes back to moderation
          (``publication.submit_import_update``), ``--publish`` or not;
        - with ``--publish``, a new sheet or a draft (never a sheet waiting for moderation
          or refused) is published only when it holds the page's text and nothing else: not
          cut, nothing of the stored sheet kept in place of the page's (a longer text, the cut
          section), nothing edited in the portal since the import left in it."""
        sheet, source = entry.sheet, entry.source
        if written.changed and action.is_published:
            publication.submit_import_update(action=action, source=source)
            return [_("publiée : renvoyée à la modération, hors du catalogue jusqu'à sa relecture")]
        if not self.publish or action.is_published:
            return []
        if action.publication_status != PublicationStatus.DRAFT:
            return []  # submitted or refused: in the moderators' hands
        if sheet.truncated:
            return [_("non publiée : la page la coupe")]
        if not written.faithful:
            return [_("non publiée : elle garde un texte qui n'est pas celui de la page")]
        created = written.outcome == Outcome.CREATED
        if publication.publish_import(action=action, source=source, created=created, at=self.now):
            return [] if created else [str(CHANGE_LABELS["publication"])]
        return []

    def _record_provenance(self, action: Action, entry: _Planned) -> None:
        record = action.history.order_by("-history_id").values_list("history_id", flat=True)
        values = {
            "source": entry.origin,
            "page_sha256": entry.page_sha256,
            "sheet_sha256": entry.sheet_sha256,
            "imported_at": self.now,
            "version": Action.objects.values_list("version", flat=True).get(pk=action.pk),
            "history_id": record.first(),
            "cut_section": (entry.sheet.cut_field or "title") if entry.sheet.truncated else "",
        }
        SheetProvenance.objects.update_or_create(action=action, defaults=values)

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

    def _structure(self, sheet: Sheet, department: Department, result) -> Structure:
        """The structure the sheet names, found or created as the module's docstring says;
        anything but an exact match is reported at the structure's line."""
        ref = sheet.structure
        try:
            match = self._structures.find(department, ref.name)
        except AmbiguousStructure as ambiguous:
            raise _Refused(str(ambiguous)) from None
        if match is not None:
            if notice := match.notice(ref.line):
                result.notices.append(notice)
            return match.structure
        named = _named_kind(ref.name)
        kind = named or StructureKind.CENTRE_SOCIAL
        structure = Structure.objects.create(
            name=ref.name,
            slug=unique_slug(Structure, ref.name, max_length=255),
            kind=kind,
            department=department,
        )
        self._structures.add(structure)
        result.notices.append(
            Notice(
                ref.line,
                _(
                    "structure absente du portail, créée sans fédération et de type « %(kind)s » "
                    "%(why)s : l'import de l'annuaire (import_structures) donnera son type et "
                    "sa fédération"
                )
                % {
                    "kind": StructureKind(kind).label,
                    "why": _("(son nom le dit)")
                    if named
                    else _("(par défaut, son nom ne le dit pas)"),
                },
            )
        )
        return structure

    def _vocabulary(self, field_name: str, item: Item, result: SheetResult):
        model = VOCABULARIES[field_name]
        if model not in self._vocabularies:
            self._vocabularies[model] = model.objects.all().by_match_key()
        entry = self._vocabularies[model].get(normalize(item.value))
        if entry is None:
            del self._vocabularies[model]
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
        stored = Action.objects.filter(structure=structure).select_related("provenance")
        for action in stored.order_by("pk"):
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

    def _create(self, structure: Structure, state: _State) -> Action:
        action = Action(structure=structure, **state.fields)
        with content.saving(action, user=None):
            for name, entries in state.many.items():
                getattr(action, name).set(entries)
            for role, linked in state.partners.items():
                ActionPartner.objects.bulk_create(
                    ActionPartner(action=action, partner=partner, role=role) for partner in linked
                )
            self._create_fundings(action, state.fundings or [])
        return action

    def _update(self, action: Action, state: _State) -> list[str]:
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
        stored_links = defaultdict(set)  # role → partners' pks, every role in one query
        if state.partners:
            for role, partner_id in action.partner_links.order_by().values_list("role", "partner"):
                stored_links[role].add(partner_id)
        link_changes = [
            role
            for role, partners in state.partners.items()
            if {p.pk for p in partners} != stored_links[role]
        ]
        fundings_changed = state.fundings is not None and _funding_key(
            (f.funder_id, f.amount, f.year, f.note) for f in action.fundings.all()
        ) != _funding_key((f.pk, a, y, n) for f, a, y, n in state.fundings)
        if not (changes or many_changes or link_changes or fundings_changed):
            return []
        self._save(action, state, changes, many_changes, link_changes, fundings_changed)
        labels = [_label(name) for name in (*changes, *many_changes)]
        if PartnerRole.ACTION in link_changes:
            labels.append(str(LABELS["partners"]))
        if PartnerRole.FINANCIAL in link_changes:
            labels.append(str(CHANGE_LABELS["financial_partners"]))
        if fundings_changed:
            labels.append(str(CHANGE_LABELS["fundings"]))
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


def _named_kind(name: str) -> str | None:
    """The kind a structure's name states ("Espace de vie sociale …", "EVS …", "Centre
    social …"), if it states one."""
    key = name_key(name)
    if "espace de vie sociale" in key or re.search(r"\bevs\b", key):
        return StructureKind.EVS
    if re.search(r"\bcentres? (?:social|sociaux|socio|culturel et social)|\bcsc?\b", key):
        return StructureKind.CENTRE_SOCIAL
    return None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _attname(name: str) -> str:
    return Action._meta.get_field(name).attname


def _label(name: str) -> str:
    """What the report calls a field of the sheet."""
    return str(LABELS.get(name) or CHANGE_LABELS.get(name, name))


def _stored_is_empty(action: Action, section: str) -> bool:
    """Whether the stored sheet has nothing in ``section`` (see ``CUT_STATE``)."""
    fields, many, partners, fundings = CUT_STATE[section]
    if any(getattr(action, _attname(name)) not in (None, "") for name in fields):
        return False
    if any(getattr(action, name).exists() for name in many):
        return False
    if partners and action.partner_links.exists():
        return False
    return not (fundings and action.fundings.exists())
