"""Maintenance of the sheets' search vectors (PostgreSQL): database triggers keep them exact
(actions/sql/search_vector_v*.sql; what they hold: the weights of the published format's
sections, ``actions.sections``; why those weights: catalogue/search.py). This is the write side
of the vectors: the catalogue only reads them.
"""

import re
import textwrap
from contextlib import AbstractContextManager

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from .deferral import deferred
from .models import Action, ActionPartner, Funding
from .operations import SQL_DIR
from .sections import PARTNERS, TEXT_KINDS, TITLE, TITLE_WEIGHT, WEIGHTS, Section, sections

DEFERRAL_SETTING = "actions.search_vector_deferred"


def deferred_vectors(using: str = "default") -> AbstractContextManager[None]:
    """Suspend the search vectors' triggers on this connection during a bulk load, then compute
    every sheet's vector at once. Without it, each statement that adds the themes or partners
    of a batch of sheets writes those sheets again (ten times slower for demo data).

    Inside ``deferred_index()`` (``with deferred_index(), deferred_vectors():``), the vectors
    are rebuilt while the facet index is still deferred, so that the rebuild does not refresh
    the index (whose keys do not depend on the vectors).
    """
    return deferred(DEFERRAL_SETTING, rebuild_vectors, using)


def rebuild_vectors(using: str = "default") -> None:
    """Compute every sheet's search vector from its rows (it also ends a deferral)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT actions_rebuild_search_vectors()")


# The vector's SQL, rendered from the published format ----------------------------------------
#
# What a sheet's vector holds is declared with its sections (``Section.weight``); the function
# that computes it and the row trigger that watches its columns are SQL (PostgreSQL triggers
# keep the vectors exact whatever writes a sheet). ``render_sql()`` writes that SQL from the
# declaration; the migration that loads a version runs the file ``render_search_vector`` wrote,
# and tests/actions/test_search_vector_sql.py checks that the latest file is what the
# declaration renders: a section added, or a weight changed, without its new version fails it.

SQL_VERSION = re.compile(r"search_vector_v(\d+)\.sql")
# Version 2 holds the triggers of the tables names come from (actions_search_sources_changed:
# links to themes and partners, funding lines, renamed themes, partners and structures): a
# section read through another relation would need triggers of its own.
WATCHED_RELATIONS = {"structure", "themes", "partners"}


def _column(name: str) -> str:
    return f"actions_search_section(sheet.{Action._meta.get_field(name).column})"


def _names(section: Section) -> str:
    """The names a relation section links the sheet to, as one text."""
    field = Action._meta.get_field(section.field)
    if section.field not in WATCHED_RELATIONS:
        raise ImproperlyConfigured(
            f"Section {section.field}: no trigger keeps its names in the search vector."
        )
    target = field.related_model._meta.db_table
    if section.kind == PARTNERS:
        links = ActionPartner._meta.db_table
        lines = Funding._meta.db_table
        return (
            f"(SELECT actions_search_section(string_agg(p.name, ' ' ORDER BY p.name, p.id))\n"
            f"                FROM {target} p\n"
            f"                WHERE p.id IN (\n"
            f"                    SELECT partner_id FROM {links} WHERE action_id = sheet.id\n"
            f"                    UNION SELECT funder_id FROM {lines} WHERE action_id = sheet.id\n"
            f"                ))"
        )
    if field.many_to_many:
        through = field.remote_field.through._meta
        source = through.get_field(field.m2m_field_name()).column
        reverse = through.get_field(field.m2m_reverse_field_name()).column
        join = f"{through.db_table} link JOIN {target} t ON t.id = link.{reverse}"
        return (
            f"(SELECT actions_search_section(string_agg(t.name, ' ' ORDER BY t.name, t.id))\n"
            f"                FROM {join}\n"
            f"                WHERE link.{source} = sheet.id)"
        )
    return (
        f"(SELECT actions_search_section(s.name) FROM {target} s\n"
        f"                WHERE s.id = sheet.{field.column})"
    )


def _weighted_terms() -> dict[str, list[str]]:
    terms: dict[str, list[str]] = {weight: [] for weight in WEIGHTS}
    terms[TITLE_WEIGHT].append(_column(TITLE))
    for section in sections():
        if section.weight:
            text = section.kind in TEXT_KINDS
            terms[section.weight].append(_column(section.field) if text else _names(section))
    return terms


def _watched_columns() -> list[str]:
    """The sheet's columns its vector reads (its text sections', its single relations'): a
    write of one of them computes it again."""
    columns = [Action._meta.get_field(TITLE).column]
    for section in sections():
        field = Action._meta.get_field(section.field)
        if section.weight and field.concrete and not field.many_to_many:
            columns.append(field.column)
    return [*columns, "search_vector"]


def latest_version() -> int:
    """The number of the latest search vector file of actions/sql/."""
    found = (SQL_VERSION.fullmatch(path.name) for path in SQL_DIR.glob("search_vector_v*.sql"))
    return max(int(match[1]) for match in found if match)


def render_sql(version: int) -> str:
    """Version ``version`` of the search vector's SQL, as the published format declares it."""
    weighted = "\n        || ".join(
        "setweight(to_tsvector('french_unaccent', concat_ws(' ',\n            "
        + ",\n            ".join(terms)
        + f")), '{weight}')"
        for weight, terms in _weighted_terms().items()
        if terms
    )
    columns = textwrap.fill(
        ", ".join(_watched_columns()),
        width=92,
        initial_indent="    BEFORE INSERT OR UPDATE OF ",
        subsequent_indent="        ",
    )
    return SQL_TEMPLATE.format(version=version, weighted=weighted, columns=columns)


SQL_TEMPLATE = """\
-- French full-text search, version {version}: rendered from the published format's declaration
-- (actions/sections.py: each section's weight) by `manage.py render_search_vector`. Released:
-- never edit this file; a change of the declaration is a new version rendered by the command
-- and a migration that loads it.
--
-- It replaces the function that computes a sheet's vector and the row trigger that watches the
-- sheet's columns (search_vector_v2.sql made the rest: the deferral, the cut of each section,
-- the triggers of the tables names come from); then every sheet's vector is computed again.
-- It can run again over itself: the migration of the next version runs it going backwards.

CREATE OR REPLACE FUNCTION actions_action_search_vector(sheet actions_action) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT
        {weighted}
$$;

DROP TRIGGER IF EXISTS actions_action_search_vector_trigger ON actions_action;
CREATE TRIGGER actions_action_search_vector_trigger
{columns}
    ON actions_action
    FOR EACH ROW EXECUTE FUNCTION actions_action_search_vector_refresh();

SELECT set_config('actions.facet_index_deferred', 'on', true);
SELECT actions_rebuild_search_vectors();
SELECT set_config('actions.facet_index_deferred', 'off', true);
"""

REVERT_TEMPLATE = """\
-- Undoes search_vector_v{version}.sql (going backwards, its migration then runs
-- search_vector_v{previous}.sql again, which puts back the function and the trigger of version
-- {previous} and computes every sheet's vector with them): nothing of its own to drop.
"""


def render_revert(version: int) -> str:
    return REVERT_TEMPLATE.format(version=version, previous=version - 1)
