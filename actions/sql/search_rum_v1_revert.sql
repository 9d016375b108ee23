-- Undoes search_rum_v1.sql (migration actions/0018_search_rum_index, backwards): drops the RUM
-- index; the extension stays (dropping it needs a superuser, and other databases' objects
-- never depend on it: it is harmless without the index).
DROP INDEX IF EXISTS action_search_vector_rum;
