"""Dates written out as people write them: « 1er décembre 2026 », « 6 janv. 2025 » in French,
« 1 December 2026 » in English (Django's ``date:"j F Y"`` writes « 1 décembre 2026 »)."""

from datetime import date, datetime

from django.utils import dateformat, timezone, translation


def written_date(value: date | datetime | None, rest: str = "F Y") -> str:
    """The day of ``value`` then ``rest`` (a ``date`` format: ``"F Y"``, ``"N Y H:i"``…) in
    the active language; the first of the month is « 1er » in French. Aware datetimes are
    written in local time."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    french = (translation.get_language() or "").startswith("fr")
    day = "1er" if french and value.day == 1 else str(value.day)
    return f"{day} {dateformat.format(value, rest)}"


def french_date(value: date | datetime | None) -> str:
    """``written_date`` in French, whatever the active language (e-mails are in French)."""
    with translation.override("fr"):
        return written_date(value)
