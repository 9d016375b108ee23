"""Text helpers shared by the apps: accent-insensitive matching keys and unique slugs."""

import re
import unicodedata

from django.db import models
from django.utils.text import slugify


def normalize(text: str) -> str:
    """Key for matching names typed by people: case, accents, punctuation spacing and
    typographic apostrophes/dashes do not matter ("Côte-d’Or" == "cote-d'or")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    return " ".join(text.casefold().split())


def name_key(text: str) -> str:
    """Key for matching structure names: ``normalize`` and punctuation aside too
    ("C'MES LOISIRS" == "C Mes Loisirs", "Harpèges- Les accords" == "harpeges les accords")."""
    return " ".join(re.sub(r"[\W_]+", " ", normalize(text)).split())


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
