"""Reading the catalogue version: what every cached page, validator and public answer of the
portal (pages, API, feed, sitemaps, observatory) is keyed on."""

from django.utils import timezone

from .models import CatalogueVersion


def current() -> CatalogueVersion:
    """The version the public data is at, read from the database on every call (one indexed
    row): a cached copy of it could outlive a write."""
    version = CatalogueVersion.objects.filter(pk=1).first()
    if version is None:  # the row went with a flush (``manage.py flush``, transactional tests)
        version, _ = CatalogueVersion.objects.get_or_create(
            pk=1, defaults={"changed_at": timezone.now()}
        )
    return version


def tag(version: CatalogueVersion) -> str:
    """A token unique to this state of the data. The time is part of it: a row recreated
    after a flush starts again at number 1, with another time."""
    return f"{version.number}.{version.changed_at.timestamp():.6f}"
