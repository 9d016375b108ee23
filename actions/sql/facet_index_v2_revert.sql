-- Undoes facet_index_v2.sql (migration actions/0006_facet_index_years_and_funding, backwards):
-- the functions it replaced as version 1 wrote them, then the index rebuilt without years,
-- structures and funding.

DROP TRIGGER IF EXISTS actions_partner_facets_update ON actions_partner;
DROP INDEX IF EXISTS actions_facetentry_funding_caf;
DROP INDEX IF EXISTS actions_facetentry_funding_etat;
DROP INDEX IF EXISTS actions_facetentry_funding_collectivites;
DROP INDEX IF EXISTS actions_facetentry_funding_autres;
DROP INDEX IF EXISTS actions_facetentry_funding_total;

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
                ((9::bigint << 32) | a.territory_scale_id)
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
    INSERT INTO actions_facetentry AS entry (action_id, keys)
        SELECT a.id, actions_facet_keys(a.id) FROM actions_action a
        WHERE a.id = ANY (sheets) AND a.publication_status = 'published'
        ORDER BY a.id
    ON CONFLICT (action_id) DO UPDATE SET keys = EXCLUDED.keys
        WHERE entry.keys IS DISTINCT FROM EXCLUDED.keys;
END;
$$;

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
        WHERE filter_key >> 32 <> 10
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
    INSERT INTO actions_facetentry (action_id, keys)
        SELECT a.id, actions_facet_keys(a.id) FROM actions_action a
        WHERE a.publication_status = 'published';
END;
$$;

DROP FUNCTION IF EXISTS actions_facet_funding(bigint);

SELECT actions_rebuild_facet_index();
