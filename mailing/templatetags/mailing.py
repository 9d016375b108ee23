"""``{{ value|french_date }}``: « 1er décembre 2026 », the form French letters use (Django's
``date:"j F Y"`` writes « 1 décembre 2026 »); ``{{ value|long_date }}``: the same on a French
page, "1 December 2026" on an English one (public pages)."""

from datetime import date, datetime

from django import template
from django.utils import dateformat, formats, timezone, translation

register = template.Library()


@register.filter
def french_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    with translation.override("fr"):
        return f"{day} {dateformat.format(value, 'F Y')}"


@register.filter
def long_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    if (translation.get_language() or "fr").split("-")[0] == "fr":
        return french_date(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")
