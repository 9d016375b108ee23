"""Reading the catalogue version: what every cached page, validator and public answer of the
portal (pages, API, feed, sitemaps, observatory) is keyed on."""

from .models import CatalogueVersion


def current() -> CatalogueVersion:
    """The version the public data is at, read from the database on every call (one indexed
    row): a cached copy of it could outlive a write."""
    return CatalogueVersion.objects.get(pk=1)


def tag(version: CatalogueVersion) -> str:
    """A token unique to this state of the data. The time is part of it: a row recreated
    after a flush starts again at number 1, with another time."""
    return f"{version.number}.{version.changed_at.timestamp():.6f}"
