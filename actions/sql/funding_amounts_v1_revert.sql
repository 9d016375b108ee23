-- Undoes funding_amounts_v1.sql (migration actions/0013_facet_funding_amounts, backwards): its
-- triggers and functions; the migration then drops the table.

DROP FUNCTION IF EXISTS actions_facet_amounts_changed() CASCADE;
DROP FUNCTION IF EXISTS actions_facet_amounts_truncated() CASCADE;
