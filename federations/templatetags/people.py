"""``{{ user|person_name }}``: a person named as everywhere else (``federations.people``)."""

from django import template

from federations import people

register = template.Library()


@register.filter
def person_name(user) -> str:
    return people.person_name(user)
