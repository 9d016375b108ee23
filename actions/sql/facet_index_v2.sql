-- The facet index, version 2 (migration actions/0012_facet_index_years_and_funding). Released:
-- never edit this file; a change is a new facet_index_v3.sql and a migration that loads it.
--
-- Version 1 (facet_index_v1.sql) stays in place; this file replaces four of its functions and
-- adds one trigger, for the figures of a selection (the observatory):
-- - a sheet's year (kind 11) and its structure (kind 12) are keys too. Like funders, they are
--   never the first key of a pair (neither is a one-value filter of the catalogue): the pairs
--   give the sheets per year and per structure of the whole catalogue and of any one-value
--   filter, and a selection's entries count them with its facets.
-- - an entry holds its sheet's funding lines summed per group of funders, in cents: Caf, État,
--   collectivités territoriales, others, and all of them (columns funding_*; NULL for a group
--   without a line). The funding of a selection is summed and ranked from its entries instead
--   of every funding line of its sheets; an index on each gives the whole catalogue's medians,
--   and one row (actions_facetfundingtotal) its totals and funded sheets.
-- - a partner whose kind changes refreshes the entries of the sheets it funds.
--
-- The key layout and the groups of funders are frozen copies of actions/facet_keys.py (tests
-- compare both).

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
                ((11::bigint << 32) | a.year),
                ((12::bigint << 32) | a.structure_id)
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

-- The funding lines of one sheet summed per group of funders, in cents (NULL: no line). Used
-- by the refresh and the rebuild: SELECT ... FROM actions_facet_funding(a.id).
CREATE FUNCTION actions_facet_funding(sheet bigint, OUT caf bigint, OUT etat bigint,
    OUT collectivites bigint, OUT autres bigint, OUT total bigint)
LANGUAGE sql STABLE AS $$
    SELECT
        sum(f.amount * 100) FILTER (WHERE p.kind IN ('caf'))::bigint,
        sum(f.amount * 100) FILTER (WHERE p.kind IN ('etat'))::bigint,
        sum(f.amount * 100) FILTER (WHERE p.kind IN ('commune', 'departement', 'region'))::bigint,
        sum(f.amount * 100) FILTER (WHERE p.kind IN ('association', 'company', 'other'))::bigint,
        sum(f.amount * 100)::bigint
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
    INSERT INTO actions_facetentry AS entry (action_id, keys, funding_caf, funding_etat,
            funding_collectivites, funding_autres, funding_total)
        SELECT a.id, actions_facet_keys(a.id), funding.*
        FROM actions_action a, actions_facet_funding(a.id) AS funding
        WHERE a.id = ANY (sheets) AND a.publication_status = 'published'
        ORDER BY a.id
    ON CONFLICT (action_id) DO UPDATE SET keys = EXCLUDED.keys,
        funding_caf = EXCLUDED.funding_caf, funding_etat = EXCLUDED.funding_etat,
        funding_collectivites = EXCLUDED.funding_collectivites,
        funding_autres = EXCLUDED.funding_autres, funding_total = EXCLUDED.funding_total
        WHERE (entry.keys, entry.funding_caf, entry.funding_etat, entry.funding_collectivites,
            entry.funding_autres, entry.funding_total)
        IS DISTINCT FROM (EXCLUDED.keys, EXCLUDED.funding_caf, EXCLUDED.funding_etat,
            EXCLUDED.funding_collectivites, EXCLUDED.funding_autres, EXCLUDED.funding_total);
END;
$$;

-- As in version 1, with years and structures (kinds 11, 12) never the first key of a pair. An
-- entry whose funding changed but not its keys adds and removes the same pairs: nothing is
-- written. The funding of the whole catalogue (actions_facetfundingtotal, one row, id 1)
-- follows the entries with funding: their amounts and number added, or taken away; nothing is
-- written when they do not change.
CREATE OR REPLACE FUNCTION actions_facet_entries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    source text;
BEGIN
    IF actions_facet_index_deferred() THEN
        RETURN NULL;
    END IF;
    source := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS delta FROM added'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS delta FROM removed'
        ELSE 'SELECT *, 1 AS delta FROM added UNION ALL SELECT *, -1 FROM removed'
    END;
    EXECUTE format($sql$
        INSERT INTO actions_facetpair AS pair (filter_key, key, count)
        SELECT filter_key, key, sum(delta)
        FROM (%s) AS changes,
            unnest(changes.keys) AS filter_key,
            unnest(changes.keys) AS key
        WHERE filter_key >> 32 NOT IN (10, 11, 12)
        GROUP BY filter_key, key
        HAVING sum(delta) <> 0
        ORDER BY filter_key, key
        ON CONFLICT (filter_key, key) DO UPDATE SET count = pair.count + EXCLUDED.count
    $sql$, source);
    EXECUTE format($sql$
        INSERT INTO actions_facetfundingtotal AS funding (id, caf_cents, caf_sheets,
            etat_cents, etat_sheets, collectivites_cents, collectivites_sheets, autres_cents,
            autres_sheets, total_cents, total_sheets)
        SELECT 1, changes.* FROM (
            SELECT
                coalesce(sum(delta * funding_caf), 0),
                coalesce(sum(delta) FILTER (WHERE funding_caf IS NOT NULL), 0),
                coalesce(sum(delta * funding_etat), 0),
                coalesce(sum(delta) FILTER (WHERE funding_etat IS NOT NULL), 0),
                coalesce(sum(delta * funding_collectivites), 0),
                coalesce(sum(delta) FILTER (WHERE funding_collectivites IS NOT NULL), 0),
                coalesce(sum(delta * funding_autres), 0),
                coalesce(sum(delta) FILTER (WHERE funding_autres IS NOT NULL), 0),
                coalesce(sum(delta * funding_total), 0),
                coalesce(sum(delta) FILTER (WHERE funding_total IS NOT NULL), 0)
            FROM (%s) AS changed_entries
            WHERE funding_total IS NOT NULL
        ) AS changes (caf_cents, caf_sheets, etat_cents, etat_sheets, collectivites_cents,
            collectivites_sheets, autres_cents, autres_sheets, total_cents, total_sheets)
        WHERE (caf_cents, caf_sheets, etat_cents, etat_sheets, collectivites_cents,
            collectivites_sheets, autres_cents, autres_sheets, total_cents, total_sheets)
            <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        ON CONFLICT (id) DO UPDATE SET
            caf_cents = funding.caf_cents + EXCLUDED.caf_cents,
            caf_sheets = funding.caf_sheets + EXCLUDED.caf_sheets,
            etat_cents = funding.etat_cents + EXCLUDED.etat_cents,
            etat_sheets = funding.etat_sheets + EXCLUDED.etat_sheets,
            collectivites_cents = funding.collectivites_cents + EXCLUDED.collectivites_cents,
            collectivites_sheets = funding.collectivites_sheets + EXCLUDED.collectivites_sheets,
            autres_cents = funding.autres_cents + EXCLUDED.autres_cents,
            autres_sheets = funding.autres_sheets + EXCLUDED.autres_sheets,
            total_cents = funding.total_cents + EXCLUDED.total_cents,
            total_sheets = funding.total_sheets + EXCLUDED.total_sheets
    $sql$, source);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION actions_rebuild_facet_index() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('actions.facet_index_deferred', 'off', false);
    TRUNCATE actions_facetpair, actions_facetentry, actions_facetfundingtotal;
    INSERT INTO actions_facetentry (action_id, keys, funding_caf, funding_etat,
            funding_collectivites, funding_autres, funding_total)
        SELECT a.id, actions_facet_keys(a.id), funding.*
        FROM actions_action a, actions_facet_funding(a.id) AS funding
        WHERE a.publication_status = 'published';
END;
$$;

-- The medians of the whole catalogue's funding are read along these indexes (the middle entry
-- of each), instead of sorting the funding of every published sheet.
CREATE INDEX actions_facetentry_funding_caf ON actions_facetentry (funding_caf)
    WHERE funding_caf IS NOT NULL;
CREATE INDEX actions_facetentry_funding_etat ON actions_facetentry (funding_etat)
    WHERE funding_etat IS NOT NULL;
CREATE INDEX actions_facetentry_funding_collectivites ON actions_facetentry (funding_collectivites)
    WHERE funding_collectivites IS NOT NULL;
CREATE INDEX actions_facetentry_funding_autres ON actions_facetentry (funding_autres)
    WHERE funding_autres IS NOT NULL;
CREATE INDEX actions_facetentry_funding_total ON actions_facetentry (funding_total)
    WHERE funding_total IS NOT NULL;

-- A partner's kind is part of its sheets' funding: a change of kind refreshes them (other
-- changes of a partner, its name, refresh nothing).
CREATE TRIGGER actions_partner_facets_update AFTER UPDATE ON actions_partner
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_sources_changed('SELECT f.action_id FROM actions_funding f JOIN changed p ON p.id = f.funder_id JOIN previous o ON o.id = p.id WHERE o.kind IS DISTINCT FROM p.kind');

-- The sheets indexed by version 1, again with their years, structures and funding.
SELECT actions_rebuild_facet_index();
