"""Small helpers shared by the map and the charts to write SVG markup.

Markup is built with ``format_html``, so every text and attribute that comes from data (labels,
titles, links) is escaped.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

# Rough advance of a character of a sans-serif font, in em, to lay text out without a font.
CHARACTER_WIDTH = 0.58
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def number(value: float) -> str:
    """A coordinate with one decimal at most: ``12``, ``12.5``."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHARACTER_WIDTH


def labelled(dom_id: str, title: str, description: str) -> tuple[SafeString, SafeString]:
    """The ARIA attributes of an ``<svg>`` and its ``<title>`` (and ``<desc>``) elements."""
    if description:
        return (
            format_html(' aria-labelledby="{0}-titre" aria-describedby="{0}-desc"', dom_id),
            format_html(
                '<title id="{0}-titre">{1}</title><desc id="{0}-desc">{2}</desc>',
                dom_id,
                title,
                description,
            ),
        )
    return (
        format_html(' aria-labelledby="{}-titre"', dom_id),
        format_html('<title id="{}-titre">{}</title>', dom_id, title),
    )
