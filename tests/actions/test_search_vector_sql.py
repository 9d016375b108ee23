"""The search vector's SQL is rendered from the published format's declaration
(actions.search_vector.render_sql): the latest released version is what the declaration renders,
so that a section added or a weight changed without its new version fails here; and version 3,
the first rendered, computes the same words at the same weights as version 2 (written by hand),
which its migration's revert relies on."""

import re
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from actions import sections
from actions.operations import SQL_DIR
from actions.search_vector import latest_version, render_sql
from tests.actions.factories import ActionFactory, ActionPartnerFactory, FundingFactory, theme


def test_the_latest_version_is_what_the_declaration_renders():
    latest = latest_version()
    committed = (SQL_DIR / f"search_vector_v{latest}.sql").read_text(encoding="utf-8")
    assert committed == render_sql(latest), (
        "The published format's search weights changed: run `manage.py render_search_vector` "
        "and load the new version from a migration."
    )


def test_a_new_weight_renders_another_version(monkeypatch):
    published = [replace(s, weight="A") if s.field == "summary" else s for s in sections.SECTIONS]
    monkeypatch.setattr(sections, "SECTIONS", tuple(published))
    rendered = render_sql(latest_version())
    [title_weight] = re.findall(r"concat_ws\(' ',\s+(.*?)\)\), 'A'\)", rendered, flags=re.S)
    assert "sheet.summary" in title_weight


def test_a_relation_without_triggers_is_refused(monkeypatch):
    published = [replace(s, weight="D") if s.field == "publics" else s for s in sections.SECTIONS]
    monkeypatch.setattr(sections, "SECTIONS", tuple(published))
    with pytest.raises(ImproperlyConfigured, match="publics: no trigger"):
        render_sql(latest_version())


def version_2_function() -> str:
    """Version 2's function, under another name."""
    text = (SQL_DIR / "search_vector_v2.sql").read_text(encoding="utf-8")
    [function] = re.findall(
        r"CREATE FUNCTION actions_action_search_vector\(sheet actions_action\).*?\$\$;",
        text,
        flags=re.S,
    )
    return function.replace("actions_action_search_vector(", "version_2_search_vector(", 1)


def words(function: str, pk: int) -> list[tuple[str, list[str]]]:
    """The words of a sheet's vector with the weight of each occurrence (not its position:
    the order of the sections within a weight moves them, and ranking does not read them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lexeme, weights FROM actions_action a, unnest({function}(a))"
            " WHERE a.id = %s ORDER BY lexeme",
            [pk],
        )
        return [(lexeme, sorted(weights)) for lexeme, weights in cursor.fetchall()]


def test_version_3_computes_the_words_and_weights_of_version_2(on_postgresql):
    sheet = ActionFactory(
        title="Séjour familles à la mer",
        status="finished",
        themes=[theme("vacances-loisirs"), theme("culture")],
        **{
            s.field: f"Texte de la section {s.field} numéro {i}"
            for i, s in enumerate(sections.text_sections())
        },
    )
    ActionPartnerFactory(action=sheet, partner__name="Mairie de Lorient")
    FundingFactory(action=sheet, funder__name="Caf du Morbihan")
    with connection.cursor() as cursor:
        cursor.execute(version_2_function())
    version_3 = words("actions_action_search_vector", sheet.pk)
    assert {"lorient", "morbihan", "sejour"} <= {lexeme for lexeme, _ in version_3}
    assert version_3 == words("version_2_search_vector", sheet.pk)
