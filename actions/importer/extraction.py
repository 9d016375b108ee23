"""Figures stated in the free texts of a sheet: funding lines, total budget, people, year.

Pure functions over strings, no database. They read what a text states plainly and never
invent a funder: a line the rules below do not recognise only stays in the text, which the
importer always keeps as written.

Funding ("Ressources financières mobilisées pour cette action"):

- ``CAF : 6 700€``, ``Aide aux séjours Caf : 3000``, ``- Commune : 24 500€``: one funding line
  (funder, amount); amounts may group thousands with spaces, dots or commas (one kind in an
  amount), have cents after a dot or a comma other than the grouping one ("1 200,50",
  "1.200,50" and the English "1,200.50" are the same amount), and end with "€", "euros" or
  nothing; a figure with separators read neither way ("1,200,50 €", "1,2345 €") is reported,
  never silently dropped;
- ``Coût du séjour : 21 280.00€``, ``Budget 2016 : 62000 €``: the action's total budget;
- a text whose only figure is a bare amount (``12000 €``, ``35 000``, ``24800 hors salaires``,
  ``Environ 15 000 euros dont 11 330 de subvention directe``): the total budget too;
- ``- REAAP :`` (no amount): a financial partner without a funding line; a bare item right
  after such lines (``- ANCV``) continues the list;
- a line without amount followed by funding lines (``Contrat de ville :``) is a heading: it
  becomes the note of the lines it introduces, not a funder.

Generic funders get one canonical partner each, so that the catalogue can filter on them:
every spelling of the Caf is "Caf", "Etat" is "État", "Ville"/"Mairie" alone is "Commune",
"Aide du Conseil départemental" is "Conseil départemental"; the words written are kept as
the line's note. Named funders ("Mairie de Ganges", "CD34") keep their name.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from actions.enums import PartnerKind
from federations.text import normalize

# Funding.amount and Action.total_budget hold 12 digits with 2 decimals.
MAX_AMOUNT = Decimal("9999999999.99")
# Above this a "count" of people is a misreading (a year, a budget...): ignored.
MAX_PEOPLE = 100_000
# Longest funder or partner name the importer accepts as a name (longer lines are prose).
MAX_PARTNER_NAME = 120

_SPACES = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*(?:[-–—•*·>]+\s*)+")
# Thousands grouped with one kind of separator throughout, then cents after another one.
_NUMBER = (
    r"(?P<int>\d{1,3}(?P<group>[ \u00a0\u202f.,])\d{3}(?:(?P=group)\d{3})*|\d+)"
    r"(?:(?P<sep>[.,])(?P<dec>\d{1,2}))?(?![\d.,]\d|\d)"
)
_CURRENCY = r"(?P<cur>k\s?€|€|euros?\b|eur\b)"
_LABELLED_AMOUNT = re.compile(
    rf"^(?P<label>[^:=]+?)\s*[:=]\s*(?:environ\s+|env\.\s*)?{_NUMBER}\s*{_CURRENCY}?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(r"^(?P<label>[^:=]+?)\s*:\s*$")
_BARE_AMOUNT = re.compile(
    rf"^(?:(?:environ|env\.|~|près de|pres de|total|soit)\s*:?\s*)?{_NUMBER}\s*{_CURRENCY}?"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# What may follow a bare amount that is still the whole budget.
_BARE_QUALIFIER = re.compile(r"^(?:$|dont\b|hors\b|ht\b|ttc\b|\(|au total\b|de budget\b)")
# What follows an amount that makes it a rate, not a sum ("150 € par départ").
_RATE = re.compile(r"^(?:par\b|/|x\b|chacun|chaque|l'unit|de l'heure|mensuel)")
_BUDGET_LABEL = re.compile(
    r"^(?:le |la |l')?(?:cout|budget|total|montant|prix|depenses?)\b", re.IGNORECASE
)
_HEADING_WORDS = frozenset(
    {
        "ressource",
        "ressources",
        "financement",
        "financements",
        "financeur",
        "financeurs",
        "recettes",
        "depenses",
        "charges",
        "produits",
        "moyens",
        "budget",
        "cout",
        "total",
        "subventions",
        "aides",
        "partenaires",
        "detail",
        "repartition",
    }
)
# Words that start a sentence fragment rather than a funder's name ("en 2018 : 10 projets").
_NOT_A_NAME_START = frozenset(
    {
        *("en", "soit", "dont", "et", "ou", "pour", "par", "au", "aux", "avec", "sur", "sous"),
        *("a", "nos", "notre", "vos", "votre", "ces", "cette", "ce", "voir", "cf"),
    }
)
# A figure followed by a currency, separators included, to tell the unreadable ones.
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<figure>\d[\d \u00a0\u202f.,]*\d)\s*(?:k\s?€|€|euros?\b|eur\b)", re.I
)
_WHOLE_NUMBER = re.compile(rf"{_NUMBER}$")
_YEAR = re.compile(r"(?<![\d.,])(?<!\d )(19[5-9]\d|20\d\d)(?!\d)(?![.,]\d)(?! ?\d{3}\b)")
_YEAR_NOT_MONEY = re.compile(r"^\s*(?:k\s?€|€|euros?\b|eur\b)", re.IGNORECASE)

_CAF = re.compile(r"\bcaf\b|\bcafs\b|caisses? d'allocations? familiales?|\bvacaf\b")
_FILLER = re.compile(
    r"^(?:(?:aides?|subventions?|participation|financements?|dotation|apport)\s+)?"
    r"(?:(?:de la|du|des|de)\s+|de l'|d')?(?:(?:la|le|les)\s+|l')?"
)
_GENERIC = {
    PartnerKind.ETAT: ("État", {"etat"}),
    PartnerKind.REGION: ("Région", {"region", "conseil regional"}),
    PartnerKind.DEPARTEMENT: (
        "Conseil départemental",
        {"departement", "conseil departemental", "conseil general", "cd"},
    ),
    PartnerKind.COMMUNE: ("Commune", {"commune", "ville", "mairie", "municipalite"}),
}
_KIND_PATTERNS = (
    (
        PartnerKind.ETAT,
        re.compile(
            r"\b(?:etat|ddcs|ddets|drdjscs|dreets|prefecture|politique de la ville|"
            r"contrat de ville)\b"
        ),
    ),
    (
        PartnerKind.DEPARTEMENT,
        re.compile(r"^(?:conseil departemental|departement|conseil general)\b|^cd ?\d"),
    ),
    (PartnerKind.REGION, re.compile(r"^(?:conseil regional|region)\b")),
    (
        PartnerKind.COMMUNE,
        re.compile(
            r"^(?:la |le |l')?(?:commune|ville|mairie|municipalite|ccas|cias|metropole)\b|"
            r"^communaute (?:de communes|d'agglomeration|urbaine)"
        ),
    ),
    (PartnerKind.ASSOCIATION, re.compile(r"^(?:association|asso)\b")),
    (PartnerKind.COMPANY, re.compile(r"^(?:fondation|entreprise)\b")),
)


@dataclass(frozen=True)
class FundingLine:
    """One amount paid by one funder, as stated on line ``line`` of the file."""

    funder: str
    kind: str
    amount: Decimal
    line: int
    note: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Funder:
    """A financial partner named without an amount (``- REAAP :``)."""

    name: str
    kind: str
    line: int
    note: str = ""


@dataclass
class FundingExtraction:
    lines: list[FundingLine] = field(default_factory=list)
    partners: list[Funder] = field(default_factory=list)
    total_budget: Decimal | None = None
    total_budget_line: int | None = None
    budget_year: int | None = None
    notices: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PeopleCounts:
    staff: int | None = None
    volunteers: int | None = None
    participants: int | None = None


def tidy(text: str) -> str:
    """One line of text with spaces collapsed and no space just inside parentheses."""
    text = _SPACES.sub(" ", text).strip()
    return text.replace("( ", "(").replace(" )", ")")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def parse_amount(match: re.Match) -> Decimal | None:
    """The Decimal for an amount matched by ``_NUMBER`` (and its currency), or None when it
    cannot be stored or its cents follow the grouping separator ("1,200,50")."""
    group, separator = match["group"], match["sep"]
    if separator and group == separator:
        return None
    digits = re.sub(r"[ \u00a0\u202f.,]", "", match["int"])
    try:
        value = Decimal(f"{digits}.{match['dec'] or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    currency = match.groupdict().get("cur")
    if currency and currency.lower().startswith("k"):
        value *= 1000
    # Compare before quantizing: quantize fails past the context's precision (28 digits).
    if value > MAX_AMOUNT:
        return None
    return value.quantize(Decimal("0.01"))


def unreadable_figures(text: str) -> list[str]:
    """Sums of money in ``text`` whose separators say neither "1 200,50" nor "1,200.50"."""
    found = []
    for match in _FIGURE.finditer(text or ""):
        # ", " and ". " end a phrase: "en 2018, 1 500 €" holds the figure "1 500".
        figure = re.split(r"[.,]\s", match["figure"])[-1].strip()
        if not re.search(r"[.,]", figure):
            continue
        number = _WHOLE_NUMBER.match(figure)
        if number is None or parse_amount(number) is None:
            found.append(tidy(match.group(0)))
    return found


def partner_identity(label: str) -> tuple[str, str, str]:
    """``(name, kind, note)`` of the partner a funder label designates.

    The Caf is one partner whatever the spelling; a generic label ("Ville", "Etat", "Aide du
    Conseil départemental") maps onto one canonical partner per kind; a named partner keeps
    its name. ``note`` keeps the words written when they say more than the canonical name.
    """
    clean = _capitalised(tidy(label).strip(" :;,.-–"))
    key = normalize(clean)
    if _CAF.search(key):
        return "Caf", PartnerKind.CAF, "" if key in {"caf", "la caf"} else clean
    core = _FILLER.sub("", key).strip()
    for kind, (canonical, generic_keys) in _GENERIC.items():
        if core in generic_keys:
            return canonical, kind, "" if key == normalize(canonical) else clean
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(key):
            return clean, kind, ""
    return clean, PartnerKind.OTHER, ""


def _mentions_caf(label: str) -> bool:
    return bool(_CAF.search(normalize(label)))


def _looks_like_name(label: str) -> bool:
    """A label that can name a funder: not a sentence fragment, not a figure.

    Words in parentheses do not count ("ASP (Agence de Service et de Paiement)" is short).
    """
    words = re.sub(r"\([^()]*\)", " ", label).split()
    if not words or label[0].isdigit() or len(label) > MAX_PARTNER_NAME:
        return False
    if normalize(words[0]).strip("'") in _NOT_A_NAME_START:
        return False
    if _mentions_caf(label):
        return True  # "Convention d'objectifs et de financement avec la CAF de l'Yonne :"
    return len(words) <= 6


def _is_heading(label: str) -> bool:
    """ "Ressources mobilisées :", "Nos partenaires financiers :": introduces, names nobody."""
    return not _mentions_caf(label) and bool(set(normalize(label).split()) & _HEADING_WORDS)


def _label_year(label: str) -> tuple[str, int | None]:
    """("CAF 2018", …) → ("CAF", 2018): a year written in a funder label is the line's year."""
    match = re.search(r"\s*\b(19[5-9]\d|20\d\d)\b\s*", label)
    if not match:
        return label, None
    stripped = tidy(label[: match.start()] + " " + label[match.end() :])
    return (stripped or label), int(match.group(1))


@dataclass
class _Classified:
    kind: str  # blank, amount, budget, bare, label_only, heading, item, other
    line: int
    dashed: bool = False
    label: str = ""
    amount: Decimal | None = None
    note: str = ""
    year: int | None = None


def _classify(raw: str, number: int, notices: list) -> _Classified:
    dashed = bool(_BULLET.match(raw))
    body = tidy(_BULLET.sub("", raw))
    if not body:
        return _Classified("blank", number)
    labelled = _LABELLED_AMOUNT.match(body)
    if labelled:
        label, rest = tidy(labelled["label"]), tidy(labelled["rest"])
        amount = parse_amount(labelled)
        budget = bool(_BUDGET_LABEL.match(normalize(label)))
        if amount is None:
            notices.append((number, _("montant illisible ou trop grand, ignoré")))
            return _Classified("other", number, dashed)
        if budget:
            return _Classified("budget", number, dashed, label, amount, year=_label_year(label)[1])
        if re.search(r"\d", rest) or _RATE.match(normalize(rest)):
            return _other(rest, number, dashed, notices)
        if rest and not labelled["cur"]:
            return _Classified("other", number, dashed)
        if not _looks_like_name(label):
            return _Classified("other", number, dashed)
        label, year = _label_year(label)
        note = rest.strip(" ()-–:;,.")
        return _Classified("amount", number, dashed, label, amount, note, year)
    label_only = _LABEL_ONLY.match(body)
    if label_only:
        label = tidy(label_only["label"])
        if _is_heading(label):
            return _Classified("heading", number, dashed, label, year=_label_year(label)[1])
        if _looks_like_name(label):
            return _Classified("label_only", number, dashed, label)
        return _Classified("other", number, dashed)
    bare = _BARE_AMOUNT.match(body)
    if bare and _BARE_QUALIFIER.match(normalize(bare["rest"])):
        amount = parse_amount(bare)
        if amount is None:
            notices.append((number, _("montant illisible ou trop grand, ignoré")))
            return _Classified("other", number, dashed)
        return _Classified("bare", number, dashed, amount=amount)
    if dashed and not re.search(r"[\d:]", body) and _looks_like_name(body):
        return _Classified("item", number, dashed, body)
    return _other(body, number, dashed, notices)


def _other(body: str, number: int, dashed: bool, notices: list) -> _Classified:
    """A line that states no funding; a sum in it that cannot be read is reported."""
    for figure in unreadable_figures(body):
        notices.append((number, _("montant illisible, ignoré : « %s »") % figure))
    return _Classified("other", number, dashed)


def extract_funding(text: str, *, first_line: int = 1, cut: bool = False) -> FundingExtraction:
    """Funding lines, financial partners and total budget stated in ``text``.

    ``first_line`` is the file line number of the text's first line, for the report.
    ``cut``: the page ends in this text, so its last line may stop mid-figure ("CAF : 15" of
    "CAF : 1500 €"): that line gives nothing, and a lone bare amount is not taken for the
    budget (what followed it is missing).
    """
    result = FundingExtraction()
    raw_lines = (text or "").split("\n")
    if cut:
        raw_lines = _without_cut_line(raw_lines)
    rows = [
        _classify(raw, first_line + index, result.notices) for index, raw in enumerate(raw_lines)
    ]
    meaningful = [row for row in rows if row.kind != "blank"]
    heading: _Classified | None = None
    heading_dashed: bool | None = None
    previous: _Classified | None = None
    bare_amounts: list[_Classified] = []
    for position, row in enumerate(meaningful):
        following = meaningful[position + 1] if position + 1 < len(meaningful) else None
        if heading is not None and row.dashed != heading_dashed:
            heading = None
        if row.kind in {"heading", "label_only"} and following and following.kind == "amount":
            heading, heading_dashed = row, following.dashed
        elif row.kind == "label_only" or (
            row.kind == "item" and previous is not None and previous.kind in {"label_only", "item"}
        ):
            name, kind, note = partner_identity(row.label)
            result.partners.append(Funder(name, kind, row.line, note))
        elif row.kind == "amount":
            name, kind, note = partner_identity(row.label)
            notes = [heading.label if heading else "", note, row.note]
            result.lines.append(
                FundingLine(
                    funder=name,
                    kind=kind,
                    amount=row.amount,
                    line=row.line,
                    note=" · ".join(part for part in notes if part)[:255],
                    year=row.year or (heading.year if heading else None),
                )
            )
        elif row.kind == "budget" and result.total_budget is None:
            result.total_budget, result.total_budget_line = row.amount, row.line
            result.budget_year = row.year
        elif row.kind == "bare":
            bare_amounts.append(row)
        if row.kind in {"blank", "other", "bare", "budget"}:
            heading = None
        previous = row
    if result.total_budget is None and not result.lines and len(bare_amounts) == 1 and not cut:
        result.total_budget = bare_amounts[0].amount
        result.total_budget_line = bare_amounts[0].line
    return result


_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
}
_COUNT = r"(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")"
_STAFF = (
    r"salarie(?:e)?s?|professionnel(?:le)?s?|animat(?:eur|rice)s?|mediat(?:eur|rice)s?"
    r"|encadrant(?:e)?s?"
)
_VOLUNTEERS = r"benevoles?"
_PARTICIPANTS = r"participant(?:e)?s?|beneficiaires?"
_PEOPLE_PATTERNS = (
    ("staff", re.compile(rf"(?<![\w.,/]){_COUNT}\s+(?:{_STAFF})\b")),
    ("staff", re.compile(rf"\b(?:{_STAFF})\s*[:=]\s*(?P<n>\d+)(?![\d.,]\d)")),
    ("volunteers", re.compile(rf"(?<![\w.,/]){_COUNT}\s+(?:{_VOLUNTEERS})\b")),
    ("volunteers", re.compile(rf"\b(?:{_VOLUNTEERS})\s*[:=]\s*(?P<n>\d+)(?![\d.,]\d)")),
    (
        "participants",
        re.compile(rf"(?<![\w.,/])(?P<n>\d+)\s+(?:personnes\s+)?(?:{_PARTICIPANTS})\b"),
    ),
    ("participants", re.compile(rf"\b(?:{_PARTICIPANTS})\s*[:=]\s*(?P<n>\d+)(?![\d.,]\d)")),
)


def _plain(text: str) -> str:
    """Lower case, without accents, on one line: what the people patterns are written for."""
    return normalize(text)


def _without_cut_line(lines: list[str]) -> list[str]:
    """``lines`` with the last non-blank one blanked (kept as a line for the numbering)."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            return [*lines[:index], "", *lines[index + 1 :]]
    return lines


def extract_people(text: str, *, cut: bool = False) -> PeopleCounts:
    """Staff, volunteer and participant counts stated in "Nombre de personnes mobilisés".

    ``2 salariés et 3 bénévoles``, ``15 bénévoles et 20 professionnels``, ``environ 4
    bénévoles``, ``ENCADRANTES: 3``, ``30 participants``. Counts stated on several lines add
    up (one line per centre); text in parentheses details a count already given and is not
    read. A section that states no count leaves the count empty. ``cut``: the page ends in
    the text, whose last line is not read ("1" of "15 bénévoles").
    """
    totals: dict[str, int] = {}
    raw_lines = (text or "").split("\n")
    for raw_line in _without_cut_line(raw_lines) if cut else raw_lines:
        line = _plain(re.sub(r"\([^()]*\)", " ", raw_line))
        used: set[int] = set()
        for kind, pattern in _PEOPLE_PATTERNS:
            for match in pattern.finditer(line):
                start = match.start("n")
                if start in used:
                    continue
                used.add(start)
                word = match.group("n")
                count = int(word) if word.isdigit() else _NUMBER_WORDS[word]
                totals[kind] = totals.get(kind, 0) + count
    return PeopleCounts(
        **{kind: (value if value <= MAX_PEOPLE else None) for kind, value in totals.items()}
    )


def years_in(text: str) -> set[int]:
    """Years written in ``text`` (1950-2099), leaving out amounts such as "2000 €"."""
    found = set()
    for match in _YEAR.finditer(text or ""):
        if _YEAR_NOT_MONEY.match(text[match.end() :]):
            continue
        found.add(int(match.group(1)))
    return found


def extract_year(texts: Iterable[str], *, budget_year: int | None = None) -> int | None:
    """The year a sheet is about, only when the text leaves no doubt.

    A budget stated for a year (``Budget 2016 : …``) gives it; otherwise the one year the
    texts mention, if they mention exactly one. Callers leave out the "perspectives",
    which speak of years to come.
    """
    if budget_year is not None:
        return budget_year
    years: set[int] = set()
    for text in texts:
        years |= years_in(text)
    return years.pop() if len(years) == 1 else None
