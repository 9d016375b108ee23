"""``{{ dataset|chart }}`` and ``{{ dataset|choropleth }}``, used by the includes in
``templates/observatory/includes/``."""

from django import template

from observatory import charts, maps

register = template.Library()


@register.filter
def chart(dataset):
    return charts.render(dataset)


@register.filter
def choropleth(dataset, territory=None):
    """The map of ``dataset``; ``{{ dataset|choropleth:codes }}`` zooms on the codes."""
    return maps.choropleth(dataset, only=territory)
