-- mcpo store, migration 2: checkpoints, run events, scheduler registry, cancellation,
-- divergence and retry back-off. Append-only like 001.

-- One checkpoint per unfinished run: the trainer's whole state (TrainingState in BinaryCoding
-- bytes) after `step` env steps. The worker writes it in the same transaction as the metrics
-- up to `step` and runs.steps_done = step, replacing the previous one; claiming the run again
-- discards every metric after it; it is deleted when the run ends (trigger below).
CREATE TABLE checkpoints (
    run_id     INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    step       INTEGER NOT NULL CHECK (step > 0),
    format     INTEGER NOT NULL CHECK (format > 0),                  -- TrainingState.checkpointFormat
    checksum   TEXT    NOT NULL CHECK (length(checksum) = 16),       -- Checksum.hex(state)
    state      BLOB    NOT NULL CHECK (length(state) > 0),
    created_at TEXT    NOT NULL
);

-- A checkpoint is written only by the holder of a running run, at the progress it records.
CREATE TRIGGER checkpoint_insert_needs_a_running_run BEFORE INSERT ON checkpoints
WHEN NOT EXISTS (SELECT 1 FROM runs WHERE id = NEW.run_id AND status = 'running' AND steps_done = NEW.step)
BEGIN SELECT RAISE(ABORT, 'a checkpoint needs its run running with steps_done = step'); END;

CREATE TRIGGER checkpoint_update_needs_a_running_run BEFORE UPDATE ON checkpoints
WHEN NOT EXISTS (SELECT 1 FROM runs WHERE id = NEW.run_id AND status = 'running' AND steps_done = NEW.step)
BEGIN SELECT RAISE(ABORT, 'a checkpoint needs its run running with steps_done = step'); END;

-- A run that ends (done or failed) keeps no checkpoint: the store stays small.
CREATE TRIGGER finished_run_drops_its_checkpoint AFTER UPDATE OF status ON runs
WHEN NEW.status IN ('done', 'failed')
BEGIN DELETE FROM checkpoints WHERE run_id = NEW.id; END;

-- Claims in a row that ended without a new checkpoint (reset by every checkpoint); a run
-- whose worker keeps being killed without progress is failed after a few.
ALTER TABLE runs ADD COLUMN stalls INTEGER NOT NULL DEFAULT 0 CHECK (stalls >= 0);
-- A diverged run: the last step whose metrics are finite (they are kept).
ALTER TABLE runs ADD COLUMN last_good_step INTEGER CHECK (last_good_step IS NULL OR (last_good_step >= 0 AND status = 'failed'));
-- A pending run given back after a store error (a full disk) is not claimed before this unix time.
ALTER TABLE runs ADD COLUMN not_before REAL CHECK (not_before IS NULL OR status = 'pending');

-- A cancelled sweep's runs are not claimed, and its running runs are stopped (checkpointed and
-- put back to pending); storing the sweep again (run/submit) resumes it.
ALTER TABLE sweeps ADD COLUMN cancelled_at TEXT;

-- What happened to each run, for `mcpo-sweep logs RUN`.
CREATE TABLE run_events (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    at      TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('claimed', 'resumed', 'checkpoint_discarded', 'stopped', 'released',
                                             'reclaimed', 'done', 'failed', 'retried', 'store_error')),
    worker  TEXT,                     -- the process that wrote it (host:pid), if any
    attempt INTEGER NOT NULL CHECK (attempt >= 0),
    step    INTEGER NOT NULL CHECK (step >= 0),
    message TEXT    NOT NULL CHECK (length(message) > 0)
);
CREATE INDEX run_events_by_run ON run_events(run_id, id);

-- Schedulers (`run` and `daemon`) announce themselves, so that `submit` can tell whether a
-- daemon will pick a sweep up and `status` can show who is executing the store.
CREATE TABLE schedulers (
    worker     TEXT    PRIMARY KEY CHECK (length(worker) > 0),   -- host:pid
    kind       TEXT    NOT NULL CHECK (kind IN ('run', 'daemon')),
    sweep_id   INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,  -- the sweep a 'run' executes
    workers    INTEGER NOT NULL CHECK (workers > 0),
    started_at TEXT    NOT NULL,
    seen_at    REAL    NOT NULL,                                 -- unix time of its last heartbeat
    CHECK ((kind = 'run') = (sweep_id IS NOT NULL))
);
