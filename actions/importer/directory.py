"""Read the observatory's structure directory (its ``structure/csx`` and ``structure/evs`` pages
saved as text), without touching the database.

A page lists structures of one kind ("Liste des centres sociaux", "Liste des espaces de vie
sociale"), one identity card each (see ``fixtures/senacs/structure_*.txt``)::

    Informations sur la structure
    CENTRE SOCIAL EUGENIE COTTON                    ← the name
    Fiche identité / Adresse                        ← headings, not data
    CENTRE SOCIAL EUGENIE COTTON23 rue Georges LYVET  ← the name glued to the street
    69200 Vénissieux                                ← postcode and commune
    Adresse mail contact : accueil@example.org      ← "label : value" lines
    ...
    Historique                                      ← free lines there are the history
    - Axe 1 : ...                                   ← the five project axes
    ...
    Structure itinérante : Non                      ← the card's last line

Reading is driven by the labels of ``CARD_FIELDS`` (case, accents, quotes and spacing aside),
not by positions: fields may come in another order or be missing. The département comes from
the postcode (Corsica by postcode range, overseas départements by their three digits); the
kind from the listing the card is in, never from the name.

A page saved before its end cuts its last card short: a card is complete when it holds the
three specificities (its last section) and, the last card of a page, ends on one of them with
a value ("Oui"/"Non"). A cut card is reported with the field it is cut in and never imported
half (``truncated``); the loader imports complete cards only.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from federations.enums import FederationMembership, StructureKind
from federations.text import normalize
from federations.validators import validate_siret

from .extraction import tidy
from .pages import clean, key, no_content_reason, page_lines
from .parser import MAX_NAME_LENGTH, Notice

LISTINGS = {
    "liste des centres sociaux": StructureKind.CENTRE_SOCIAL,
    "liste des espaces de vie sociale": StructureKind.EVS,
}
CARD_START = "informations sur la structure"
IDENTITY = "fiche identite"
ADDRESS = "adresse"
HISTORY = "historique"
HEADINGS = frozenset(
    {
        IDENTITY,
        ADDRESS,
        HISTORY,
        "mode de gestion",
        "territoire d'intervention et geographie prioritaire",
        "adhesion a une federation",
        "specificites de la structure",
    }
)
# Placeholders the directory prints for a value nobody gave.
PLACEHOLDERS = frozenset({"a completer", "non renseigne", "non renseignee", "nc", "n/a", "-"})
AXES = 5
# More people than France counts is a misreading.
MAX_POPULATION = 70_000_000
# Lengths of Structure.email and Structure.website.
MAX_EMAIL_LENGTH, MAX_URL_LENGTH = 254, 200
FLAGS = ("for_travellers", "multi_site", "itinerant")
_POSTCODE = re.compile(r"^(?P<postcode>\d{2} ?\d{3})(?:\s+(?P<commune>.*))?$")
_TRAILING_POSTCODE = re.compile(r"^(?P<street>.*?),?\s+(?P<postcode>\d{5})\s+(?P<commune>\D.*)$")
_CEDEX = re.compile(r"\s+cedex(?:\s+\d+)?$", re.IGNORECASE)
_AXIS = re.compile(r"^-?\s*axe\s*(?P<number>\d+)\s*(?::\s*(?P<text>.*))?$", re.IGNORECASE)
_GLUE = re.compile(r"(?<=[^\W\d_])(?=\d)")
_DATE = re.compile(r"^(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})$")
_FCS = re.compile(r"^(?:la )?federation\b.*\bcentres? sociaux\b")


def _placeholder(value: str) -> bool:
    return not value or key(value) in PLACEHOLDERS


def _yes_no(value: str) -> bool | None:
    return {"oui": True, "non": False}.get(key(value))


# -- readers: printed value → (value to store or None, notice or "") ---------------------------


def _text(value: str) -> tuple[Any, str]:
    return (None, "") if _placeholder(value) else (tidy(value), "")


def _email(value: str) -> tuple[Any, str]:
    if _placeholder(value):
        return None, ""
    value = tidy(value).removeprefix("mailto:")
    try:
        validate_email(value)
        if len(value) > MAX_EMAIL_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        return None, _("adresse mail illisible, non retenue : « %s »") % value
    return value, ""


def _website(value: str) -> tuple[Any, str]:
    if _placeholder(value):
        return None, ""
    value = tidy(value)
    url = value if re.match(r"^https?://", value, re.IGNORECASE) else f"http://{value}"
    try:
        URLValidator(schemes=["http", "https"])(url)
        if len(url) > MAX_URL_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        return None, _("site internet illisible, non retenu : « %s »") % value
    return url, ""


def _siret(value: str) -> tuple[Any, str]:
    if _placeholder(value):
        return None, ""
    digits = re.sub(r"[\s.]", "", value)
    try:
        validate_siret(digits)
    except ValidationError as error:
        return None, _("SIRET « %(value)s » non retenu : %(error)s") % {
            "value": tidy(value),
            "error": " ".join(error.messages),
        }
    return digits, ""


def _date(value: str) -> tuple[Any, str]:
    if _placeholder(value):
        return None, ""
    match = _DATE.match(tidy(value))
    try:
        if match is None:
            raise ValueError
        return date(int(match["year"]), int(match["month"]), int(match["day"])), ""
    except ValueError:
        return None, _("date illisible, non retenue : « %s »") % tidy(value)


def _population(value: str) -> tuple[Any, str]:
    if _placeholder(value):
        return None, ""
    match = re.match(r"^(\d{1,3}(?:[\s.]\d{3})+|\d+)\b", tidy(value))
    population = int(re.sub(r"[\s.]", "", match[1])) if match else None
    if population is None or population > MAX_POPULATION:
        return None, _("population illisible, non retenue : « %s »") % tidy(value)
    return population, ""


def _flag(value: str) -> tuple[Any, str]:
    if _placeholder(value):
        return None, ""
    answer = _yes_no(value)
    if answer is None:
        return None, _("réponse inattendue, non retenue : « %s » (Oui ou Non)") % tidy(value)
    return answer, ""


@dataclass(frozen=True)
class CardField:
    """A "label : value" line of the identity card and the Structure field it fills."""

    name: str
    labels: tuple[str, ...]  # the printed label first, then other spellings met
    read: Callable[[str], tuple[Any, str]] = _text
    max_length: int | None = None


CARD_FIELDS: tuple[CardField, ...] = (
    CardField("email", ("Adresse mail contact", "Adresse mail", "Courriel", "E-mail"), _email),
    CardField("website", ("Site internet", "Site web"), _website),
    CardField("siret", ("Numéro SIRET", "N° SIRET", "SIRET"), _siret),
    CardField("first_agrement_date", ("Date du 1er agrément", "Date du premier agrément"), _date),
    CardField("population", ("Population de la zone de compétence",), _population),
    CardField("axes", ("Axes du projet en cours",)),
    CardField("management_mode", ("Mode de gestion de la structure",), max_length=150),
    CardField("territory_type", ("Type de territoire d'intervention",), max_length=150),
    CardField("territory_size", ("Taille du territoire d'intervention",), max_length=150),
    CardField("priority_geography", ("Géographie prioritaire",), max_length=255),
    CardField("fcs_member", ("Adhérent à la Fédération des Centres Sociaux",), _flag),
    CardField("other_federation", ("Adhérent à une autre fédération",), max_length=200),
    CardField("for_travellers", ("Structure « gens du voyage »",), _flag),
    CardField("multi_site", ("Structure multi-sites / éclaté", "Structure multi-sites"), _flag),
    CardField("itinerant", ("Structure itinérante",), _flag),
)
_FIELDS_BY_LABEL = {key(label): spec for spec in CARD_FIELDS for label in spec.labels}
# What the report calls each part of a card.
PART_LABELS = {
    "name": "nom",
    "address": "Adresse",
    "history": "Historique",
    **{spec.name: spec.labels[0] for spec in CARD_FIELDS},
    **{f"project_axis_{n}": f"Axe {n}" for n in range(1, AXES + 1)},
}


@dataclass
class StructureCard:
    """One identity card as read from the page.

    ``values`` holds the Structure fields the card states (a field it leaves empty or
    states unreadably is absent), ``lines`` the line of each. ``truncated``: the page cuts the
    card short, in ``cut_field`` (a key of ``PART_LABELS``) at ``cut_line``.
    """

    start_line: int
    name: str
    name_line: int | None
    kind: str | None
    fingerprint: str
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    department_code: str | None = None
    truncated: bool = False
    cut_field: str | None = None
    cut_line: int | None = None
    notices: list[Notice] = field(default_factory=list)
    rejection: str | None = None


@dataclass
class DirectoryPage:
    """The cards of a text; ``reason`` says why there is none."""

    cards: list[StructureCard]
    reason: str = ""


def parse_directory(text: str) -> DirectoryPage:
    """Every identity card of ``text``, in order, or the reason there is none. Never raises."""
    lines = page_lines(text)
    cards = [_parse_card(lines, span) for span in _card_spans(lines)]
    if cards:
        return DirectoryPage(cards)
    return DirectoryPage([], no_content_reason(lines, expected="structures"))


def department_code(postcode: str) -> tuple[str | None, str]:
    """The INSEE code of the département of a postcode, or None and the reason.

    Corsica's postcodes begin with 20 for both départements: 20000-20199 are Corse-du-Sud
    (2A), 20200-20699 Haute-Corse (2B). Overseas départements have three digits (971-974,
    976); Saint-Barthélemy (97133) and Saint-Martin (97150) share Guadeloupe's 971 but are not
    départements, nor are Saint-Pierre-et-Miquelon (975) and Monaco and the Pacific (98).
    """
    number = int(postcode)
    if postcode.startswith("20"):
        if number < 20200:
            return "2A", ""
        if number < 20700:
            return "2B", ""
        return None, _("code postal corse inconnu : %s") % postcode
    if postcode.startswith("97"):
        if postcode in {"97133", "97150"} or postcode[2] not in "12346":
            return None, _("code postal d'une collectivité d'outre-mer (hors département) : %s") % (
                postcode
            )
        return postcode[:3], ""
    if postcode.startswith(("00", "96", "98", "99")):
        return None, _("code postal sans département : %s") % postcode
    return postcode[:2], ""


# -- the cards of a page ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    body: int  # index of the card's first line after its heading
    end: int
    kind: str | None
    last_of_page: bool
    start_line: int


def _card_spans(lines: list[str]) -> list[_Span]:
    """Where each card lies: from "Informations sur la structure" (or, where a page lacks it,
    from the name above a "Fiche identité" that no card heading precedes) to the next card
    or listing heading."""
    kind: str | None = None
    starts: list[tuple[int, int, str | None]] = []  # (body index, start line, kind)
    boundaries: list[int] = []
    identity_seen = True  # a "Fiche identité" before any card starts one
    for index, line in enumerate(lines):
        heading = key(line)
        if heading in LISTINGS:
            kind = LISTINGS[heading]
            boundaries.append(index)
            identity_seen = True
        elif heading == CARD_START:
            starts.append((index + 1, index + 1, kind))
            identity_seen = False
        elif heading == IDENTITY:
            if identity_seen:
                name = next((i for i in range(index - 1, -1, -1) if clean(lines[i])), index)
                starts.append((name, name + 1, kind))
            identity_seen = True
    spans = []
    for position, (body, start_line, card_kind) in enumerate(starts):
        following = [s[1] - 1 for s in starts[position + 1 :] if s[1] - 1 >= body]
        following += [b for b in boundaries if b >= body]
        end = min(following, default=len(lines))
        last = end == len(lines) or end in boundaries
        spans.append(_Span(body, end, card_kind, last, start_line))
    return spans


def _is_label_line(text: str) -> bool:
    label, colon, _value = text.partition(":")
    return key(label if colon else text) in _FIELDS_BY_LABEL


def _parse_card(lines: list[str], span: _Span) -> StructureCard:
    body = [(number + 1, clean(lines[number])) for number in range(span.body, span.end)]
    body = [(number, text) for number, text in body if text]
    card = StructureCard(
        start_line=span.start_line,
        name="",
        name_line=None,
        kind=span.kind,
        fingerprint="\n".join(text for _number, text in body),
    )
    if body and key(body[0][1]) not in HEADINGS and not _is_label_line(body[0][1]):
        card.name_line, card.name = body[0][0], tidy(body[0][1])
        body = body[1:]
    reader = _CardReader(card)
    for number, text in body:
        reader.line(number, text)
    reader.finish()
    _mark_cut(card, reader, span.last_of_page)
    _check(card)
    return card


class _CardReader:
    """Reads the lines of one card, the section they are in deciding what free lines are."""

    def __init__(self, card: StructureCard):
        self.card = card
        self.section = ""
        self.address_closed = False  # the address ends at the first "label : value" line
        self.address: list[tuple[int, str]] = []
        self.history: list[tuple[int, str]] = []
        self.axes: dict[int, list[str]] = {}
        self.axis: int | None = None  # the axis a free line continues
        self.flags_seen: set[str] = set()
        self.last_label: str | None = None  # field of the last "label : value" line
        self.last_part: str | None = None  # part of the card the last line belongs to
        self.last_number: int | None = None
        self.raw: dict[str, str] = {}

    def line(self, number: int, text: str) -> None:
        self.last_number = number
        heading = key(text)
        if heading in HEADINGS:
            self.section, self.axis = heading, None
            self.last_part = {ADDRESS: "address", HISTORY: "history"}.get(heading, self.last_part)
            return
        axis = _AXIS.match(text)
        if axis:
            self._axis(number, int(axis["number"]), axis["text"] or "")
            return
        label, colon, value = text.partition(":")
        spec = _FIELDS_BY_LABEL.get(key(label)) if colon else None
        if spec is None and not colon:
            spec = _FIELDS_BY_LABEL.get(heading)  # a label with nothing after it
        if spec is not None:
            self._field(number, spec, value.strip())
            return
        if self.axis is not None:
            self.axes[self.axis].append(text)
            self.last_part = f"project_axis_{self.axis}"
        elif self.section == ADDRESS and not self.address_closed:
            self.address.append((number, text))
            self.last_part = "address"
        elif self.section == HISTORY:
            self.history.append((number, text))
            self.last_part = "history"
        else:
            self.card.notices.append(
                Notice(number, _("ligne non reconnue, ignorée : « %s »") % text[:60])
            )
            # A label cut short by the page names the field the card is cut in.
            self.last_part = next(
                (
                    spec.name
                    for label, spec in _FIELDS_BY_LABEL.items()
                    if heading and label.startswith(heading)
                ),
                None,
            )

    def _axis(self, number: int, axis: int, text: str) -> None:
        if not 1 <= axis <= AXES:
            self.card.notices.append(
                Notice(number, _("axe %d au-delà des cinq axes du projet, ignoré") % axis)
            )
            self.axis = None
            return
        self.axis = axis
        self.axes[axis] = [text] if text else []
        self.card.lines[f"project_axis_{axis}"] = number
        self.last_part = f"project_axis_{axis}"

    def _field(self, number: int, spec: CardField, value: str) -> None:
        self.axis = None
        self.address_closed = self.address_closed or self.section == ADDRESS
        self.last_label, self.last_part = spec.name, spec.name
        if spec.name == "axes":
            self.section = "axes"
            return
        if spec.name in FLAGS:
            self.flags_seen.add(spec.name)
        self.raw[spec.name] = value
        self.card.lines[spec.name] = number
        stored, notice = spec.read(value)
        if notice:
            self.card.notices.append(Notice(number, notice))
        if stored is None:
            return
        if spec.max_length and len(stored) > spec.max_length:
            self.card.notices.append(
                Notice(
                    number,
                    _("« %(label)s » tronqué à %(max)d caractères")
                    % {"label": spec.labels[0], "max": spec.max_length},
                )
            )
            stored = stored[: spec.max_length].rstrip()
        self.card.values[spec.name] = stored

    def finish(self) -> None:
        card = self.card
        for axis, parts in self.axes.items():
            text = "\n".join(parts).strip()
            if text:
                card.values[f"project_axis_{axis}"] = text
        history = "\n".join(text for _number, text in self.history).strip()
        if history:
            card.values["history"] = history
            card.lines["history"] = self.history[0][0]
        if self.address:
            self._address()
        self._federation()
        self._priority_area()

    def _address(self) -> None:
        card = self.card
        lines = list(self.address)
        card.lines["address"] = lines[0][0]
        postcode = commune = None
        for position, (number, text) in enumerate(lines):
            match = _POSTCODE.match(text)
            if match:
                postcode, commune = match["postcode"].replace(" ", ""), match["commune"] or ""
                card.lines["postcode"] = card.lines["commune"] = number
                lines = lines[:position] + lines[position + 1 :]
                break
        if postcode is None and lines:
            trailing = _TRAILING_POSTCODE.match(lines[-1][1])
            if trailing:
                postcode, commune = trailing["postcode"], trailing["commune"]
                card.lines["postcode"] = card.lines["commune"] = lines[-1][0]
                lines[-1] = (lines[-1][0], trailing["street"])
        street = [text for _number, text in lines]
        if street:
            street[0] = self._without_name(lines[0][0], street[0])
        address = ", ".join(part for part in (tidy(s).strip(" ,") for s in street) if part)
        if address:
            card.values["address"] = address[:255].rstrip()
        if postcode is not None:
            card.values["postcode"] = postcode
            code, reason = department_code(postcode)
            card.department_code = code
            if reason:
                card.rejection = reason
        if commune:
            card.values["commune"] = _CEDEX.sub("", tidy(commune))[:150].rstrip()

    def _without_name(self, number: int, text: str) -> str:
        """The street of the address line the directory glues to the name."""
        name = self.card.name
        if name and _fold(text[: len(name)]) == _fold(name):
            return text[len(name) :].lstrip(" ,-")
        glued = _GLUE.search(text)
        if glued:
            self.card.notices.append(
                Notice(
                    number,
                    _(
                        "adresse : le nom n'y est pas écrit comme en tête, rue lue à partir de "
                        "« %s »"
                    )
                    % text[glued.start() :][:40],
                )
            )
            return text[glued.start() :]
        if name:
            self.card.notices.append(
                Notice(number, _("adresse : nom de la structure non retrouvé, ligne gardée"))
            )
        return text

    def _federation(self) -> None:
        """Membership: "Oui" to the Fédération des centres sociaux, else another federation
        named, else none ("Non" twice); an "other" federation that is the FCS's is the FCS."""
        values = self.card.values
        fcs, other = values.pop("fcs_member", None), values.pop("other_federation", "")
        other_answer = _yes_no(other) if other else None
        named = other if other and other_answer is None else ""
        if named and _FCS.match(normalize(named)):
            fcs, named = True, ""
        if fcs:
            values["federation_membership"] = FederationMembership.FCS
        elif named:
            values["federation_membership"] = FederationMembership.OTHER
        elif fcs is False and (other_answer is False or "other_federation" not in self.raw):
            values["federation_membership"] = FederationMembership.NONE
        if named:
            values["other_federation"] = named
        if "federation_membership" in values:
            self.card.lines["federation_membership"] = self.card.lines.get(
                "fcs_member", self.card.lines.get("other_federation", 0)
            )

    def _priority_area(self) -> None:
        """In a QPV when the text says the structure is in a priority area; not when it says it
        is not; unknown otherwise (the text itself is kept)."""
        text = normalize(self.card.values.get("priority_geography", ""))
        if not re.search(r"\bqpv\b|quartiers? prioritaires?|politique de la ville", text):
            return
        negative = re.search(r"\b(?:n'est pas|ne se situe pas|pas situee|hors|aucun)\b", text)
        self.card.values["in_priority_area"] = not negative
        self.card.lines["in_priority_area"] = self.card.lines["priority_geography"]


def _fold(text: str) -> str:
    """Lower case without accents, one character per character (to compare prefixes)."""
    return "".join(unicodedata.normalize("NFD", char)[0].lower() for char in text)


def _mark_cut(card: StructureCard, reader: _CardReader, last_of_page: bool) -> None:
    flags_complete = reader.flags_seen == set(FLAGS)
    if last_of_page:
        ends_on_flag = reader.last_label in FLAGS
        valid = all(_yes_no(reader.raw.get(flag, "")) is not None for flag in FLAGS)
        complete = flags_complete and ends_on_flag and valid
    else:
        complete = flags_complete
    if complete:
        return
    card.truncated = True
    card.cut_field = reader.last_part or reader.last_label or ("name" if card.name else None)
    card.cut_line = reader.last_number or card.name_line or card.start_line


def _check(card: StructureCard) -> None:
    if not card.name:
        card.rejection = card.rejection or _(
            "fiche sans nom (la ligne après « Informations sur la structure » n'en est pas un)"
        )
    elif len(card.name) > MAX_NAME_LENGTH:
        card.notices.append(
            Notice(card.name_line, _("nom tronqué à %d caractères") % MAX_NAME_LENGTH)
        )
        card.name = card.name[:MAX_NAME_LENGTH].rstrip()
    if card.kind is None:
        card.rejection = card.rejection or _(
            "type de structure inconnu : la page ne dit pas « Liste des centres sociaux » "
            "ni « Liste des espaces de vie sociale »"
        )
    if "postcode" not in card.values and not card.truncated:
        card.rejection = card.rejection or _("pas de code postal : département inconnu")
