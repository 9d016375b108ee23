"""``{% data_lang %}``: the ``lang`` attribute of an element holding data, which is French on
every page (themes, publics, dimensions, names of places): ``lang="fr"`` on a page in another
language, so that screen readers read it in French (WCAG 3.1.2), nothing on a French page."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

DATA_LANGUAGE = settings.LANGUAGE_CODE  # the data is written in the source language


@register.simple_tag
def data_lang(data: bool = True) -> str:
    """`` lang="fr"`` when ``data`` (an element of data) is shown on a page in another
    language."""
    if not data or (get_language() or DATA_LANGUAGE).split("-")[0] == DATA_LANGUAGE:
        return ""
    return mark_safe(f' lang="{DATA_LANGUAGE}"')
