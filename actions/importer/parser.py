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

``parse_text`` returns one ``Sheet`` per sheet with the file's line numbers, the values of its
sections, the figures read from its texts (``extraction``) and the notices worth reporting.
What a sheet does not say is left empty: nothing is guessed from the database here.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from actions.enums import ActionStatus, PartnerRole
from actions.sections import SECTIONS
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

SHEET_MARK = "Actions"
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

SECTION_ORDER = tuple(section.field for section in SECTIONS)
LABELS = {section.field: section.label for section in SECTIONS}
LAST_FIELD = SECTION_ORDER[-1]

_SPACES = re.compile(r"\s+")
_SENTENCE = re.compile(r"[.!?;:](?:\s|$)")
_TABLE_ROW = re.compile(r"^[^|]*\|[^|]*\|")
_STRUCTURE_SEPARATORS = (" - ", " – ", " — ")


def _clean(line: str) -> str:
    """Spaces (no-break ones too) collapsed, typographic apostrophes made straight."""
    return _SPACES.sub(" ", line.replace("\u2019", "'").replace("\ufeff", "")).strip()


def _label_key(text: str) -> str:
    return _clean(text).rstrip(".").rstrip()


_LABEL_FIELDS = {_label_key(section.label): section.field for section in SECTIONS}


def label_field(line: str) -> str | None:
    """The field whose section the line ``- <label>`` starts, if it is an exact known label."""
    text = _clean(line)
    if not text.startswith("- "):
        return None
    return _LABEL_FIELDS.get(_label_key(text[2:]))


def _partner_sublabel(text: str) -> str | None:
    return PARTNER_SUBLABELS.get(normalize(text).rstrip(" :"))


class UnreadableText(ValueError):
    """The bytes are not a text file in UTF-8; the message says why (in French)."""


def decode(data: bytes) -> str:
    """The text of a file: UTF-8 with or without BOM; binary or other encodings refused."""
    if b"\x00" in data[:65536]:
        raise UnreadableText(_("fichier binaire (octets nuls) : ce n'est pas un fichier texte"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableText(
            _("le fichier n'est pas en UTF-8 (octet invalide à la position %d)") % error.start
        ) from None
    controls = sum(1 for char in text[:65536] if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls > max(8, len(text[:65536]) // 100):
        raise UnreadableText(_("fichier binaire (caractères de contrôle) : ce n'est pas du texte"))
    return text


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
class Notice:
    """Something worth telling the person who runs the import, at a line of the file."""

    line: int
    message: str


@dataclass(frozen=True)
class StructureRef:
    name: str
    department: str
    line: int


@dataclass
class Block:
    field: str
    line: int
    lines: list[Line] = field(default_factory=list)


@dataclass
class Sheet:
    """One action sheet as read from the text; ``present`` lists the sections it contains."""

    start_line: int
    title: str
    title_line: int | None
    fingerprint: str
    present: frozenset[str] = frozenset()
    texts: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[Item]] = field(default_factory=dict)
    structure: StructureRef | None = None
    status: str | None = None
    funding: FundingExtraction = field(default_factory=FundingExtraction)
    people: PeopleCounts = field(default_factory=PeopleCounts)
    year: int | None = None
    truncated: bool = False
    last_field: str | None = None
    notices: list[Notice] = field(default_factory=list)
    rejection: str | None = None

    @property
    def total_budget(self) -> Decimal | None:
        return self.funding.total_budget

    def values(self, field_name: str) -> list[str]:
        return [item.value for item in self.lists.get(field_name, [])]


def parse_text(text: str) -> list[Sheet]:
    """Every sheet of ``text``, in order. Never raises on any text."""
    lines = _split_lines(text)
    starts = [index for index in range(len(lines)) if _starts_sheet(lines, index)]
    sheets = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        sheets.append(_parse_sheet(lines, start, end))
    return sheets


def _split_lines(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.removeprefix("\ufeff").split("\n")


def _starts_sheet(lines: list[str], index: int) -> bool:
    """``Actions``, then a title line, then a section label (or the end of the file)."""
    if _clean(lines[index]) != SHEET_MARK:
        return False
    non_label_lines = 0
    for line in lines[index + 1 :]:
        if not _clean(line):
            continue
        if label_field(line) is not None:
            return True
        non_label_lines += 1
        if non_label_lines > 1:
            return False
    return True


def _parse_sheet(lines: list[str], start: int, end: int) -> Sheet:
    body = [Line(number + 1, lines[number]) for number in range(start + 1, end)]
    body = _without_page_chrome(body)
    title, title_line, rest = _title(body)
    sheet = Sheet(
        start_line=start + 1,
        title=title,
        title_line=title_line,
        fingerprint="\n".join(line.text.rstrip() for line in body).strip("\n"),
    )
    blocks: list[Block] = []
    for line in rest:
        section = label_field(line.text)
        if section is not None:
            blocks.append(Block(section, line.number))
        elif blocks:
            blocks[-1].lines.append(line)
        elif _clean(line.text):
            sheet.notices.append(
                Notice(line.number, _("texte entre le titre et la première section, ignoré"))
            )
    _read_blocks(sheet, blocks)
    _check_title(sheet)
    return sheet


def _without_page_chrome(body: list[Line]) -> list[Line]:
    """Drop a page heading or listing table that trails a sheet (the next page's top)."""
    end = len(body)
    while end > 0:
        text = _clean(body[end - 1].text)
        if text and normalize(text) not in PAGE_HEADINGS and not _TABLE_ROW.match(text):
            break
        end -= 1
    return body[:end]


def _title(body: list[Line]) -> tuple[str, int | None, list[Line]]:
    for position, line in enumerate(body):
        if not _clean(line.text):
            continue
        if label_field(line.text) is not None:
            return "", None, body[position:]
        return _clean(line.text), line.number, body[position + 1 :]
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


def _read_blocks(sheet: Sheet, blocks: list[Block]) -> None:
    seen: dict[str, int] = {}
    prose: list[tuple[int, Block, list[Line]]] = []  # (block index, block, lines)
    texts: dict[str, list[str]] = {}
    for index, block in enumerate(blocks):
        repeat = seen.get(block.field, 0)
        seen[block.field] = repeat + 1
        allowed_repeats = 2 if block.field == "territory_scale" else 1
        if repeat + 1 > allowed_repeats:
            sheet.notices.append(
                Notice(
                    block.line,
                    _("section « %s » répétée : contenus réunis") % LABELS[block.field],
                )
            )
        if block.field in LIST_FIELDS:
            items, stray = _list_items(block, sheet)
            if block.field == "territory_scale" and repeat:
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
                        "list": LABELS[block.field],
                        "text": LABELS[target],
                        "excerpt": _excerpt(line.text),
                    },
                )
            )
    sheet.texts = {name: "\n".join(parts) for name, parts in texts.items()}
    sheet.present = frozenset(seen) | frozenset(sheet.texts)
    sheet.last_field = blocks[-1].field if blocks else None
    sheet.truncated = LAST_FIELD not in seen
    _interpret(sheet, blocks)


def _excerpt(text: str, length: int = 60) -> str:
    text = _clean(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _is_value(text: str, field_name: str) -> bool:
    """A list value is short and not a sentence; partner names may be a little longer."""
    limit = MAX_PARTNER_NAME if field_name == "partners" else MAX_VALUE_LENGTH
    if not text or len(text) > limit or _SENTENCE.search(text):
        return False
    return field_name == "partners" or len(text.split()) <= MAX_VALUE_WORDS


def _list_items(block: Block, sheet: Sheet) -> tuple[list[Item], list[Line]]:
    """Values of a list section, and the lines that are free text rather than values."""
    items: list[Item] = []
    stray: list[Line] = []
    role = PartnerRole.ACTION
    for line in block.lines:
        text = _clean(line.text)
        if not text or text == "-":
            continue
        if block.field == "structure":
            items.append(Item(tidy(text.lstrip("-").strip()), line.number))
            continue
        if block.field == "partners":
            sublabel = _partner_sublabel(text)
            if sublabel is not None:
                role = sublabel
                continue
        if not text.startswith("-"):
            stray.append(line)
            continue
        value = text.lstrip("-").strip()
        if block.field == "attachments":
            items.append(Item(value, line.number))
            continue
        values = [part.strip() for part in re.split(r"[;,]", value)]
        if block.field == "partners" and all(_is_value(part, "partners") for part in values):
            items.extend(Item(part, line.number, role) for part in values if part)
        elif _is_value(value, block.field):
            items.append(Item(value, line.number))
        else:
            stray.append(line)
    return items, stray


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
        if _clean(text) == "-":
            bullet = True
            continue
        if bullet and text.strip():
            text = text if text.lstrip().startswith("-") else f"- {text.strip()}"
        bullet = False
        out.append(text)
    joined = "\n".join(out).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", joined).strip()


def _interpret(sheet: Sheet, blocks: list[Block]) -> None:
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
                        "section": LABELS[name],
                        "kept": items[0].value,
                        "others": ", ".join(f"« {item.value} »" for item in items[1:]),
                    },
                )
            )
            sheet.lists[name] = items[:1]
    sheet.structure = _structure(sheet)
    sheet.status = _status(sheet)
    first_lines = {block.field: block.line + 1 for block in blocks}
    sheet.funding = extract_funding(
        sheet.texts.get("financial_resources", ""),
        first_line=first_lines.get("financial_resources", sheet.start_line),
    )
    for line, message in sheet.funding.notices:
        sheet.notices.append(Notice(line, message))
    sheet.people = extract_people(sheet.texts.get("people_mobilised", ""))
    sheet.year = extract_year(
        [sheet.title, *(text for name, text in sheet.texts.items() if name != "perspectives")],
        budget_year=sheet.funding.budget_year,
    )
    for item in sheet.lists.get("attachments", []):
        sheet.notices.append(
            Notice(
                item.line,
                _("fichier associé non importé (à déposer à la main) : %s") % item.value,
            )
        )


def _structure(sheet: Sheet) -> StructureRef | None:
    items = sheet.lists.get("structure", [])
    if "structure" not in sheet.present:
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
            return StructureRef(name, department.strip(), item.line)
    sheet.rejection = sheet.rejection or (
        _("ligne de structure illisible, « NOM - Département » attendu : %s") % _excerpt(item.value)
    )
    return None


def _status(sheet: Sheet) -> str | None:
    items = sheet.lists.get("status", [])
    if not items:
        return None
    key = normalize(items[0].value)
    if key == "en cours":
        return ActionStatus.ONGOING
    if key.startswith("termin"):
        return ActionStatus.FINISHED
    sheet.notices.append(
        Notice(items[0].line, _("statut inconnu ignoré : « %s »") % items[0].value)
    )
    return None
