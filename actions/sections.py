"""The published format of an action sheet, declared once: its sections, in the published order.

Each ``Section`` says everything the portal needs to know about one section, and every part of
the portal reads it rather than naming the section again:

- the model: a text section's column is made from its declaration (``text_column``: heading as
  verbose name, ``max_length``, help text; ``actions.models.SectionTexts``), so a new text
  section is one entry here plus the migration ``makemigrations`` writes;
- the workspace form (``workspace.forms``): its fields, their order, the legend of each
  section, the markers and the check of ``required`` sections, the inline lines of a section;
- the admin's fieldsets (``group``), the public sheet page (``heading``, order), the
  completeness indicator and the empty sections (``is_filled``, ``counts_for_completeness``);
- the search vector (``weight``: ``search_paths``, rendered into SQL by
  ``actions.search_vector``), the records of the exports, the API and the open data
  (``catalogue.records``: ``kind`` and ``heading``, the column's header);
- the importer (``label`` and ``legacy_labels``: the headings of the printed sheets).

The observatory printed its sheets in an older layout before the current one (see
``fixtures/senacs/``): questions such as "Quels furent les facteurs de réussite de cette
expérience ?" as headings, without the "- " of the current labels. ``legacy_labels`` maps each
of those headings onto the section that holds the same content today (both "Thèmes" and
"Mots clés associés à l'actions" are keywords); a section printed identically in both layouts
("Description générale") needs none. Three old sections have no counterpart in the current
format: they are sections of their own, without ``label``, that only old sheets fill in, that
the workspace form does not offer, and that do not count for completeness.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import keep_lazy_text
from django.utils.translation import gettext_lazy as _

from federations.text import TEXT_MAX_LENGTH, bounded_text

# Kinds of section: what the section holds, hence how each part of the portal shows it.
TEXT = "text"  # a free text column
CHOICE = "choice"  # a column with choices
STRUCTURE = "structure"  # the structure that runs the action
TERM = "term"  # one entry of a vocabulary (a foreign key)
TERMS = "terms"  # entries of a vocabulary (a many-to-many field)
PARTNERS = "partners"  # partners with their role (lines of the sheet)
ATTACHMENTS = "attachments"  # files (lines of the sheet)
FUNDING = "funding"  # a free text, with the total budget and the funding lines
PEOPLE = "people"  # a free text, with the numbers of people counted
KINDS = (TEXT, CHOICE, STRUCTURE, TERM, TERMS, PARTNERS, ATTACHMENTS, FUNDING, PEOPLE)
# Kinds whose own column is a free text (``text_column``).
TEXT_KINDS = (TEXT, FUNDING, PEOPLE)
# Kinds that are lines of their own (inline formsets), not columns of the sheet.
LINE_KINDS = (PARTNERS, ATTACHMENTS)
WEIGHTS = ("A", "B", "C", "D")

# Groups of sections: the fieldsets of the admin's sheet page.
IDENTIFICATION = _("Identification")
CONTENT = _("Contenu de la fiche")
MEANS = _("Moyens")
RESULTS = _("Résultats et suites")

OLDER_LAYOUT_HELP = _("Section des fiches de l'ancienne présentation de l'observatoire.")


@keep_lazy_text
def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Section:
    """One section of the published format.

    ``field`` is the sheet's field (the key of the section everywhere: form field, record key,
    CSV column, API property). ``heading`` is how the portal names it (French, translatable:
    legend, page heading, column header, the text column's verbose name); ``label`` is how the
    current printed format names it, exactly ("" for a section of the older layout only).
    ``details`` are other columns of the sheet the section shows with its own (the total
    budget with the financial resources). ``lines`` is the relation a section's lines are read
    through, when they make it filled (the partnerships, the funding lines). ``weight`` is its
    weight in the search vector ("" when it is not searched). ``rows`` sizes a text section's
    box in the workspace form.
    """

    field: str
    heading: str
    kind: str
    group: str
    label: str = ""
    legacy_labels: tuple[str, ...] = ()
    required: bool = False
    counts_for_completeness: bool = True
    weight: str = ""
    details: tuple[str, ...] = ()
    lines: str = ""
    max_length: int = TEXT_MAX_LENGTH
    help_text: str = ""
    rows: int = 3

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Section {self.field}: unknown kind {self.kind!r}.")
        if self.weight not in ("", *WEIGHTS):
            raise ValueError(f"Section {self.field}: weight {self.weight!r} is not one of A-D.")
        if not self.label and not self.legacy_labels:
            raise ValueError(f"Section {self.field}: neither a label nor a legacy label.")

    @property
    def current(self) -> bool:
        """A section of the current printed format (the workspace form offers it)."""
        return bool(self.label)

    @property
    def columns(self) -> tuple[str, ...]:
        """The sheet's fields this section writes (none for lines of their own)."""
        return () if self.kind in LINE_KINDS else (self.field, *self.details)

    @property
    def relations(self) -> tuple[str, ...]:
        """What ``is_filled`` reads through ``.all()``: to prefetch for a list of sheets."""
        own = (self.field,) if self.kind in (TERMS, ATTACHMENTS) else ()
        return own + ((self.lines,) if self.lines else ())

    @property
    def search_paths(self) -> tuple[str, ...]:
        """What the search vector holds of this section: paths from the sheet (the names of
        the entries it links to, for the relations)."""
        if not self.weight:
            return ()
        if self.kind in TEXT_KINDS:
            return (self.field,)
        if self.kind in (STRUCTURE, TERM, TERMS):
            return (f"{self.field}__name",)
        if self.kind == PARTNERS:
            # Every partner the sheet names: its partnerships, and its funding lines' funders.
            return (f"{self.field}__name", "fundings__funder__name")
        raise ValueError(f"Section {self.field}: a section of kind {self.kind} is not searched.")

    def text_column(self) -> models.TextField:
        """The column of a text section (``TEXT_KINDS``): its heading is its verbose name, in
        lower case as Django's are (the admin and the history capitalise them)."""
        return bounded_text(
            _lower_first(self.heading),
            max_length=self.max_length,
            blank=True,
            help_text=self.help_text,
        )


SECTIONS: tuple[Section, ...] = (
    Section(
        "structure",
        _("Structure organisatrice"),
        STRUCTURE,
        IDENTIFICATION,
        label="Structure organisatrice",
        required=True,
        weight="B",
    ),
    Section(
        "attachments",
        _("Fichier(s) associé(s)"),
        ATTACHMENTS,
        CONTENT,
        label="Fichier(s) associé(s)",
        counts_for_completeness=False,
    ),
    Section(
        "status",
        _("Statut de l'action"),
        CHOICE,
        IDENTIFICATION,
        label="Statut de l'action",
        required=True,
    ),
    Section(
        "end_reason",
        _("Raisons pour lesquelles l'action est terminée"),
        TEXT,
        IDENTIFICATION,
        label="Raisons pour lesquelles l'action est terminée",
        counts_for_completeness=False,
        weight="D",
        rows=2,
    ),
    Section("dimension", _("Dimension"), TERM, CONTENT, label="Dimension"),
    Section(
        "themes",
        _("Mots clés associés à l'action"),
        TERMS,
        CONTENT,
        label="Mots clés associés à l'action",
        legacy_labels=("Thèmes", "Mots clés associés à l'actions"),
        required=True,
        weight="C",
    ),
    Section("summary", _("Résumé"), TEXT, CONTENT, label="Résumé", required=True, weight="B"),
    Section(
        "initiatives",
        _("Qui est à l'initiative de l'action ?"),
        TERMS,
        CONTENT,
        label="Qui est à l'initiative de l'action ?",
    ),
    Section(
        "territory_scale", _("Territoire concerné"), TERM, CONTENT, label="Territoire concerné"
    ),
    Section(
        "diagnostic",
        _("Éléments de diagnostic à l'origine de l'expérience"),
        TEXT,
        CONTENT,
        legacy_labels=("Quels furent les éléments de diagnostic à l'origine de l'expérience ?",),
        counts_for_completeness=False,
        weight="C",
        help_text=OLDER_LAYOUT_HELP,
    ),
    Section(
        "experience",
        _("Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases"),
        TEXT,
        CONTENT,
        label="Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.",
        weight="C",
        rows=6,
    ),
    Section("publics", _("Public"), TERMS, CONTENT, label="Public", required=True),
    Section(
        "partners",
        _("Avec qui cette action a-t-elle été menée ?"),
        PARTNERS,
        CONTENT,
        label="Avec qui cette action a-t-elle été menée ?",
        weight="D",
        lines="partner_links",
    ),
    Section(
        "description",
        _("Description générale"),
        TEXT,
        CONTENT,
        label="Description générale",
        required=True,
        weight="C",
        rows=6,
    ),
    Section(
        "financial_resources",
        _("Ressources financières mobilisées pour cette action"),
        FUNDING,
        MEANS,
        label="Ressources financières mobilisées pour cette action",
        weight="D",
        details=("total_budget",),
        lines="fundings",
        help_text=_(
            "Le texte tel que rédigé ; les financements chiffrés ont leurs propres lignes."
        ),
    ),
    Section(
        "people_mobilised",
        _("Nombre de personnes mobilisées pour cette action"),
        PEOPLE,
        MEANS,
        label="Nombre de personnes mobilisés pour cette action",
        weight="D",
        details=("staff_count", "volunteer_count", "participant_count"),
        rows=2,
    ),
    Section(
        "result_territory",
        _("Résultat sur le territoire"),
        TEXT,
        RESULTS,
        label="Résultat sur le territoire",
        weight="D",
    ),
    Section(
        "result_centre",
        _("Résultat pour le centre social"),
        TEXT,
        RESULTS,
        label="Résultat pour le centre social",
        weight="D",
    ),
    Section(
        "result_residents",
        _("Résultat pour les habitants"),
        TEXT,
        RESULTS,
        label="Résultat pour les habitants",
        weight="D",
    ),
    Section(
        "impacts",
        _("Impacts ou effets positifs sur le public, le centre social ou l'environnement"),
        TEXT,
        RESULTS,
        legacy_labels=(
            "Quels sont les impacts ou effets positifs produits par cette expérience au niveau "
            "du public, du centre social ou de l'environnement ?",
        ),
        counts_for_completeness=False,
        weight="D",
        help_text=OLDER_LAYOUT_HELP,
    ),
    Section(
        "success_factors",
        _("Facteurs de réussite"),
        TEXT,
        RESULTS,
        legacy_labels=("Quels furent les facteurs de réussite de cette expérience ?",),
        counts_for_completeness=False,
        weight="D",
        help_text=OLDER_LAYOUT_HELP,
    ),
    Section(
        "limits",
        _("Suite de l'action : limites"),
        TEXT,
        RESULTS,
        label="Suite de l'action : Limites",
        legacy_labels=("Quelles sont les limites de cette expérience ?",),
        weight="D",
    ),
    Section(
        "perspectives",
        _("Suite de l'action : perspectives"),
        TEXT,
        RESULTS,
        label="Suite de l'action : Perspectives",
        weight="D",
    ),
)

# The sheet's title is no section (it names the sheet) but is searched first and required.
TITLE = "title"
TITLE_HEADING = _("Titre")
TITLE_WEIGHT = "A"


# Reads of the declaration. They read ``SECTIONS`` when called, so that a test may declare a
# throw-away section (tests/test_published_format.py).


def sections() -> tuple[Section, ...]:
    return SECTIONS


def section(field: str) -> Section | None:
    return next((s for s in SECTIONS if s.field == field), None)


def current_sections() -> tuple[Section, ...]:
    """The sections of the current printed format, in its order."""
    return tuple(s for s in SECTIONS if s.current)


def completeness_sections() -> tuple[Section, ...]:
    return tuple(s for s in SECTIONS if s.counts_for_completeness)


def text_sections() -> tuple[Section, ...]:
    """The sections whose own column is a free text."""
    return tuple(s for s in SECTIONS if s.kind in TEXT_KINDS)


def required_for_submission() -> tuple[tuple[str, str], ...]:
    """What a sheet needs before it can be sent to moderation: (field, heading) pairs."""
    required = ((s.field, s.heading) for s in SECTIONS if s.required)
    return ((TITLE, TITLE_HEADING), *required)


def completeness_prefetch() -> tuple[str, ...]:
    """The relations the completeness of a list of sheets reads, to prefetch."""
    return tuple(dict.fromkeys(r for s in completeness_sections() for r in s.relations))


def weighted_paths() -> dict[str, tuple[str, ...]]:
    """What a sheet is searched on, by weight (A first): its title, then its sections' paths
    in the published order."""
    paths: dict[str, tuple[str, ...]] = dict.fromkeys(WEIGHTS, ())
    paths[TITLE_WEIGHT] += (TITLE,)
    for s in SECTIONS:
        if s.weight:
            paths[s.weight] += s.search_paths
    return {weight: found for weight, found in paths.items() if found}


def _blank(value) -> bool:
    return value is None or not str(value).strip()


def is_filled(sheet, section: Section) -> bool:
    """Whether ``sheet`` fills ``section``: its column or one of its relations holds
    something, one of its ``details`` is given, or it has one of its ``lines`` (a funding line
    fills the financial resources). One rule for the completeness indicator (workspace, admin),
    the list of empty sections, the check before submission and the public page, which shows
    the sections a sheet fills. Relations are read through ``.all()``, so that prefetched rows
    cost no query."""
    kind, field = section.kind, section.field
    if kind in (TERMS, ATTACHMENTS):
        filled = sheet.pk is not None and bool(getattr(sheet, field).all())
    elif kind == PARTNERS:
        filled = False  # its lines say
    elif kind in (STRUCTURE, TERM):
        filled = getattr(sheet, f"{field}_id") is not None
    else:
        filled = not _blank(getattr(sheet, field))
    if not filled and section.details:
        filled = any(not _blank(getattr(sheet, name)) for name in section.details)
    if not filled and section.lines and sheet.pk is not None:
        filled = bool(getattr(sheet, section.lines).all())
    return filled


def empty_sections(sheet) -> list[Section]:
    """The sections counted by the completeness indicator that ``sheet`` leaves empty."""
    return [s for s in completeness_sections() if not is_filled(sheet, s)]


def completeness(sheet) -> int:
    """Share of the sections counted by the completeness indicator that ``sheet`` fills, in
    percent."""
    counted = completeness_sections()
    return round(100 * sum(is_filled(sheet, s) for s in counted) / len(counted))
