-- mcpo store, migration 3: the numeric platform of every attempt. A run is a pure function of
-- its config and seed for one binary on one BLAS kernel; another kernel (OPENBLAS_CORETYPE, or
-- OpenBLAS's choice on another CPU) sums in another order, so its numbers differ in the last
-- bits and then diverge. Each attempt records where it ran, each checkpoint the kernel that
-- wrote it, and a run resumed under another kernel gets a 'platform_changed' event.

-- One row per attempt, written by the worker process that executes it.
CREATE TABLE run_attempts (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL CHECK (attempt > 0),
    worker      TEXT    NOT NULL CHECK (length(worker) > 0),          -- host:pid
    blas_kernel TEXT    NOT NULL CHECK (length(blas_kernel) > 0),     -- OpenBLAS core name, e.g. SkylakeX
    cpu         TEXT    NOT NULL CHECK (length(cpu) > 0),             -- e.g. "AMD EPYC (AuthenticAMD family 25 model 17)"
    started_at  TEXT    NOT NULL,
    PRIMARY KEY (run_id, attempt)
);

-- The platform of the attempt that wrote the checkpoint (NULL: written before migration 3).
ALTER TABLE checkpoints ADD COLUMN blas_kernel TEXT CHECK (blas_kernel IS NULL OR length(blas_kernel) > 0);
ALTER TABLE checkpoints ADD COLUMN cpu TEXT CHECK (cpu IS NULL OR length(cpu) > 0);

-- run_events gains the kind 'platform_changed' (SQLite cannot alter a CHECK: the table is rebuilt).
CREATE TABLE run_events_3 (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    at      TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('claimed', 'resumed', 'checkpoint_discarded', 'stopped', 'released',
                                             'reclaimed', 'done', 'failed', 'retried', 'store_error',
                                             'platform_changed')),
    worker  TEXT,                     -- the process that wrote it (host:pid), if any
    attempt INTEGER NOT NULL CHECK (attempt >= 0),
    step    INTEGER NOT NULL CHECK (step >= 0),
    message TEXT    NOT NULL CHECK (length(message) > 0)
);
INSERT INTO run_events_3 (id, run_id, at, kind, worker, attempt, step, message)
    SELECT id, run_id, at, kind, worker, attempt, step, message FROM run_events;
DROP TABLE run_events;
ALTER TABLE run_events_3 RENAME TO run_events;
CREATE INDEX run_events_by_run ON run_events(run_id, id);
