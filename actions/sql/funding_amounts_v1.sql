-- The funding amounts of the facet index, version 1 (migration
-- actions/0013_facet_funding_amounts). Released: never edit this file; a change is a new
-- funding_amounts_v2.sql and a migration that loads it.
--
-- actions_facetfundingamount counts, per group of funders and per amount in cents, the entries
-- of the facet index (the published sheets) that hold that amount in the group's column
-- (funding_caf … funding_total, facet_index_v2.sql). The whole catalogue's median of a group is
-- then found by walking its amounts in order, summing their counts, until half of the group's
-- funded sheets (actions_facetfundingtotal) are passed: a few thousand distinct amounts instead
-- of tens of thousands of entries along an index. Rows whose count fell to 0 are kept (an
-- amount seen once is likely to come back) and skipped by readers.
--
-- The entries' own triggers (facet_index_v1.sql) are untouched: these add three more on the
-- same events, and one on TRUNCATE, which the index's rebuild issues before it inserts every
-- entry again (the insert then counts them all).

CREATE FUNCTION actions_facet_amounts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
        INSERT INTO actions_facetfundingamount AS amount (funder_group, cents, sheets)
        SELECT funder_group, cents, sum(delta)
        FROM (%s) AS changes,
            LATERAL (VALUES
                ('caf', changes.funding_caf),
                ('etat', changes.funding_etat),
                ('collectivites', changes.funding_collectivites),
                ('autres', changes.funding_autres),
                ('total', changes.funding_total)
            ) AS amounts (funder_group, cents)
        WHERE cents IS NOT NULL
        GROUP BY funder_group, cents
        HAVING sum(delta) <> 0
        ORDER BY funder_group, cents
        ON CONFLICT (funder_group, cents) DO UPDATE SET sheets = amount.sheets + EXCLUDED.sheets
    $sql$, source);
    RETURN NULL;
END;
$$;

-- A DELETE, not a TRUNCATE: a TRUNCATE of several tables (Django's flush) may hold this one
-- too, and a table cannot be truncated while the same statement uses it.
CREATE FUNCTION actions_facet_amounts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM actions_facetfundingamount;
    RETURN NULL;
END;
$$;

CREATE TRIGGER actions_facetentry_amounts_insert AFTER INSERT ON actions_facetentry
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_amounts_changed();
CREATE TRIGGER actions_facetentry_amounts_update AFTER UPDATE ON actions_facetentry
    REFERENCING NEW TABLE AS added OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_amounts_changed();
CREATE TRIGGER actions_facetentry_amounts_delete AFTER DELETE ON actions_facetentry
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION actions_facet_amounts_changed();
CREATE TRIGGER actions_facetentry_amounts_truncate AFTER TRUNCATE ON actions_facetentry
    FOR EACH STATEMENT EXECUTE FUNCTION actions_facet_amounts_truncated();

-- The entries already in the index, counted by the triggers above as the index is rebuilt.
SELECT actions_rebuild_facet_index();
