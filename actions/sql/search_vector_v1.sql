-- French full-text search, version 1 (migration actions/0003_full_text_search). Released:
-- never edit this file; a change is a new search_vector_v2.sql and a migration that loads it.
--
-- The french_unaccent text search configuration (French stemming after accent removal), the
-- weighted search_vector of every sheet kept up to date by a trigger on every write (save(),
-- bulk_create(), update(), raw SQL alike), and its GIN index. The weights are a frozen copy of
-- catalogue/search.py (WEIGHTED_FIELDS): title A, summary B, experience and description C, the
-- other text sections D.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;

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
    BEFORE INSERT OR UPDATE OF title, summary, experience, description, end_reason,
        financial_resources, people_mobilised, result_territory, result_centre,
        result_residents, limits, perspectives
    ON actions_action
    FOR EACH ROW EXECUTE FUNCTION actions_action_search_vector_update();

-- Sheets that exist already get their vector through the trigger.
UPDATE actions_action SET title = title;

CREATE INDEX action_search_vector_gin ON actions_action USING gin (search_vector);
