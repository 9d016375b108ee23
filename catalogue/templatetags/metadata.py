"""What a sheet's page tells link previews and search engines: OpenGraph properties and a
schema.org description in JSON-LD (``<script type="application/ld+json">``, a data block that
browsers never run, so a Content-Security-Policy without inline scripts allows it).

Reads the sheet as ``Action.objects.for_sheet()`` fetched it: no query of its own.
"""

import json

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()

# What Django's json_script escapes, so that no text of a sheet can close the script element.
JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
DESCRIPTION_WORDS = 40


def schema_org(action, url: str, description: str) -> dict:
    structure = action.structure
    department = structure.department
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "headline": action.title,
        "description": description,
        "inLanguage": settings.LANGUAGE_CODE,
        "datePublished": action.published_at.isoformat(),
        "dateModified": action.updated_at.isoformat(),
        "keywords": [theme.name for theme in action.themes.all()],
        "author": {
            "@type": "Organization",
            "name": structure.name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": structure.commune or None,
                "postalCode": structure.postcode or None,
                "addressRegion": department.name,
                "addressCountry": "FR",
            },
        },
        "audience": [
            {"@type": "Audience", "audienceType": public.name} for public in action.publics.all()
        ],
        "isAccessibleForFree": True,
    }
    if structure.federation is not None:
        data["publisher"] = {"@type": "Organization", "name": structure.federation.name}
    data["author"]["address"] = {k: v for k, v in data["author"]["address"].items() if v}
    return data


@register.inclusion_tag("catalogue/includes/sheet_metadata.html", takes_context=True)
def sheet_metadata(context, action):
    url = context["request"].build_absolute_uri(action.get_absolute_url())
    description = Truncator(strip_tags(action.summary or action.title)).words(DESCRIPTION_WORDS)
    data = schema_org(action, url, description)
    return {
        "action": action,
        "url": url,
        "description": description,
        "json_ld": mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_IN_HTML)),
    }
