-- mcpo store, migration 4: standard checksums. Checkpoints are checked with CRC-32C (Castagnoli)
-- instead of a hand-made mix, and every step's metrics get a CRC-32C too, written in the
-- transaction that writes them and verified by every reader: one flipped bit in a stored value
-- is an error, not a moved table cell.

-- One checksum per (run, step): CRC-32C of the step's metrics sorted by key, each as its UTF-8
-- key, a 0 byte and the value's IEEE-754 bits (8 bytes, little-endian). Metrics written before
-- this migration have none (they are read unverified).
CREATE TABLE metric_checksums (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step   INTEGER NOT NULL,
    crc32c INTEGER NOT NULL CHECK (crc32c BETWEEN 0 AND 4294967295),
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;

-- A step's rows, found by step (checksums are per step; deleting past a checkpoint is by step).
CREATE INDEX metrics_by_step ON metrics(run_id, step);

-- Metrics deleted (a run claimed again past its checkpoint, retried, discarded) take their
-- step's checksum with them.
CREATE TRIGGER deleted_metrics_drop_their_checksum AFTER DELETE ON metrics
BEGIN DELETE FROM metric_checksums WHERE run_id = OLD.run_id AND step = OLD.step; END;

-- checkpoints.checksum becomes 'crc32c:' and 8 hex digits (16 hex digits: the old mix, which
-- this mcpo no longer reads: such a checkpoint is discarded and its run restarts). SQLite cannot
-- alter a CHECK: the table is rebuilt, with its triggers.
DROP TRIGGER finished_run_drops_its_checkpoint;
CREATE TABLE checkpoints_4 (
    run_id      INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    step        INTEGER NOT NULL CHECK (step > 0),
    format      INTEGER NOT NULL CHECK (format > 0),                  -- Trainer.checkpointFormat
    checksum    TEXT    NOT NULL CHECK (length(checksum) = 16 OR (length(checksum) = 15 AND checksum GLOB 'crc32c:*')),
    state       BLOB    NOT NULL CHECK (length(state) > 0),
    created_at  TEXT    NOT NULL,
    blas_kernel TEXT CHECK (blas_kernel IS NULL OR length(blas_kernel) > 0),
    cpu         TEXT CHECK (cpu IS NULL OR length(cpu) > 0)
);
INSERT INTO checkpoints_4 (run_id, step, format, checksum, state, created_at, blas_kernel, cpu)
    SELECT run_id, step, format, checksum, state, created_at, blas_kernel, cpu FROM checkpoints;
DROP TABLE checkpoints;
ALTER TABLE checkpoints_4 RENAME TO checkpoints;

CREATE TRIGGER checkpoint_insert_needs_a_running_run BEFORE INSERT ON checkpoints
WHEN NOT EXISTS (SELECT 1 FROM runs WHERE id = NEW.run_id AND status = 'running' AND steps_done = NEW.step)
BEGIN SELECT RAISE(ABORT, 'a checkpoint needs its run running with steps_done = step'); END;

CREATE TRIGGER checkpoint_update_needs_a_running_run BEFORE UPDATE ON checkpoints
WHEN NOT EXISTS (SELECT 1 FROM runs WHERE id = NEW.run_id AND status = 'running' AND steps_done = NEW.step)
BEGIN SELECT RAISE(ABORT, 'a checkpoint needs its run running with steps_done = step'); END;

CREATE TRIGGER finished_run_drops_its_checkpoint AFTER UPDATE OF status ON runs
WHEN NEW.status IN ('done', 'failed')
BEGIN DELETE FROM checkpoints WHERE run_id = NEW.id; END;
