-- Undoes facet_index_v2.sql (migration actions/0012_facet_index_years_and_funding, backwards):
-- drops what it added, then version 1's functions, the triggers that call them and the index
-- of the keys. The migration then runs facet_index_v1.sql again (it ``replaces`` version 1),
-- which creates them as version 1 wrote them and rebuilds the index without years, structures
-- and funding.

DROP TRIGGER IF EXISTS actions_partner_facets_update ON actions_partner;
DROP INDEX IF EXISTS actions_facetentry_funding_caf;
DROP INDEX IF EXISTS actions_facetentry_funding_etat;
DROP INDEX IF EXISTS actions_facetentry_funding_collectivites;
DROP INDEX IF EXISTS actions_facetentry_funding_autres;
DROP INDEX IF EXISTS actions_facetentry_funding_total;
DROP FUNCTION IF EXISTS actions_facet_funding(bigint);

DROP INDEX IF EXISTS actions_facetentry_keys_gin;
-- The trigger functions, with every trigger of version 1 that calls them.
DROP FUNCTION IF EXISTS actions_facet_sheets_deleted() CASCADE;
DROP FUNCTION IF EXISTS actions_facet_entries_changed() CASCADE;
DROP FUNCTION IF EXISTS actions_facet_sources_changed() CASCADE;
DROP FUNCTION IF EXISTS actions_rebuild_facet_index();
DROP FUNCTION IF EXISTS actions_refresh_facet_entries(bigint[]);
DROP FUNCTION IF EXISTS actions_facet_keys(bigint);
DROP FUNCTION IF EXISTS actions_facet_index_deferred();
