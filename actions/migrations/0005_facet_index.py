"""The facet index (PostgreSQL): what makes the catalogue's facet counts cheap at national
scale. See actions/facets.py for the keys and how the catalogue reads them.

- ``actions_facetentry``: one row per published sheet, the array of its facet keys.
- ``actions_facetpair``: for every pair of keys (the first one not a funder), how many
  published sheets carry both; pairs with key 0 are the counts of the whole catalogue.

Both are written here, by statement-level triggers (transition tables), so that every write
keeps them exact whatever its origin: forms, the admin, the importer, ``bulk_create``,
``update()``, raw SQL. ``actions.facet_index_deferred = on`` (a session setting) switches the
triggers off for a bulk load, which then calls ``actions_rebuild_facet_index()``.

The key layout below is a frozen copy of ``actions.facet_keys``;
changing them takes a new migration (a test compares both on PostgreSQL).
"""

from django.db import migrations, models

import actions.models
from actions.operations import RunSQLOnPostgreSQL

CREATE_FUNCTIONS = """
CREATE FUNCTION actions_facet_index_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('actions.facet_index_deferred', true), '') = 'on'
$$;

-- The keys of one sheet, sorted: kind << 32 | id of the value (see actions/facet_keys.py).
CREATE FUNCTION actions_facet_keys(sheet bigint) RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT 0::bigint
        UNION SELECT (1::bigint << 32) | theme_id
            FROM actions_action_themes WHERE action_id = sheet
        UNION SELECT (2::bigint << 32) | public_id
            FROM actions_action_publics WHERE action_id = sheet
        UNION SELECT own.key
            FROM actions_action a
            JOIN federations_structure s ON s.id = a.structure_id
            JOIN federations_department d ON d.id = s.department_id
            CROSS JOIN LATERAL (VALUES
                ((3::bigint << 32) | CASE a.status WHEN 'ongoing' THEN 1 WHEN 'finished' THEN 2 END),
                ((4::bigint << 32) | s.department_id),
                ((5::bigint << 32) | d.region_id),
                ((6::bigint << 32) | s.federation_id),
                ((7::bigint << 32) | a.dimension_id),
                ((9::bigint << 32) | a.territory_scale_id)
            ) AS own (key)
            WHERE a.id = sheet AND own.key IS NOT NULL
        UNION SELECT (8::bigint << 32) | initiative_id
            FROM actions_action_initiatives WHERE action_id = sheet
        UNION SELECT (10::bigint << 32) | funder_id
            FROM actions_funding WHERE action_id = sheet
        UNION SELECT (10::bigint << 32) | partner_id
            FROM actions_actionpartner WHERE action_id = sheet AND role = 'financial'
        ORDER BY 1
    )
$$;

-- Bring the entries of these sheets up to date: published sheets get (or keep) one with their
-- keys, the others none. Unchanged entries are not rewritten.
CREATE FUNCTION actions_refresh_facet_entries(sheets bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF actions_facet_index_deferred() OR cardinality(sheets) = 0 THEN
        RETURN;
    END IF;
    DELETE FROM actions_facetentry entry
        WHERE entry.action_id = ANY (sheets)
        AND NOT EXISTS (
            SELECT 1 FROM actions_action a
            WHERE a.id = entry.action_id AND a.publication_status = 'published'
        );
    INSERT INTO actions_facetentry AS entry (action_id, keys)
        SELECT a.id, actions_facet_keys(a.id) FROM actions_action a
        WHERE a.id = ANY (sheets) AND a.publication_status = 'published'
        ORDER BY a.id
    ON CONFLICT (action_id) DO UPDATE SET keys = EXCLUDED.keys
        WHERE entry.keys IS DISTINCT FROM EXCLUDED.keys;
END;
$$;

-- Trigger function for the tables a sheet's keys come from. TG_ARGV[0]: the query giving the
-- sheets concerned by the rows of the transition table "changed".
CREATE FUNCTION actions_facet_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sheets bigint[];
BEGIN
    IF actions_facet_index_deferred() THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT sheet FROM (%s) AS concerned (sheet))', TG_ARGV[0])
        INTO sheets;
    PERFORM actions_refresh_facet_entries(sheets);
    RETURN NULL;
END;
$$;

-- The pairs follow the entries: +1 for each pair of keys of an added entry, -1 for a removed
-- one. Rows are written in key order, so concurrent writers lock them in the same order.
CREATE FUNCTION actions_facet_entries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    source text;
BEGIN
    IF actions_facet_index_deferred() THEN
        RETURN NULL;
    END IF;
    source := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT keys, 1 AS delta FROM added'
        WHEN 'DELETE' THEN 'SELECT keys, -1 AS delta FROM removed'
        ELSE 'SELECT keys, 1 AS delta FROM added UNION ALL SELECT keys, -1 FROM removed'
    END;
    EXECUTE format($sql$
        INSERT INTO actions_facetpair AS pair (filter_key, key, count)
        SELECT filter_key, key, sum(delta)
        FROM (%s) AS changes,
            unnest(changes.keys) AS filter_key,
            unnest(changes.keys) AS key
        WHERE filter_key >> 32 <> 10
        GROUP BY filter_key, key
        HAVING sum(delta) <> 0
        ORDER BY filter_key, key
        ON CONFLICT (filter_key, key) DO UPDATE SET count = pair.count + EXCLUDED.count
    $sql$, source);
    RETURN NULL;
END;
$$;

-- Everything again, from the sheets: after a bulk load (it ends the deferral), or to check
-- the triggers. The pairs come from the entries' insert trigger, in one statement.
CREATE FUNCTION actions_rebuild_facet_index() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('actions.facet_index_deferred', 'off', false);
    TRUNCATE actions_facetpair, actions_facetentry;
    INSERT INTO actions_facetentry (action_id, keys)
        SELECT a.id, actions_facet_keys(a.id) FROM actions_action a
        WHERE a.publication_status = 'published';
END;
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS actions_rebuild_facet_index();
DROP FUNCTION IF EXISTS actions_facet_entries_changed();
DROP FUNCTION IF EXISTS actions_facet_sources_changed();
DROP FUNCTION IF EXISTS actions_refresh_facet_entries(bigint[]);
DROP FUNCTION IF EXISTS actions_facet_keys(bigint);
DROP FUNCTION IF EXISTS actions_facet_index_deferred();
"""

# (table, query giving the concerned sheets from the transition table "changed").
SOURCES = (
    ("actions_action", "SELECT id FROM changed"),
    ("actions_action_themes", "SELECT action_id FROM changed"),
    ("actions_action_publics", "SELECT action_id FROM changed"),
    ("actions_action_initiatives", "SELECT action_id FROM changed"),
    ("actions_funding", "SELECT action_id FROM changed"),
    ("actions_actionpartner", "SELECT action_id FROM changed"),
    (
        "federations_structure",
        "SELECT a.id FROM actions_action a JOIN changed s ON s.id = a.structure_id",
    ),
    (
        "federations_department",
        "SELECT a.id FROM actions_action a"
        " JOIN federations_structure s ON s.id = a.structure_id"
        " JOIN changed d ON d.id = s.department_id",
    ),
)
# A statement-level trigger with transition tables handles one event.
EVENTS = (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))


def _source_triggers() -> tuple[str, str]:
    create, drop = [], []
    for table, query in SOURCES:
        for event, transition in EVENTS:
            if table == "actions_action" and event == "delete":
                continue  # below: a deleted sheet's entry goes with it
            name = f"{table}_facets_{event}"
            literal = query.replace("'", "''")
            create.append(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}"
                f" REFERENCING {transition} TABLE AS changed FOR EACH STATEMENT"
                f" EXECUTE FUNCTION actions_facet_sources_changed('{literal}');"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
    # A moved funding line or partnership leaves its former sheet too.
    for table in ("actions_funding", "actions_actionpartner"):
        name = f"{table}_facets_update_before"
        create.append(
            f"CREATE TRIGGER {name} AFTER UPDATE ON {table}"
            " REFERENCING OLD TABLE AS changed FOR EACH STATEMENT"
            " EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
    return "\n".join(create), "\n".join(drop)


CREATE_SOURCE_TRIGGERS, DROP_SOURCE_TRIGGERS = _source_triggers()

CREATE_OTHER_TRIGGERS = """
-- Selections of the catalogue by facet values (any of these themes, and this département...)
-- are read from the entries: keys && ARRAY[...].
CREATE INDEX actions_facetentry_keys_gin ON actions_facetentry USING gin (keys);

CREATE FUNCTION actions_facet_sheets_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT actions_facet_index_deferred() THEN
        DELETE FROM actions_facetentry WHERE action_id IN (SELECT id FROM changed);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER actions_action_facets_delete AFTER DELETE ON actions_action
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sheets_deleted();

CREATE TRIGGER actions_facetentry_pairs_insert AFTER INSERT ON actions_facetentry
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_entries_changed();
CREATE TRIGGER actions_facetentry_pairs_update AFTER UPDATE ON actions_facetentry
    REFERENCING NEW TABLE AS added OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_entries_changed();
CREATE TRIGGER actions_facetentry_pairs_delete AFTER DELETE ON actions_facetentry
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_entries_changed();

-- Sheets published before this migration.
SELECT actions_rebuild_facet_index();
"""
DROP_OTHER_TRIGGERS = """
DROP INDEX IF EXISTS actions_facetentry_keys_gin;
DROP TRIGGER IF EXISTS actions_facetentry_pairs_delete ON actions_facetentry;
DROP TRIGGER IF EXISTS actions_facetentry_pairs_update ON actions_facetentry;
DROP TRIGGER IF EXISTS actions_facetentry_pairs_insert ON actions_facetentry;
DROP TRIGGER IF EXISTS actions_action_facets_delete ON actions_action;
DROP FUNCTION IF EXISTS actions_facet_sheets_deleted();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_catalogue_scale_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetEntry",
            fields=[
                (
                    "action",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="actions.action",
                    ),
                ),
                ("keys", actions.models.FacetKeysField()),
            ],
            options={
                "verbose_name": "entrée de l'index des facettes",
                "verbose_name_plural": "index des facettes",
            },
        ),
        migrations.CreateModel(
            name="FacetPair",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "filter_key",
                        "key",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("filter_key", models.BigIntegerField()),
                ("key", models.BigIntegerField()),
                ("count", models.IntegerField()),
            ],
            options={
                "verbose_name": "compteur de l'index des facettes",
                "verbose_name_plural": "compteurs de l'index des facettes",
            },
        ),
        RunSQLOnPostgreSQL(CREATE_FUNCTIONS, DROP_FUNCTIONS),
        RunSQLOnPostgreSQL(CREATE_SOURCE_TRIGGERS, DROP_SOURCE_TRIGGERS),
        RunSQLOnPostgreSQL(CREATE_OTHER_TRIGGERS, DROP_OTHER_TRIGGERS),
    ]
