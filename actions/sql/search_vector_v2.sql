-- French full-text search, version 2 (migration actions/0007_search_vector_names). Released:
-- never edit this file; a change is a new search_vector_v3.sql and a migration that loads it.
--
-- Version 1 indexed the text sections of a sheet. Version 2 adds the three sections of the
-- older layout (diagnostic, impacts, success factors) and the names a sheet links to: its
-- structure's, its themes' and its partners' (partnerships and funding lines). The weights
-- are a frozen copy of catalogue/search.py (WEIGHTED_FIELDS), which says why:
--   A  title
--   B  summary, structure name
--   C  experience, description, diagnostic, theme names
--   D  the other text sections, partner names
--
-- Each section is cut to its first 12,000 characters (actions_search_section, a frozen copy
-- of catalogue/search.py MAX_SECTION_CHARS): PostgreSQL refuses a tsvector whose distinct words
-- exceed 1 MB ("string is too long for tsvector"), which would make the write fail. 16 long
-- sections (14 text sections, the theme names, the partner names) and two names of at most 255
-- characters, at no more than 4 bytes a character, stay below 800 kB whatever the text.
--
-- A row trigger computes the vector of a sheet whenever one of its sections or its structure
-- changes, or when its search_vector column is written: statement-level triggers (transition
-- tables, like the facet index of facet_index_v1.sql) write that column for the sheets
-- concerned when a name it includes changes, or a link to a theme or a partner is added,
-- removed or moved. Every write keeps the vector exact, whatever its origin (forms, the admin,
-- the importer, bulk_create(), update(), raw SQL).

-- The session setting actions.search_vector_deferred = on switches the triggers off for a bulk
-- load (actions/search_vector.py), which then calls actions_rebuild_search_vectors().

-- Version 1's trigger and its function give way to version 2's.
DROP TRIGGER actions_action_search_vector_trigger ON actions_action;
DROP FUNCTION actions_action_search_vector_update();

CREATE FUNCTION actions_search_vector_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('actions.search_vector_deferred', true), '') = 'on'
$$;

CREATE FUNCTION actions_search_section(section text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT left(section, 12000)
$$;

-- The vector of a sheet: its sections, and the names it links to, read from their tables.
CREATE FUNCTION actions_action_search_vector(sheet actions_action) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT
        setweight(to_tsvector('french_unaccent',
            actions_search_section(coalesce(sheet.title, ''))), 'A')
        || setweight(to_tsvector('french_unaccent', concat_ws(' ',
            actions_search_section(sheet.summary),
            (SELECT actions_search_section(s.name) FROM federations_structure s
                WHERE s.id = sheet.structure_id))), 'B')
        || setweight(to_tsvector('french_unaccent', concat_ws(' ',
            actions_search_section(sheet.experience),
            actions_search_section(sheet.description),
            actions_search_section(sheet.diagnostic),
            (SELECT actions_search_section(string_agg(t.name, ' ' ORDER BY t.name, t.id))
                FROM actions_action_themes link JOIN actions_theme t ON t.id = link.theme_id
                WHERE link.action_id = sheet.id))), 'C')
        || setweight(to_tsvector('french_unaccent', concat_ws(' ',
            actions_search_section(sheet.end_reason),
            actions_search_section(sheet.financial_resources),
            actions_search_section(sheet.people_mobilised),
            actions_search_section(sheet.result_territory),
            actions_search_section(sheet.result_centre),
            actions_search_section(sheet.result_residents),
            actions_search_section(sheet.impacts),
            actions_search_section(sheet.success_factors),
            actions_search_section(sheet.limits),
            actions_search_section(sheet.perspectives),
            (SELECT actions_search_section(string_agg(p.name, ' ' ORDER BY p.name, p.id))
                FROM actions_partner p
                WHERE p.id IN (
                    SELECT partner_id FROM actions_actionpartner WHERE action_id = sheet.id
                    UNION SELECT funder_id FROM actions_funding WHERE action_id = sheet.id
                )))), 'D')
$$;

CREATE FUNCTION actions_action_search_vector_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT actions_search_vector_deferred() THEN
        NEW.search_vector := actions_action_search_vector(NEW);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER actions_action_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, summary, experience, description, diagnostic, end_reason,
        financial_resources, people_mobilised, result_territory, result_centre,
        result_residents, impacts, success_factors, limits, perspectives, structure_id,
        search_vector
    ON actions_action
    FOR EACH ROW EXECUTE FUNCTION actions_action_search_vector_refresh();

-- Trigger function for the tables the names come from. TG_ARGV[0]: the query giving the sheets
-- concerned from the transition tables of the statement. Writing their search_vector column
-- makes the row trigger above compute it again; the rows are locked in id order first, so
-- that concurrent writers wait for each other instead of deadlocking.
CREATE FUNCTION actions_search_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sheets bigint[];
BEGIN
    IF actions_search_vector_deferred() THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT sheet FROM (%s) AS concerned (sheet))', TG_ARGV[0])
        INTO sheets;
    IF cardinality(sheets) = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM actions_action WHERE id = ANY (sheets) ORDER BY id FOR NO KEY UPDATE;
    UPDATE actions_action SET search_vector = NULL WHERE id = ANY (sheets);
    RETURN NULL;
END;
$$;

-- Links to themes and partners: added, removed, or moved from a sheet to another.
CREATE TRIGGER actions_action_themes_search_insert AFTER INSERT ON actions_action_themes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed('SELECT action_id FROM new_rows');
CREATE TRIGGER actions_action_themes_search_update AFTER UPDATE ON actions_action_themes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed(
        'SELECT action_id FROM old_rows UNION SELECT action_id FROM new_rows');
CREATE TRIGGER actions_action_themes_search_delete AFTER DELETE ON actions_action_themes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed('SELECT action_id FROM old_rows');
CREATE TRIGGER actions_actionpartner_search_insert AFTER INSERT ON actions_actionpartner
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed('SELECT action_id FROM new_rows');
CREATE TRIGGER actions_actionpartner_search_update AFTER UPDATE ON actions_actionpartner
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed(
        'SELECT action_id FROM old_rows UNION SELECT action_id FROM new_rows');
CREATE TRIGGER actions_actionpartner_search_delete AFTER DELETE ON actions_actionpartner
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed('SELECT action_id FROM old_rows');
CREATE TRIGGER actions_funding_search_insert AFTER INSERT ON actions_funding
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed('SELECT action_id FROM new_rows');
CREATE TRIGGER actions_funding_search_update AFTER UPDATE ON actions_funding
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed(
        'SELECT action_id FROM old_rows UNION SELECT action_id FROM new_rows');
CREATE TRIGGER actions_funding_search_delete AFTER DELETE ON actions_funding
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed('SELECT action_id FROM old_rows');

-- Renamed themes, partners and structures: the sheets that carry the name. (A row inserted
-- has no sheet yet; a deleted one had none left: its links went first, or it is protected.)
CREATE TRIGGER actions_theme_search_update AFTER UPDATE ON actions_theme
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed(
        'SELECT link.action_id FROM actions_action_themes link
            JOIN new_rows n ON n.id = link.theme_id JOIN old_rows o ON o.id = n.id
            WHERE n.name IS DISTINCT FROM o.name');
CREATE TRIGGER actions_partner_search_update AFTER UPDATE ON actions_partner
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed(
        'SELECT link.action_id FROM actions_actionpartner link
            JOIN new_rows n ON n.id = link.partner_id JOIN old_rows o ON o.id = n.id
            WHERE n.name IS DISTINCT FROM o.name
        UNION SELECT line.action_id FROM actions_funding line
            JOIN new_rows n ON n.id = line.funder_id JOIN old_rows o ON o.id = n.id
            WHERE n.name IS DISTINCT FROM o.name');
CREATE TRIGGER federations_structure_search_update AFTER UPDATE ON federations_structure
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION actions_search_sources_changed(
        'SELECT a.id FROM actions_action a
            JOIN new_rows n ON n.id = a.structure_id JOIN old_rows o ON o.id = n.id
            WHERE n.name IS DISTINCT FROM o.name');

-- Every sheet's vector again, from its rows: after a bulk load (it ends the deferral), or to
-- check the triggers. Writing the column makes the row trigger compute it. Called with the
-- facet index deferred too, the facet index's triggers skip this statement (the facet keys do
-- not depend on the vector).
CREATE FUNCTION actions_rebuild_search_vectors() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('actions.search_vector_deferred', 'off', false);
    UPDATE actions_action SET search_vector = NULL;
END;
$$;

-- Every sheet's vector in version 2.
SELECT set_config('actions.facet_index_deferred', 'on', true);
SELECT actions_rebuild_search_vectors();
SELECT set_config('actions.facet_index_deferred', 'off', true);
