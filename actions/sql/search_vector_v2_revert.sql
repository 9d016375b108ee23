-- Undoes search_vector_v2.sql (migration actions/0007_search_vector_names, backwards): drops its
-- triggers and functions, and the GIN index of the vectors. The migration then runs
-- search_vector_v1.sql again, which creates version 1's trigger and the index, and computes
-- every sheet's vector in version 1.

DROP TRIGGER IF EXISTS federations_structure_search_update ON federations_structure;
DROP TRIGGER IF EXISTS actions_partner_search_update ON actions_partner;
DROP TRIGGER IF EXISTS actions_theme_search_update ON actions_theme;
DROP TRIGGER IF EXISTS actions_funding_search_delete ON actions_funding;
DROP TRIGGER IF EXISTS actions_funding_search_update ON actions_funding;
DROP TRIGGER IF EXISTS actions_funding_search_insert ON actions_funding;
DROP TRIGGER IF EXISTS actions_actionpartner_search_delete ON actions_actionpartner;
DROP TRIGGER IF EXISTS actions_actionpartner_search_update ON actions_actionpartner;
DROP TRIGGER IF EXISTS actions_actionpartner_search_insert ON actions_actionpartner;
DROP TRIGGER IF EXISTS actions_action_themes_search_delete ON actions_action_themes;
DROP TRIGGER IF EXISTS actions_action_themes_search_update ON actions_action_themes;
DROP TRIGGER IF EXISTS actions_action_themes_search_insert ON actions_action_themes;
DROP FUNCTION IF EXISTS actions_search_sources_changed();
DROP TRIGGER IF EXISTS actions_action_search_vector_trigger ON actions_action;
DROP FUNCTION IF EXISTS actions_action_search_vector_refresh();
DROP FUNCTION IF EXISTS actions_action_search_vector(actions_action);
DROP FUNCTION IF EXISTS actions_search_section(text);
DROP FUNCTION IF EXISTS actions_rebuild_search_vectors();
DROP FUNCTION IF EXISTS actions_search_vector_deferred();
DROP INDEX IF EXISTS action_search_vector_gin;
