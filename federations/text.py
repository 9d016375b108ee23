"""Text helpers shared by the apps: accents removed, accent-insensitive matching keys, unique
slugs, and the length limit of free texts."""

import re
import unicodedata
from functools import lru_cache

from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, OrderBy
from django.db.models.functions import Collate
from django.utils.text import slugify

# About eight printed pages: ten times the longest section of the published sheets. Every free
# text a client can send is bounded, so that the form says so rather than the database failing
# (PostgreSQL refuses a search vector above 1 MB: a sheet's sections at their limits stay far
# below it, see tests/actions/test_text_limits.py).
TEXT_MAX_LENGTH = 20_000


def bounded_text(verbose_name, *, max_length: int = TEXT_MAX_LENGTH, **options) -> models.TextField:
    """A ``TextField`` of at most ``max_length`` characters, checked by model validation
    (``full_clean``, hence model forms and the admin) and by its form field; declared on the
    field, where forms, the admin and the importer read it (``field.max_length``)."""
    return models.TextField(
        verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **options
    )


LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


class _Unaccented(dict):
    """The ``str.translate`` table of ``strip_accents``: combining marks removed, ligatures
    spelled out, every other character kept; filled as characters are met, so that a
    character costs one lookup (twice as fast as testing each one with ``combining``). Only
    the Basic Multilingual Plane is kept (65,536 entries at most, whatever texts clients send);
    rarer characters are looked up each time."""

    def __missing__(self, code: int):
        kept = None if unicodedata.combining(chr(code)) else LIGATURES.get(code, code)
        if code <= 0xFFFF:
            self[code] = kept
        return kept


_UNACCENTED = _Unaccented()


def strip_accents(text: str | None) -> str | None:
    """What PostgreSQL's ``unaccent`` does for French text: "Séjour" -> "Sejour", "œ" -> "oe"
    (the SQLite search's ``unaccent()`` function, and the first step of ``normalize``)."""
    if text is None:
        return None
    return unicodedata.normalize("NFKD", text).translate(_UNACCENTED)


def normalize(text: str) -> str:
    """Key for matching names typed by people: case, accents, punctuation spacing and
    typographic apostrophes/dashes do not matter ("Côte-d’Or" == "cote-d'or")."""
    text = strip_accents(text or "")
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.casefold().split())


# Names in French order -------------------------------------------------------------------------
#
# PostgreSQL sorts with the ICU French collation that every cluster built with ICU has (Debian's
# PostgreSQL 15 is): the order of a French dictionary, "Île-de-France" among the I, "Élan"
# between "eau" and "ferme", case aside. SQLite gets a collation of the same name
# (``french_compare``, registered on each connection by catalogue/apps.py), and Python sorts
# with ``french_sort_key``: letters without accents, case nor ligatures first, then accents
# and case, so equal names keep a stable order. PyICU would give ICU's exact order in Python
# and SQLite too, but it is a large compiled dependency; this key agrees with ICU on names
# (tests/federations/test_french_order.py compares them on PostgreSQL).
FRENCH_COLLATION = "fr-x-icu"


def french_sort_key(text: str | None) -> tuple[str, str, str]:
    text = text or ""
    return normalize(text), text.casefold(), text


# SQLite calls the collation for every comparison of a sort: each name's key is computed once
# rather than at each of its comparisons (a catalogue page sorts the same few hundred names,
# about 1,700 comparisons; bench/render.py).
_collation_key = lru_cache(maxsize=8192)(french_sort_key)


def french_compare(left: str, right: str) -> int:
    """The SQLite collation ``FRENCH_COLLATION``: -1, 0 or 1 as ``french_sort_key`` orders."""
    left, right = _collation_key(left), _collation_key(right)
    return (left > right) - (left < right)


def in_french(field: str) -> OrderBy:
    """``order_by(in_french("name"))``: a text field (or a path to one) in French order."""
    return Collate(F(field), FRENCH_COLLATION).asc()


def french_ordering(model: type[models.Model]) -> list:
    """``model``'s ``Meta.ordering`` with its text fields in French order (numbers, codes and
    positions as they are)."""
    ordering = []
    for item in model._meta.ordering:
        name = item.lstrip("-") if isinstance(item, str) else None
        if name and isinstance(model._meta.get_field(name), models.CharField):
            collated = Collate(F(name), FRENCH_COLLATION)
            ordering.append(collated.desc() if item.startswith("-") else collated.asc())
        else:
            ordering.append(item)
    return ordering


def name_key(text: str) -> str:
    """Key for matching names of structures and partners: ``normalize`` and punctuation aside
    too ("C'MES LOISIRS" == "C Mes Loisirs", "Caf de l'Ain" == "CAF DE L’AIN"). A text without
    any letter or digit keeps its punctuation ("—" is not "?")."""
    key = normalize(text)
    return " ".join(re.sub(r"[\W_]+", " ", key).split()) or key


def unique_slug(
    model: type[models.Model], text: str, *, max_length: int = 200, exclude_pk=None
) -> str:
    """A slug for ``text`` unique among ``model`` rows, suffixed -2, -3... when taken."""
    base = slugify(text)[: max_length - 6].strip("-") or "sans-titre"
    candidates = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    taken = set(candidates.values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def insert_with_free_slug(
    obj: models.Model, *, text: str, typed: str = "", max_length: int = 255, attempts: int = 5
) -> None:
    """Insert ``obj`` with the slug ``typed`` (when given and free) or one made from ``text``
    by ``unique_slug``.

    The slug is free when chosen, but someone may insert the same one before this insert: the
    unique index then makes this insert wait for theirs, then fail. It fails inside a
    savepoint, so the next free slug is tried, up to ``attempts`` times. Any other integrity
    error (another unique field, a constraint) is raised as it is, the transaction usable.
    """
    model = type(obj)
    for attempt in range(attempts):
        if attempt or not typed:
            obj.slug = unique_slug(model, typed or text, max_length=max_length)
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return
        except IntegrityError:
            obj.pk = None
            obj._state.adding = True
            taken = model._default_manager.filter(slug=obj.slug).exists()
            if attempt == attempts - 1 or not taken:
                raise
