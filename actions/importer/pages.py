"""Pages of the observatory saved as text: bytes to lines, and what kind of page they are.

Shared by the sheet parser (``parser``) and the structure directory parser (``directory``):

- ``decode``: UTF-8 with or without BOM, UTF-16 (with a BOM, or without one when the zero
  bytes leave no doubt) and UTF-32 with a BOM; binary files and other encodings refused with
  the reason;
- ``page_lines``: the lines of a text in NFC (a page saved in decomposed Unicode reads like
  any other: "Résumé" typed as "e" + combining accent is the label "Résumé"), whatever the
  line endings;
- ``no_content_reason``: why a page holds nothing to import (an empty file, the observatory's
  usage charter, a page of the other kind), for the report.
"""

import codecs
import re
import unicodedata

from django.utils.translation import gettext as _

from federations.text import normalize

# Byte order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 65536


class UnreadableText(ValueError):
    """The bytes are not a text file this importer reads; the message says why (in French)."""


def decode(data: bytes) -> str:
    """The text of a file, in NFC, without its byte order mark."""
    encoding = _encoding(data)
    if encoding is None:
        raise UnreadableText(_("fichier binaire (octets nuls) : ce n'est pas un fichier texte"))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding.startswith("utf-8"):
            message = _("le fichier n'est pas en UTF-8 (octet invalide à la position %d)")
        else:
            message = _("le fichier n'est pas en UTF-16 ou UTF-32 valide (position %d)")
        raise UnreadableText(message % error.start) from None
    text = text.removeprefix("\ufeff")
    sample = text[:_SAMPLE]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls > max(8, len(sample) // 100):
        raise UnreadableText(_("fichier binaire (caractères de contrôle) : ce n'est pas du texte"))
    return unicodedata.normalize("NFC", text)


def _encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" not in data[:_SAMPLE]:
        return "utf-8"
    return _bomless_utf16(data)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: French text puts a zero in every other byte (the high byte
    of Latin characters) and none in the others. Binary data has zeros anywhere."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= half * 0.3 and even == 0:
        return "utf-16-le"
    if even >= half * 0.3 and odd == 0:
        return "utf-16-be"
    return None


def page_lines(text: str) -> list[str]:
    """The lines of ``text``: NFC, any line ending, no BOM nor NUL."""
    text = unicodedata.normalize("NFC", text or "").replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff").split("\n")


def clean(line: str) -> str:
    """Spaces (no-break ones too) collapsed, typographic apostrophes made straight."""
    return " ".join(line.replace("\u2019", "'").replace("\ufeff", "").split())


def key(line: str) -> str:
    """Loose key of a heading: case, accents, quotes, spacing and end punctuation aside."""
    text = normalize(clean(line)).replace("«", " ").replace("»", " ").replace('"', " ")
    return " ".join(text.split()).strip(" :?.")


# What marks each kind of page (keys of whole lines).
SHEET_MARK = "Actions"
CHARTER_TITLE = re.compile(r"^charte d'utilisation\b")
DIRECTORY_HEADINGS = frozenset(
    {
        "liste des centres sociaux",
        "liste des espaces de vie sociale",
        "informations sur la structure",
    }
)


def no_content_reason(lines: list[str], *, expected: str) -> str:
    """Why ``lines`` hold no sheet (``expected="sheets"``) or no structure card
    (``expected="structures"``): the report says it, and the import fails."""
    meaningful = [clean(line) for line in lines if clean(line)]
    meaningful = [line for line in meaningful if not line.startswith("# source:")]
    if not meaningful:
        return _("fichier vide : aucune fiche à importer")
    if any(CHARTER_TITLE.match(key(line)) for line in meaningful[:5]):
        return _(
            "page de la charte d'utilisation de SENACS, sans fiche : l'observatoire la renvoie "
            "à la place de certaines fiches"
        )
    if expected == "sheets" and any(key(line) in DIRECTORY_HEADINGS for line in meaningful):
        return _("page de l'annuaire des structures : l'importer avec import_structures")
    if expected == "structures" and SHEET_MARK in meaningful:
        return _("page de fiches action : l'importer avec import_sheets")
    if expected == "sheets":
        return _(
            "aucune fiche action reconnue : une fiche commence par une ligne « Actions » "
            "suivie de son titre et de ses sections"
        )
    return _(
        "aucune fiche de structure reconnue : une fiche commence par « Informations sur la "
        "structure » suivie du nom de la structure"
    )
