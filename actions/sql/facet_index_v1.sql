-- The facet index, version 1 (migration actions/0005_facet_index). Released: never edit this
-- file; a change is a new facet_index_v2.sql and a migration that loads it.
--
-- actions_facetentry: one row per published sheet, the sorted array of its facet keys.
-- actions_facetpair: for every pair of keys (the first one not a funder), how many published
-- sheets carry both; pairs with key 0 are the counts of the whole catalogue.
--
-- Both are written here, by statement-level triggers (transition tables), so that every write
-- keeps them exact whatever its origin: forms, the admin, the importer, bulk_create(),
-- update(), raw SQL. The session setting actions.facet_index_deferred = on switches the
-- triggers off for a bulk load, which then calls actions_rebuild_facet_index().
--
-- The key layout (kind << 32 | id) is a frozen copy of actions/facet_keys.py: KINDS, the
-- status codes, and the funder kind (10) that is never the first key of a pair (UNPAIRED).

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

-- The tables a sheet's keys come from: a statement that changes them refreshes the entries of
-- the sheets concerned (the trigger's argument: the query giving them from the transition
-- table "changed"). A statement-level trigger with transition tables handles one event. A
-- deleted sheet's entry goes with it (actions_facet_sheets_deleted, below).
CREATE TRIGGER actions_action_facets_insert AFTER INSERT ON actions_action
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT id FROM changed');
CREATE TRIGGER actions_action_facets_update AFTER UPDATE ON actions_action
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT id FROM changed');
CREATE TRIGGER actions_action_themes_facets_insert AFTER INSERT ON actions_action_themes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_themes_facets_update AFTER UPDATE ON actions_action_themes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_themes_facets_delete AFTER DELETE ON actions_action_themes
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_publics_facets_insert AFTER INSERT ON actions_action_publics
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_publics_facets_update AFTER UPDATE ON actions_action_publics
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_publics_facets_delete AFTER DELETE ON actions_action_publics
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_initiatives_facets_insert AFTER INSERT ON actions_action_initiatives
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_initiatives_facets_update AFTER UPDATE ON actions_action_initiatives
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_action_initiatives_facets_delete AFTER DELETE ON actions_action_initiatives
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_funding_facets_insert AFTER INSERT ON actions_funding
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_funding_facets_update AFTER UPDATE ON actions_funding
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_funding_facets_delete AFTER DELETE ON actions_funding
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_actionpartner_facets_insert AFTER INSERT ON actions_actionpartner
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_actionpartner_facets_update AFTER UPDATE ON actions_actionpartner
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_actionpartner_facets_delete AFTER DELETE ON actions_actionpartner
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER federations_structure_facets_insert AFTER INSERT ON federations_structure
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT a.id FROM actions_action a JOIN changed s ON s.id = a.structure_id');
CREATE TRIGGER federations_structure_facets_update AFTER UPDATE ON federations_structure
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT a.id FROM actions_action a JOIN changed s ON s.id = a.structure_id');
CREATE TRIGGER federations_structure_facets_delete AFTER DELETE ON federations_structure
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT a.id FROM actions_action a JOIN changed s ON s.id = a.structure_id');
CREATE TRIGGER federations_department_facets_insert AFTER INSERT ON federations_department
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT a.id FROM actions_action a JOIN federations_structure s ON s.id = a.structure_id JOIN changed d ON d.id = s.department_id');
CREATE TRIGGER federations_department_facets_update AFTER UPDATE ON federations_department
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT a.id FROM actions_action a JOIN federations_structure s ON s.id = a.structure_id JOIN changed d ON d.id = s.department_id');
CREATE TRIGGER federations_department_facets_delete AFTER DELETE ON federations_department
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT a.id FROM actions_action a JOIN federations_structure s ON s.id = a.structure_id JOIN changed d ON d.id = s.department_id');
-- A moved funding line or partnership leaves its former sheet too.
CREATE TRIGGER actions_funding_facets_update_before AFTER UPDATE ON actions_funding
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');
CREATE TRIGGER actions_actionpartner_facets_update_before AFTER UPDATE ON actions_actionpartner
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT action_id FROM changed');

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
