"""Read action sheets from their published text format, without touching the database.

The format, as the national observatory prints it (see ``fixtures/sheets/``):

- a page may begin with a heading ("Les actions des centres sociaux") and a listing table
  (``Nom | Département | Année |``): ignored;
- a sheet starts at a line that is exactly ``Actions`` followed by the title line ("Actions
  d'accompagnement…" is a title, not a sheet start); a line ``Actions`` in free text does not
  start a sheet unless a section label or the end of the file comes right after its title;
- sections start at lines ``- <label>``, the label being exactly one of the published labels
  of ``actions.sections.SECTIONS``; free text keeps its own lines beginning with "- ";
- list sections (status, dimension, keywords, initiative, territory, public, partners) hold one
  ``- value`` per line; a lone ``-`` is an empty placeholder; "Avec qui cette action a-t-elle
  été menée ?" holds ``Partenaires d'action:`` then the partners;
- "Territoire concerné" appears twice in a sheet (once more after the partners);
- any section may be missing or empty, and the last sheet may be cut off.

The observatory's older layout (``fixtures/senacs/action_show_*.txt``) is read into the same
``Sheet``: ``Actions``, the title, then headings printed bare ("Thèmes", "Quels furent les
facteurs de réussite de cette expérience ?"...), lists of ``• value`` and the files as a name
line then a ``( size )`` line. ``actions.sections`` maps each heading onto its section. That
layout names no structure: a line of its files (or before its first section) that is a
website ("www.cscwimereux.org", "http://…") is the page's website (``Sheet.website``), not a
file; the loader finds the structure by it (``structures``), or is told which it is.

A page saved before its end cuts its last sheet short. A sheet is **cut** when it lacks the
final section of its layout, or when the page ends on that section's heading. ``cut_field``
and ``cut_line`` say where; the last line of a cut sheet may be cut mid-word, so it never gives
a list value (no vocabulary entry "Territoire con"), a structure line there says so
(``StructureRef.cut``: "Tarn" may be the start of "Tarn-et-Garonne", see ``continuations``),
and a last line that is the start of a heading is dropped rather than kept as text.

``parse_page`` returns the sheets of a text, or the reason it holds none (an empty file, the
observatory's charter...); ``parse_text`` the sheets only. Each ``Sheet`` has the file's line
numbers, the values of its sections, the figures read from its texts (``extraction``), the
files it lists and the notices worth reporting. What a sheet does not say is left empty:
nothing is guessed from the database here.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from actions import sections
from actions.enums import ActionStatus, PartnerRole
from actions.sections import SECTIONS, current_sections
from federations.text import normalize

from .extraction import (
    MAX_PARTNER_NAME,
    FundingExtraction,
    PeopleCounts,
    extract_funding,
    extract_people,
    extract_year,
    tidy,
)
from .pages import SHEET_MARK, clean, key, no_content_reason, page_lines

PAGE_HEADINGS = frozenset({normalize("Les actions des centres sociaux")})
# Sections whose content is a list of "- value" lines; the others are free text.
LIST_FIELDS = frozenset(
    {
        "structure",
        "attachments",
        "status",
        "dimension",
        "themes",
        "initiatives",
        "territory_scale",
        "publics",
        "partners",
    }
)
SINGLE_VALUE_FIELDS = frozenset({"structure", "status", "dimension", "territory_scale"})
# Sub-labels of the partners section and the role they give.
PARTNER_SUBLABELS = {
    "partenaires d'action": PartnerRole.ACTION,
    "partenaires financiers": PartnerRole.FINANCIAL,
}
# Free text met in a list section goes to a text section; when no text section follows or
# precedes it in the sheet, to the text section the format places after the list.
FALLBACK_TEXT_FIELD = {
    "structure": "summary",
    "attachments": "summary",
    "status": "summary",
    "dimension": "summary",
    "themes": "summary",
    "initiatives": "experience",
    "territory_scale": "experience",
    "publics": "description",
    "partners": "description",
}
# A list value is a few words, not a sentence.
MAX_VALUE_WORDS = 8
MAX_VALUE_LENGTH = 80
MAX_TITLE_LENGTH = 255
MAX_NAME_LENGTH = 255

SECTION_ORDER = tuple(section.field for section in current_sections())
# The heading of each section for the report: the current label, else the older one.
LABELS = {section.field: section.label or section.legacy_labels[0] for section in SECTIONS}
LAST_FIELD = SECTION_ORDER[-1]

_SENTENCE = re.compile(r"[.!?;:](?:\s|$)")
_TABLE_ROW = re.compile(r"^[^|]*\|[^|]*\|")
_STRUCTURE_SEPARATORS = (" - ", " – ", " — ")
# A value the page itself shortened ("Autres ..."): not a value of the vocabulary.
_ABRIDGED = re.compile(r"(?:\.\.|…)$")
# A file size line of the older layout: "( 56.06K )", "( )".
_FILE_SIZE = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<size>[^()]*?)\s*\)$")
# A website rather than a file name: a scheme or "www.", then a host name.
_WEBSITE = re.compile(
    r"^(?:https?://(?:www\.)?|www\.)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+"
    r"(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


def _label_key(text: str) -> str:
    return clean(text).rstrip(".").rstrip()


@dataclass(frozen=True)
class Layout:
    """How one layout of the observatory prints its sheets' section headings."""

    name: str
    final_field: str  # the last section of a complete sheet
    repeatable: dict[str, int]  # sections printed more than once by design

    def label_field(self, line: str) -> str | None:
        """The field whose section ``line`` starts, if it is a heading of this layout."""
        if self is CURRENT:
            text = clean(line)
            if not text.startswith("- "):
                return None
            return _CURRENT_LABELS.get(_label_key(text[2:]))
        return _LEGACY_LABELS.get(key(line))

    def bullet_value(self, text: str) -> str | None:
        """The value of a list line ("- value", and "• value" in the older layout)."""
        if text.startswith("-") or (self is LEGACY and text.startswith("•")):
            return text.lstrip("-•").strip()
        return None

    def label(self, field_name: str) -> str:
        section = sections.section(field_name)
        if self is LEGACY and section.legacy_labels:
            return section.legacy_labels[0]
        return section.label or section.legacy_labels[0]


CURRENT = Layout("current", final_field=LAST_FIELD, repeatable={"territory_scale": 2})
LEGACY = Layout("legacy", final_field="limits", repeatable={"themes": 2})

_CURRENT_LABELS = {_label_key(section.label): section.field for section in current_sections()}
# The older layout prints its own headings, and the current labels bare (without "- ").
_LEGACY_LABELS = {key(section.label): section.field for section in current_sections()} | {
    key(label): section.field for section in SECTIONS for label in section.legacy_labels
}
_STRUCTURAL_LINES = (
    SHEET_MARK,
    *(f"- {section.label}" for section in current_sections()),
    "Les actions des centres sociaux",
)
_LEGACY_HEADINGS = tuple(
    dict.fromkeys(
        [section.label for section in current_sections()]
        + [label for section in SECTIONS for label in section.legacy_labels]
    )
)


def label_field(line: str) -> str | None:
    """The field whose section the line ``- <label>`` starts, if it is an exact known label
    of the current format."""
    return CURRENT.label_field(line)


def _partner_sublabel(text: str) -> str | None:
    return PARTNER_SUBLABELS.get(normalize(text).rstrip(" :"))


@dataclass(frozen=True)
class Line:
    number: int
    text: str


@dataclass(frozen=True)
class Item:
    """One value of a list section, with its line number."""

    value: str
    line: int
    role: str = ""  # for partners: PartnerRole value


@dataclass(frozen=True)
class ListedFile:
    """A file a sheet lists ("Fichier(s) associé(s)"); the file itself is not on the page."""

    name: str
    line: int
    size: str = ""  # as printed by the older layout ("56.06K")


@dataclass(frozen=True)
class Notice:
    """Something worth telling the person who runs the import, at a line of the file."""

    line: int
    message: str


@dataclass(frozen=True)
class StructureRef:
    name: str
    department: str
    line: int
    cut: bool = False  # the page ends on this line: the département may be cut short


@dataclass
class Block:
    field: str
    line: int
    lines: list[Line] = field(default_factory=list)


@dataclass
class Sheet:
    """One action sheet as read from the text; ``present`` lists the sections it contains.

    ``truncated``: the sheet is cut short (see the module's docstring); ``cut_field`` is then
    the section the page ends in (None: it ends in the title) and ``cut_line`` its last line.
    """

    start_line: int
    title: str
    title_line: int | None
    fingerprint: str
    layout: str = CURRENT.name
    present: frozenset[str] = frozenset()
    texts: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[Item]] = field(default_factory=dict)
    files: list[ListedFile] = field(default_factory=list)
    structure: StructureRef | None = None
    website: str = ""  # the older layout's website line, which names the structure
    website_line: int | None = None
    status: str | None = None
    funding: FundingExtraction = field(default_factory=FundingExtraction)
    people: PeopleCounts = field(default_factory=PeopleCounts)
    year: int | None = None
    truncated: bool = False
    last_field: str | None = None
    cut_field: str | None = None
    cut_line: int | None = None
    structure_cut_line: int | None = None  # the page may end inside the structure line
    notices: list[Notice] = field(default_factory=list)
    rejection: str | None = None

    @property
    def total_budget(self) -> Decimal | None:
        return self.funding.total_budget

    def values(self, field_name: str) -> list[str]:
        return [item.value for item in self.lists.get(field_name, [])]


@dataclass
class SheetPage:
    """The sheets of a text; ``reason`` says why there is none."""

    sheets: list[Sheet]
    reason: str = ""


def parse_page(text: str) -> SheetPage:
    """Every sheet of ``text``, in order, or the reason there is none. Never raises."""
    lines = page_lines(text)
    # ``clean`` only changes spaces, apostrophes and BOMs: a line it makes "Actions" holds the
    # word as it is, or a BOM. Looking for them first spares cleaning every line of the page.
    starts = [
        (index, layout)
        for index, line in enumerate(lines)
        if (SHEET_MARK in line or "\ufeff" in line) and (layout := _starts(lines, index))
    ]
    sheets = []
    for position, (start, layout) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        sheets.append(_parse_sheet(lines, start, end, layout))
    if sheets:
        return SheetPage(sheets)
    return SheetPage([], no_content_reason(lines, expected="sheets"))


def parse_text(text: str) -> list[Sheet]:
    """Every sheet of ``text``, in order. Never raises on any text."""
    return parse_page(text).sheets


def continuations(label: str, names: Iterable[str]) -> list[str]:
    """The ``names`` that begin with ``label`` and go on: what a page cut right after
    ``label`` may have cut short ("Tarn" → "Tarn-et-Garonne"). A label closed by a
    parenthesis ("Tarn (81)") is whole."""
    text = clean(label)
    if not text or text.endswith(")"):
        return []
    start = normalize(text)
    return [
        name
        for name in names
        if len(normalize(name)) > len(start) and normalize(name).startswith(start)
    ]


def _starts(lines: list[str], index: int) -> Layout | None:
    """``Actions``, then a title line, then a section heading (or the end of the file): the
    layout of the sheet that starts there. A website line may come between the title and the
    first heading (the older layout)."""
    if clean(lines[index]) != SHEET_MARK:
        return None
    title_seen = False
    for line in lines[index + 1 :]:
        if not clean(line) or (title_seen and _WEBSITE.match(clean(line))):
            continue
        if CURRENT.label_field(line) is not None:
            return CURRENT
        if title_seen:
            return LEGACY if LEGACY.label_field(line) is not None else None
        title_seen = True
    return CURRENT


def _parse_sheet(lines: list[str], start: int, end: int, layout: Layout) -> Sheet:
    body = [Line(number + 1, lines[number]) for number in range(start + 1, end)]
    body, chrome = _without_page_chrome(body)
    at_page_end = chrome or end == len(lines)
    title, title_line, rest = _title(body, layout)
    sheet = Sheet(
        start_line=start + 1,
        title=title,
        title_line=title_line,
        fingerprint="\n".join(line.text.rstrip() for line in body).strip("\n"),
        layout=layout.name,
    )
    blocks: list[Block] = []
    for line in rest:
        section = layout.label_field(line.text)
        if section is not None:
            blocks.append(Block(section, line.number))
        elif blocks and not (blocks[-1].field == "attachments" and _website(sheet, line)):
            blocks[-1].lines.append(line)
        elif not blocks and _website(sheet, line):
            continue
        elif not blocks and clean(line.text):
            sheet.notices.append(
                Notice(line.number, _("texte entre le titre et la première section, ignoré"))
            )
    _mark_cut(sheet, blocks, layout, at_page_end)
    _read_blocks(sheet, blocks, layout)
    _check_title(sheet)
    return sheet


def _website(sheet: Sheet, line: Line) -> bool:
    """Whether ``line`` is the older layout's website line (kept in ``sheet``; the first)."""
    text = clean(line.text)
    if sheet.layout != LEGACY.name or not _WEBSITE.match(text):
        return False
    if not sheet.website:
        sheet.website, sheet.website_line = text, line.number
    return True


def _without_page_chrome(body: list[Line]) -> tuple[list[Line], bool]:
    """Drop a page heading or listing table that trails a sheet (the next page's top); say
    whether there was one."""
    end = len(body)
    chrome = False
    while end > 0:
        text = clean(body[end - 1].text)
        if text and normalize(text) not in PAGE_HEADINGS and not _TABLE_ROW.match(text):
            break
        chrome = chrome or bool(text)
        end -= 1
    return body[:end], chrome


def _title(body: list[Line], layout: Layout) -> tuple[str, int | None, list[Line]]:
    for position, line in enumerate(body):
        if not clean(line.text):
            continue
        if layout is CURRENT and layout.label_field(line.text) is not None:
            return "", None, body[position:]
        return clean(line.text), line.number, body[position + 1 :]
    return "", None, []


def _check_title(sheet: Sheet) -> None:
    if not sheet.title:
        sheet.rejection = _("fiche sans titre (la ligne après « Actions » n'en est pas un)")
    elif len(sheet.title) > MAX_TITLE_LENGTH:
        sheet.notices.append(
            Notice(
                sheet.title_line or sheet.start_line,
                _("titre de %(length)d caractères tronqué à %(max)d")
                % {"length": len(sheet.title), "max": MAX_TITLE_LENGTH},
            )
        )
        sheet.title = sheet.title[:MAX_TITLE_LENGTH].rstrip()


def _is_heading_start(text: str, layout: Layout) -> bool:
    """``text`` is the beginning, cut short, of a heading or of the next sheet's first line."""
    text = clean(text)
    if not text or text == "-":
        return False
    if layout is LEGACY:
        start = key(text)
        return bool(start) and any(
            key(heading).startswith(start) and key(heading) != start
            for heading in (*_LEGACY_HEADINGS, SHEET_MARK)
        )
    return any(line.startswith(text) and line != text for line in _STRUCTURAL_LINES)


def _mark_cut(sheet: Sheet, blocks: list[Block], layout: Layout, at_page_end: bool) -> None:
    """Find whether the page cut the sheet short, and set its last line aside when it cannot
    be trusted (see the module's docstring).

    The last line of a page may always be cut mid-word: at the end of a page, or in a sheet
    that lacks its final section (a page cut there, then the next page's first sheet), it
    gives no list value, and a start of heading there is not text.
    """
    fields = {block.field for block in blocks}
    final_empty = (
        bool(blocks)
        and blocks[-1].field == layout.final_field
        and not any(clean(line.text) for line in blocks[-1].lines)
    )
    sheet.truncated = layout.final_field not in fields or (at_page_end and final_empty)
    if sheet.truncated:
        sheet.cut_field = blocks[-1].field if blocks else None
        sheet.cut_line = _last_line_number(sheet, blocks)
    if not (blocks and (sheet.truncated or at_page_end)):
        _untrusted_website(sheet, blocks)
        return
    if _untrusted_website(sheet, blocks):
        return
    content = [line for line in blocks[-1].lines if clean(line.text)]
    if not content:
        return  # the sheet ends on a heading, which is whole
    last, field_name = content[-1], blocks[-1].field
    if field_name == "structure":
        sheet.structure_cut_line = last.number
        return
    if field_name in LIST_FIELDS or _is_heading_start(last.text, layout):
        blocks[-1].lines.remove(last)
        sheet.notices.append(
            Notice(
                last.number,
                _("ligne coupée par la fin de la page, non retenue : « %s »") % _excerpt(last.text),
            )
        )


def _untrusted_website(sheet: Sheet, blocks: list[Block]) -> bool:
    """A website on the last line of a page cut short may be cut too ("www.ville.fr" of
    "www.ville.fr/cs"): it names no structure. Whether it was set aside."""
    if not sheet.truncated or sheet.website_line is None:
        return False
    if sheet.website_line < _last_line_number(sheet, blocks):
        return False
    sheet.notices.append(
        Notice(
            sheet.website_line,
            _("ligne coupée par la fin de la page, non retenue : « %s »") % sheet.website,
        )
    )
    sheet.website, sheet.website_line = "", None
    return True


def _last_line_number(sheet: Sheet, blocks: list[Block]) -> int:
    numbers = [line.number for block in blocks for line in block.lines if clean(line.text)]
    numbers += [block.line for block in blocks]
    if sheet.title_line:
        numbers.append(sheet.title_line)
    return max(numbers, default=sheet.start_line)


def _read_blocks(sheet: Sheet, blocks: list[Block], layout: Layout) -> None:
    seen: dict[str, int] = {}
    prose: list[tuple[int, Block, list[Line]]] = []  # (block index, block, lines)
    texts: dict[str, list[str]] = {}
    for index, block in enumerate(blocks):
        repeat = seen.get(block.field, 0)
        seen[block.field] = repeat + 1
        if repeat + 1 > layout.repeatable.get(block.field, 1):
            sheet.notices.append(
                Notice(
                    block.line,
                    _("section « %s » répétée : contenus réunis") % layout.label(block.field),
                )
            )
        if block.field == "attachments":
            sheet.files.extend(_files(block, layout))
        elif block.field in LIST_FIELDS:
            items, stray = _list_items(block, sheet, layout)
            if block.field == "territory_scale" and repeat and layout is CURRENT:
                _second_territory(sheet, block, items)
            else:
                sheet.lists.setdefault(block.field, []).extend(items)
            if stray:
                prose.append((index, block, stray))
        else:
            text = _text(block.lines)
            if text:
                texts.setdefault(block.field, []).append(text)
            else:
                texts.setdefault(block.field, [])
    for index, block, stray in prose:
        target, before = _prose_target(blocks, index, block.field)
        moved = "\n".join(line.text.strip() for line in stray)
        parts = texts.setdefault(target, [])
        if before:
            parts.insert(0, moved)
        else:
            parts.append(moved)
        for line in stray:
            sheet.notices.append(
                Notice(
                    line.number,
                    _("texte libre dans « %(list)s » rattaché à « %(text)s » : %(excerpt)s")
                    % {
                        "list": layout.label(block.field),
                        "text": layout.label(target),
                        "excerpt": _excerpt(line.text),
                    },
                )
            )
    sheet.texts = {name: "\n".join(parts) for name, parts in texts.items()}
    sheet.present = frozenset(seen) | frozenset(sheet.texts)
    sheet.last_field = blocks[-1].field if blocks else None
    _interpret(sheet, blocks, layout)


def _excerpt(text: str, length: int = 60) -> str:
    text = clean(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _is_value(text: str, field_name: str) -> bool:
    """A list value is short and not a sentence; partner names may be a little longer."""
    limit = MAX_PARTNER_NAME if field_name == "partners" else MAX_VALUE_LENGTH
    if not text or len(text) > limit or _SENTENCE.search(text):
        return False
    return field_name == "partners" or len(text.split()) <= MAX_VALUE_WORDS


def _list_items(block: Block, sheet: Sheet, layout: Layout) -> tuple[list[Item], list[Line]]:
    """Values of a list section, and the lines that are free text rather than values."""
    items: list[Item] = []
    stray: list[Line] = []
    role = PartnerRole.ACTION
    for line in block.lines:
        text = clean(line.text)
        if not text or text == "-":
            continue
        if block.field == "structure":
            items.append(Item(tidy(layout.bullet_value(text) or text), line.number))
            continue
        if block.field == "partners":
            sublabel = _partner_sublabel(text)
            if sublabel is not None:
                role = sublabel
                continue
        value = layout.bullet_value(text)
        if value is None:
            stray.append(line)
            continue
        if _ABRIDGED.search(value):
            sheet.notices.append(
                Notice(
                    line.number,
                    _("valeur abrégée par la page, non retenue : « %s »") % _excerpt(value),
                )
            )
            continue
        values = [part.strip() for part in re.split(r"[;,]", value)]
        if block.field == "partners" and all(_is_value(part, "partners") for part in values):
            items.extend(Item(part, line.number, role) for part in values if part)
        elif _is_value(value, block.field):
            items.append(Item(value, line.number))
        else:
            stray.append(line)
    return items, stray


def _files(block: Block, layout: Layout) -> list[ListedFile]:
    """The files listed: one per line ("- name" today; "name" then "( size )" before)."""
    files: list[ListedFile] = []
    for line in block.lines:
        text = clean(line.text)
        if not text or text == "-":
            continue
        sized = _FILE_SIZE.match(text)
        name = sized["name"] if sized else text
        name = layout.bullet_value(name) if layout.bullet_value(name) is not None else name
        size = sized["size"] if sized else ""
        if not name and files and not files[-1].size:
            files[-1] = ListedFile(files[-1].name, files[-1].line, size)
        elif name:
            files.append(ListedFile(tidy(name), line.number, size))
    return files


def _second_territory(sheet: Sheet, block: Block, items: list[Item]) -> None:
    """The format prints "Territoire concerné" again after the partners: the first one holds;
    the second fills it in when the first is empty and is reported when it disagrees."""
    first = sheet.lists.setdefault("territory_scale", [])
    if not first:
        first.extend(items)
    elif items and [normalize(i.value) for i in items] != [normalize(i.value) for i in first]:
        sheet.notices.append(
            Notice(
                block.line,
                _(
                    "second « Territoire concerné » différent du premier (%s) : "
                    "le premier est retenu"
                )
                % ", ".join(item.value for item in items),
            )
        )


def _prose_target(blocks: list[Block], index: int, list_field: str) -> tuple[str, bool]:
    """Where free text met in a list section goes: ``(field, put_before_existing_text)``."""
    for block in blocks[index + 1 :]:
        if block.field not in LIST_FIELDS:
            return block.field, True
    for block in reversed(blocks[:index]):
        if block.field not in LIST_FIELDS:
            return block.field, False
    return FALLBACK_TEXT_FIELD[list_field], True


def _text(lines: list[Line]) -> str:
    """The text of a free-text section. A lone "-" is an empty placeholder; when text
    follows it on the next line, it was that line's bullet and is put back in front of it."""
    out: list[str] = []
    bullet = False
    for line in lines:
        text = line.text.rstrip()
        if clean(text) == "-":
            bullet = True
            continue
        if bullet and text.strip():
            text = text if text.lstrip().startswith("-") else f"- {text.strip()}"
        bullet = False
        out.append(text)
    joined = "\n".join(out).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined).strip()


def _interpret(sheet: Sheet, blocks: list[Block], layout: Layout) -> None:
    """Single values, status, structure, and the figures read from the texts."""
    for name in SINGLE_VALUE_FIELDS - {"structure"}:
        items = sheet.lists.get(name, [])
        if len(items) > 1:
            sheet.notices.append(
                Notice(
                    items[1].line,
                    _(
                        "« %(section)s » n'a qu'une valeur : « %(kept)s » retenue, "
                        "%(others)s ignorée(s)"
                    )
                    % {
                        "section": layout.label(name),
                        "kept": items[0].value,
                        "others": ", ".join(f"« {item.value} »" for item in items[1:]),
                    },
                )
            )
            sheet.lists[name] = items[:1]
    sheet.structure = _structure(sheet, layout)
    sheet.status = _status(sheet)
    first_lines = {block.field: block.line + 1 for block in blocks}
    sheet.funding = extract_funding(
        sheet.texts.get("financial_resources", ""),
        first_line=first_lines.get("financial_resources", sheet.start_line),
        cut=_ends_cut(sheet, blocks, "financial_resources"),
    )
    for line, message in sheet.funding.notices:
        sheet.notices.append(Notice(line, message))
    sheet.people = extract_people(
        sheet.texts.get("people_mobilised", ""), cut=_ends_cut(sheet, blocks, "people_mobilised")
    )
    sheet.year = extract_year(
        [sheet.title, *(text for name, text in sheet.texts.items() if name != "perspectives")],
        budget_year=sheet.funding.budget_year,
    )
    for listed in sheet.files:
        sheet.notices.append(
            Notice(
                listed.line,
                _("fichier associé non importé (à déposer à la main) : %s") % listed.name,
            )
        )


def _ends_cut(sheet: Sheet, blocks: list[Block], field_name: str) -> bool:
    """The text of ``field_name`` ends on the line the page cuts (not set aside as a cut
    heading): its figures there may be cut short."""
    return sheet.cut_field == field_name and any(
        line.number == sheet.cut_line
        for block in blocks
        if block.field == field_name
        for line in block.lines
    )


def _structure(sheet: Sheet, layout: Layout) -> StructureRef | None:
    items = sheet.lists.get("structure", [])
    if "structure" not in sheet.present:
        if layout is CURRENT:  # the older layout names none: the loader finds it otherwise
            sheet.rejection = sheet.rejection or _("pas de section « Structure organisatrice »")
        return None
    if not items:
        sheet.rejection = sheet.rejection or _("« Structure organisatrice » vide")
        return None
    if len(items) > 1:
        sheet.notices.append(
            Notice(items[1].line, _("plusieurs lignes de structure : la première est retenue"))
        )
    item = items[0]
    for separator in _STRUCTURE_SEPARATORS:
        name, found, department = item.value.rpartition(separator)
        if found and name.strip() and department.strip():
            name = name.strip()
            if len(name) > MAX_NAME_LENGTH:
                sheet.notices.append(
                    Notice(
                        item.line,
                        _("nom de structure tronqué à %d caractères") % MAX_NAME_LENGTH,
                    )
                )
                name = name[:MAX_NAME_LENGTH].rstrip()
            return StructureRef(
                name, department.strip(), item.line, cut=item.line == sheet.structure_cut_line
            )
    sheet.rejection = sheet.rejection or (
        _("ligne de structure illisible, « NOM - Département » attendu : %s") % _excerpt(item.value)
    )
    return None


def _status(sheet: Sheet) -> str | None:
    items = sheet.lists.get("status", [])
    if not items:
        return None
    value = normalize(items[0].value)
    if value == "en cours":
        return ActionStatus.ONGOING
    if value.startswith("termin"):
        return ActionStatus.FINISHED
    sheet.notices.append(
        Notice(items[0].line, _("statut inconnu ignoré : « %s »") % items[0].value)
    )
    return None
