"""What may be attached to a sheet, checked by content rather than trusted from the name.

A file is accepted when its bytes are one of the allowed kinds (PDF, JPEG, PNG, WebP, office
documents) *and* its extension is one that kind uses: an HTML page or a program renamed
``.pdf`` is refused, and so is a real PNG named ``.pdf`` (browsers and tools would mistreat it).

Office documents are recognised by their inner structure: OOXML (docx/xlsx/pptx) and ODF
(odt/ods/odp) are ZIP containers, told apart by ``[Content_Types].xml`` and the part folders
(``word/``, ``xl/``, ``ppt/``) or by the ``mimetype`` entry; legacy doc/xls/ppt are OLE2
compound files, told apart by the name of their main stream.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    mime: str
    label: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", "PDF", ("pdf",))
JPEG = FileKind("image/jpeg", "JPEG", ("jpg", "jpeg"))
PNG = FileKind("image/png", "PNG", ("png",))
WEBP = FileKind("image/webp", "WebP", ("webp",))
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", ("docx",)
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", ("xlsx",)
)
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint",
    ("pptx",),
)
ODT = FileKind("application/vnd.oasis.opendocument.text", "OpenDocument texte", ("odt",))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument tableur", ("ods",))
ODP = FileKind(
    "application/vnd.oasis.opendocument.presentation", "OpenDocument présentation", ("odp",)
)
DOC = FileKind("application/msword", "Word 97-2003", ("doc",))
XLS = FileKind("application/vnd.ms-excel", "Excel 97-2003", ("xls",))
PPT = FileKind("application/vnd.ms-powerpoint", "PowerPoint 97-2003", ("ppt",))

ALLOWED_KINDS = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT)
ALLOWED_EXTENSIONS = tuple(ext for kind in ALLOWED_KINDS for ext in kind.extensions)
# For the file input's ``accept`` attribute (a hint to the browser; the server decides).
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)

_BY_FILETYPE_MIME = {kind.mime: kind for kind in (PDF, JPEG, PNG, WEBP)}
_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_ODF_MIMES = {kind.mime: kind for kind in (ODT, ODS, ODP)}
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Main stream of each legacy format, as stored in the compound file directory (UTF-16LE).
_OLE2_STREAMS = (
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)
_ZIP_SIGNATURE = b"PK\x03\x04"


def size_label(size: int) -> str:
    """A size in the units French users read: "10 Mo", "2,5 Ko" (1 Mo = 1 024 Ko here)."""
    for unit, factor in ((_("Mo"), 1024 * 1024), (_("Ko"), 1024)):
        if size >= factor:
            value = size / factor
            decimals = 0 if value == int(value) else 1
            return f"{number_format(value, decimal_pos=decimals)}\u00a0{unit}"
    return _("%(size)d octets") % {"size": size}


def _read(uploaded, size: int | None = None) -> bytes:
    uploaded.seek(0)
    data = uploaded.read() if size is None else uploaded.read(size)
    uploaded.seek(0)
    return data


def _zipped_kind(uploaded) -> FileKind | None:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return _ODF_MIMES.get(declared)
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    finally:
        uploaded.seek(0)
    return None


def _ole2_kind(uploaded) -> FileKind | None:
    data = _read(uploaded)
    for stream, kind in _OLE2_STREAMS:
        if stream.encode("utf-16-le") in data:
            return kind
    return None


def detect_kind(uploaded) -> FileKind | None:
    """The allowed kind the bytes of ``uploaded`` belong to, or ``None``."""
    head = _read(uploaded, 8192)
    if head.startswith(_ZIP_SIGNATURE):
        return _zipped_kind(uploaded)
    if head.startswith(_OLE2_SIGNATURE):
        return _ole2_kind(uploaded)
    guess = filetype.guess(head)
    if guess is None:
        return None
    return _BY_FILETYPE_MIME.get(guess.mime)


def validate_attachment(uploaded) -> FileKind:
    """Check an uploaded attachment; return its kind or raise a French ``ValidationError``."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("Ce fichier pèse %(size)s : la limite est de %(limit)s par fichier."),
            code="too_large",
            params={"size": size_label(uploaded.size), "limit": size_label(limit)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("Ce fichier est vide."), code="empty")
    extension = PurePath(uploaded.name or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _(
                "Type de fichier non accepté (« .%(extension)s »). Formats acceptés : PDF, "
                "images JPEG, PNG ou WebP, documents bureautiques (Word, Excel, PowerPoint, "
                "OpenDocument)."
            ),
            code="extension",
            params={"extension": extension or "?"},
        )
    kind = detect_kind(uploaded)
    if kind is None:
        raise ValidationError(
            _(
                "Le contenu de ce fichier n'est pas celui d'un document accepté (PDF, image "
                "JPEG, PNG ou WebP, document bureautique), quelle que soit son extension."
            ),
            code="content",
        )
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "Le contenu de ce fichier (%(kind)s) ne correspond pas à son extension "
                "(« .%(extension)s »). Renommez-le avec la bonne extension."
            ),
            code="mismatch",
            params={"kind": kind.label, "extension": extension},
        )
    return kind
