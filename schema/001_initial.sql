-- mcpo store, migration 1: sweeps, runs, metrics.
-- Migrations are append-only: never edit a released file, add 002_*.sql instead.
-- Times: *_at TEXT columns are ISO 8601 UTC; lease_expires_at is unix seconds (REAL).

CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
    spec_json   TEXT    NOT NULL,             -- the normalised sweep spec as stored
    spec_hash   TEXT    NOT NULL CHECK (length(spec_hash) > 0),
    created_at  TEXT    NOT NULL
);

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    sweep_id         INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    config_json      TEXT    NOT NULL,        -- the run's full TrainingConfig as JSON (with seed)
    config_hash      TEXT    NOT NULL CHECK (length(config_hash) > 0), -- hash of config_json: the run's identity
    method           TEXT    NOT NULL CHECK (length(method) > 0),
    param            TEXT,                    -- signature hyperparameter name (clip, beta, N, ...)
    value            REAL,                    -- its value in this run
    env              TEXT    NOT NULL CHECK (length(env) > 0),
    seed             INTEGER NOT NULL CHECK (seed >= 0),
    steps            INTEGER NOT NULL CHECK (steps > 0),   -- env step budget
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    worker           TEXT,                    -- who holds the lease (host:pid)
    lease_expires_at REAL,                    -- unix time; a running run past it is reclaimable
    steps_done       INTEGER NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
    wall_seconds     REAL,                    -- training wall time of the finished attempt
    created_at       TEXT    NOT NULL,
    started_at       TEXT,
    finished_at      TEXT,
    error            TEXT,
    UNIQUE (sweep_id, config_hash),
    CHECK ((param IS NULL) = (value IS NULL)),
    CHECK (status != 'running' OR (worker IS NOT NULL AND lease_expires_at IS NOT NULL AND started_at IS NOT NULL)),
    CHECK (status != 'done' OR finished_at IS NOT NULL),
    CHECK (status != 'failed' OR error IS NOT NULL)
);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_sweep_status ON runs(sweep_id, status);

CREATE TABLE metrics (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step    INTEGER NOT NULL CHECK (step >= 0),   -- env steps taken when recorded
    key     TEXT    NOT NULL,
    value   REAL    NOT NULL,
    PRIMARY KEY (run_id, key, step)
) WITHOUT ROWID;
