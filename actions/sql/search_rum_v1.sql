-- Catalogue search, version with a RUM index (migration actions/0018_search_rum_index): the
-- published sheets' vectors in a RUM index (PostgreSQL extension "rum", Debian package
-- postgresql-15-rum), which stores each word's positions and weights beside the sheet, so
-- that a search's matches come out of the index already ordered by relevance
-- (ORDER BY search_vector <=> query) without reading their rows nor their vectors
-- (catalogue/search.py says how the catalogue uses it).
--
-- Only where the extension can be had: it is installed on the server and either already
-- created in this database or the migrating role may create it (a superuser: "rum" is not a
-- trusted extension). Elsewhere (a managed database without it) nothing is created, and the
-- catalogue keeps ranking with ts_rank over the GIN index (docs/deployment.md). Installing
-- the extension later: CREATE EXTENSION rum as a superuser, then migrate back to 0016 and
-- forwards again (this file runs again and builds the index).
--
-- Partial (published sheets only): the catalogue searches only those, the index is smaller
-- and a match needs no check of its row's status.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')
       OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')
           AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
        CREATE EXTENSION IF NOT EXISTS rum;
        CREATE INDEX IF NOT EXISTS action_search_vector_rum ON actions_action
            USING rum (search_vector rum_tsvector_ops)
            WHERE publication_status = 'published';
    END IF;
END
$$;
