-- French full-text search, version 3: rendered from the published format's declaration
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
        setweight(to_tsvector('french_unaccent', concat_ws(' ',
            actions_search_section(sheet.title))), 'A')
        || setweight(to_tsvector('french_unaccent', concat_ws(' ',
            (SELECT actions_search_section(s.name) FROM federations_structure s
                WHERE s.id = sheet.structure_id),
            actions_search_section(sheet.summary))), 'B')
        || setweight(to_tsvector('french_unaccent', concat_ws(' ',
            (SELECT actions_search_section(string_agg(t.name, ' ' ORDER BY t.name, t.id))
                FROM actions_action_themes link JOIN actions_theme t ON t.id = link.theme_id
                WHERE link.action_id = sheet.id),
            actions_search_section(sheet.diagnostic),
            actions_search_section(sheet.experience),
            actions_search_section(sheet.description))), 'C')
        || setweight(to_tsvector('french_unaccent', concat_ws(' ',
            actions_search_section(sheet.end_reason),
            (SELECT actions_search_section(string_agg(p.name, ' ' ORDER BY p.name, p.id))
                FROM actions_partner p
                WHERE p.id IN (
                    SELECT partner_id FROM actions_actionpartner WHERE action_id = sheet.id
                    UNION SELECT funder_id FROM actions_funding WHERE action_id = sheet.id
                )),
            actions_search_section(sheet.financial_resources),
            actions_search_section(sheet.people_mobilised),
            actions_search_section(sheet.result_territory),
            actions_search_section(sheet.result_centre),
            actions_search_section(sheet.result_residents),
            actions_search_section(sheet.impacts),
            actions_search_section(sheet.success_factors),
            actions_search_section(sheet.limits),
            actions_search_section(sheet.perspectives))), 'D')
$$;

DROP TRIGGER IF EXISTS actions_action_search_vector_trigger ON actions_action;
CREATE TRIGGER actions_action_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, structure_id, end_reason, summary, diagnostic,
        experience, description, financial_resources, people_mobilised, result_territory,
        result_centre, result_residents, impacts, success_factors, limits, perspectives,
        search_vector
    ON actions_action
    FOR EACH ROW EXECUTE FUNCTION actions_action_search_vector_refresh();

SELECT set_config('actions.facet_index_deferred', 'on', true);
SELECT actions_rebuild_search_vectors();
SELECT set_config('actions.facet_index_deferred', 'off', true);
