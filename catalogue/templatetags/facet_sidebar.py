"""``{% facet_options facet options lang %}``: the ``options`` of a checkbox or radio facet of
the sidebar (templates/catalogue/includes/facet.html), a label each. A catalogue page has
hundreds of them: written here with one format string rather than by a template included once
per option, which was half of the page's rendering time (docs/benchmarks.md, bench/render.py).
The markup and its escaping are the template's (``format_html`` escapes every value as ``{{ }}``
does; ``lang`` is ``{% data_lang %}``'s, already safe)."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join

register = template.Library()

OPTION = (
    '<label class="facet-option{empty}"><input class="form-check-input" type="{widget}"'
    ' name="{name}" value="{value}"{checked}><span{lang}>{label}</span>'
    ' <span class="facet-count">{count}<span class="visually-hidden"> {unit}</span></span>'
    "</label>\n"
)


@register.simple_tag
def facet_options(facet, options, lang):
    return format_html_join(
        "",
        OPTION,
        (
            {
                "empty": " facet-empty" if option.empty else "",
                "widget": facet.widget,
                "name": facet.name,
                "value": option.value,
                "checked": " checked" if option.selected else "",
                "lang": lang,
                "label": option.label,
                "count": localize(option.count),
                "unit": option.unit,
            }
            for option in options
        ),
    )
