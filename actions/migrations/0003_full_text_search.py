"""French full-text search on PostgreSQL: unaccent and pg_trgm, the ``french_unaccent`` text
search configuration, the weighted ``search_vector`` column, the trigger that keeps it up to date
on every write (save(), bulk_create(), update(), raw SQL alike) and its GIN index.

Everything PostgreSQL-specific is skipped on other databases: SQLite gets the (always empty)
column only, and searches with ``unaccent(...) LIKE`` instead (see actions/search.py).
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from actions.operations import RunSQLOnPostgreSQL


class VendorGuardedBackwards:
    """Django's extension operations skip other databases going forwards, not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class CreateUnaccent(VendorGuardedBackwards, UnaccentExtension):
    pass


class CreateTrigram(VendorGuardedBackwards, TrigramExtension):
    pass


CREATE_CONFIGURATION = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"

# Frozen copy of actions.search.WEIGHTED_FIELDS: title A, summary B, experience and description
# C, the other text sections D.
TEXT_COLUMNS = (
    "title, summary, experience, description, end_reason, financial_resources, "
    "people_mobilised, result_territory, result_centre, result_residents, limits, perspectives"
)
CREATE_TRIGGER = f"""
CREATE OR REPLACE FUNCTION actions_action_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('french_unaccent', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('french_unaccent',
                concat_ws(' ', NEW.experience, NEW.description)), 'C')
        || setweight(to_tsvector('french_unaccent',
                concat_ws(' ', NEW.end_reason, NEW.financial_resources, NEW.people_mobilised,
                          NEW.result_territory, NEW.result_centre, NEW.result_residents,
                          NEW.limits, NEW.perspectives)), 'D');
    RETURN NEW;
END;
$$;

CREATE TRIGGER actions_action_search_vector_trigger
    BEFORE INSERT OR UPDATE OF {TEXT_COLUMNS} ON actions_action
    FOR EACH ROW EXECUTE FUNCTION actions_action_search_vector_update();

-- Sheets that exist already get their vector through the trigger.
UPDATE actions_action SET title = title;

CREATE INDEX action_search_vector_gin ON actions_action USING gin (search_vector);
"""
DROP_TRIGGER = """
DROP INDEX IF EXISTS action_search_vector_gin;
DROP TRIGGER IF EXISTS actions_action_search_vector_trigger ON actions_action;
DROP FUNCTION IF EXISTS actions_action_search_vector_update();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_seed_vocabularies"),
    ]

    operations = [
        CreateUnaccent(),
        CreateTrigram(),
        RunSQLOnPostgreSQL(CREATE_CONFIGURATION, DROP_CONFIGURATION),
        migrations.AddField(
            model_name="action",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="index de recherche"
            ),
        ),
        RunSQLOnPostgreSQL(CREATE_TRIGGER, DROP_TRIGGER),
    ]
