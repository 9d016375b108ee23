-- The tables' pagecache_changed triggers go with the function (CASCADE).
DROP FUNCTION IF EXISTS pagecache_note_change() CASCADE;
DROP TABLE IF EXISTS pagecache_pending_change;
DROP FUNCTION IF EXISTS pagecache_bump_version();
