-- The catalogue version (pagecache_catalogueversion) moves when a transaction that wrote the
-- public data commits. Every table of the source apps has a statement-level trigger,
-- pagecache_changed (installed by pagecache/triggers.py after every migrate), that notes the
-- transaction once in pagecache_pending_change; the note fires a deferred constraint trigger
-- that bumps the version at COMMIT and removes the note. The version row is therefore locked
-- only for the last instant of a transaction, after all its other locks: writers never wait
-- for each other's whole transactions and cannot deadlock on it, and a reader sees the new
-- number exactly when it can see the new data.

CREATE TABLE pagecache_pending_change (xact bigint PRIMARY KEY);

CREATE FUNCTION pagecache_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pagecache_pending_change (xact) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION pagecache_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pagecache_catalogueversion
        SET number = number + 1, changed_at = clock_timestamp() WHERE id = 1;
    DELETE FROM pagecache_pending_change WHERE xact = NEW.xact;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER pagecache_bump_at_commit AFTER INSERT ON pagecache_pending_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pagecache_bump_version();
