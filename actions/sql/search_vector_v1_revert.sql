-- Undoes search_vector_v1.sql (migration actions/0003_full_text_search, backwards).

DROP INDEX IF EXISTS action_search_vector_gin;
DROP TRIGGER IF EXISTS actions_action_search_vector_trigger ON actions_action;
DROP FUNCTION IF EXISTS actions_action_search_vector_update();
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
