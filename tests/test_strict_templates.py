"""Templates are strict in tests (config/settings/test.py): what does not resolve fails."""

import pytest
from django.template import engines

from config.settings.test import UndefinedTemplateVariable


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    "source",
    [
        "{{ typo }}",
        "{{ sheet.typo }}",
        '{{ typo|default:"—" }}',
        "{% with value=typo %}{{ value }}{% endwith %}",
        "{% load i18n %}{% blocktranslate %}{{ typo }}{% endblocktranslate %}",
    ],
)
def test_a_variable_that_does_not_resolve_fails_the_rendering(source):
    with pytest.raises(UndefinedTemplateVariable, match="typo"):
        render(source, sheet={"title": "Séjour"})


def test_a_method_that_alters_data_is_not_called_and_fails(django_user_model):
    user = django_user_model(username="claire")
    with pytest.raises(UndefinedTemplateVariable):
        render("{{ user.delete }}", user=user)


def test_conditions_and_loops_keep_djangos_behaviour():
    assert render("{% if typo %}oui{% else %}non{% endif %}{% for x in typo %}x{% endfor %}") == (
        "non"
    )
