-- mcpo store on PostgreSQL, migration 2: checkpoint bytes are stored out of line without
-- compression (STORAGE EXTERNAL). Network weights and optimiser moments barely compress, and
-- pglz on every 1–2 MB checkpoint cost more than half of its write (mcpo-bench checkpoint:
-- LunarLander MCPO N=40, 51 ms → 30 ms a checkpoint on this machine kind).
ALTER TABLE checkpoints ALTER COLUMN state SET STORAGE EXTERNAL;
INSERT INTO schema_migrations (version, applied_at) VALUES (2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
