-- The facet index, version 2 (migration actions/0006_facet_index_years_and_funding). Released:
-- never edit this file; a change is a new facet_index_v3.sql and a migration that loads it.
--
-- Version 1 (facet_index_v1.sql) stays in place; this file replaces four of its functions and
-- adds one trigger, for the figures of a selection (the observatory):
-- - a sheet's year is one of its keys (kind 11). Like funders, years are never the first key
--   of a pair (the catalogue filters years by range, not by value): the pairs give the sheets
--   per year of the whole catalogue and of any one-value filter, in a few rows.
-- - an entry holds its sheet's funding lines summed per kind of partner, in cents
--   (actions_facetentry.funding: one element per kind, in the order of
--   actions/facet_keys.FUNDING_KINDS, NULL for a kind without a line; the array is NULL for a
--   sheet without any line). The funding of a selection is summed and ranked from its entries
--   instead of every funding line of its sheets.
-- - a partner whose kind changes refreshes the entries of the sheets it funds.
--
-- The key layout and the order of the kinds are frozen copies of actions/facet_keys.py
-- (tests compare both).

CREATE OR REPLACE FUNCTION actions_facet_keys(sheet bigint) RETURNS bigint[] LANGUAGE sql STABLE AS $$
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
                ((9::bigint << 32) | a.territory_scale_id),
                ((11::bigint << 32) | a.year)
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

-- The funding lines of one sheet summed per kind of partner, in cents; NULL without a line.
CREATE FUNCTION actions_facet_funding(sheet bigint) RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN count(*) > 0 THEN ARRAY[
        sum(f.amount * 100) FILTER (WHERE p.kind = 'caf'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'commune'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'departement'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'region'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'etat'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'association'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'company'),
        sum(f.amount * 100) FILTER (WHERE p.kind = 'other')
    ]::bigint[] END
    FROM actions_funding f JOIN actions_partner p ON p.id = f.funder_id
    WHERE f.action_id = sheet
$$;

CREATE OR REPLACE FUNCTION actions_refresh_facet_entries(sheets bigint[]) RETURNS void
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
    INSERT INTO actions_facetentry AS entry (action_id, keys, funding)
        SELECT a.id, actions_facet_keys(a.id), actions_facet_funding(a.id) FROM actions_action a
        WHERE a.id = ANY (sheets) AND a.publication_status = 'published'
        ORDER BY a.id
    ON CONFLICT (action_id) DO UPDATE SET keys = EXCLUDED.keys, funding = EXCLUDED.funding
        WHERE entry.keys IS DISTINCT FROM EXCLUDED.keys
        OR entry.funding IS DISTINCT FROM EXCLUDED.funding;
END;
$$;

-- As in version 1, with years (kind 11) never the first key of a pair either. An entry whose
-- funding changed but not its keys adds and removes the same pairs: nothing is written.
CREATE OR REPLACE FUNCTION actions_facet_entries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
        WHERE filter_key >> 32 NOT IN (10, 11)
        GROUP BY filter_key, key
        HAVING sum(delta) <> 0
        ORDER BY filter_key, key
        ON CONFLICT (filter_key, key) DO UPDATE SET count = pair.count + EXCLUDED.count
    $sql$, source);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION actions_rebuild_facet_index() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('actions.facet_index_deferred', 'off', false);
    TRUNCATE actions_facetpair, actions_facetentry;
    INSERT INTO actions_facetentry (action_id, keys, funding)
        SELECT a.id, actions_facet_keys(a.id), actions_facet_funding(a.id) FROM actions_action a
        WHERE a.publication_status = 'published';
END;
$$;

-- A partner's kind is part of its sheets' funding: a change of kind refreshes them (other
-- changes of a partner, its name, refresh nothing).
CREATE TRIGGER actions_partner_facets_update AFTER UPDATE ON actions_partner
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT f.action_id FROM actions_funding f JOIN changed p ON p.id = f.funder_id JOIN previous o ON o.id = p.id WHERE o.kind IS DISTINCT FROM p.kind');

-- The sheets indexed by version 1, again with their years and funding.
SELECT actions_rebuild_facet_index();
