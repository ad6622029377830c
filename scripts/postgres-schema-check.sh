#!/usr/bin/env bash
# Applies schema/postgres/*.sql to a throw-away PostgreSQL on a loopback port and checks that the
# schema refuses what the SQLite store's schema refuses (issue 15, first step: the schema; the
# store on it comes next). Needs PostgreSQL's server binaries (Debian: postgresql-15). Everything
# it starts (through scripts/cluster/postgres.sh) is stopped at the end, also on failure.
# Usage: scripts/postgres-schema-check.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres-schema-check: error: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 2; }
dir=$(mktemp -d /tmp/mcpo-pg-XXXXXX)
cleanup() { "$root/scripts/cluster/postgres.sh" stop "$dir" || true; rm -rf "$dir"; }
trap cleanup EXIT
# On ${MCPO_PG_PORT:-55432}, or the next free port if that one is taken.
"$root/scripts/cluster/postgres.sh" start "$dir" >/dev/null
port=$(cat "$dir/port")
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
for f in "$root"/schema/postgres/*.sql; do "${psql[@]}" -f "$f"; done

pass=0; fail=0
ok() {   # ok WHAT SQL: must succeed
    if "${psql[@]}" -c "$2" >/dev/null 2>"$dir/err"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL (refused): $1: $(head -1 "$dir/err")"; fi
}
refused() {   # refused WHAT SQL: must fail
    if "${psql[@]}" -c "$2" >/dev/null 2>"$dir/err"; then fail=$((fail+1)); echo "FAIL (accepted): $1"; else pass=$((pass+1)); fi
}
t="'2026-01-01T00:00:00Z'"
ok "a sweep" "INSERT INTO sweeps (id, name, spec_json, spec_hash, created_at) VALUES (1, 's', '{}', 'h', $t)"
refused "a sweep without a name" "INSERT INTO sweeps (name, spec_json, spec_hash, created_at) VALUES ('', '{}', 'h', $t)"
refused "two sweeps of one name" "INSERT INTO sweeps (name, spec_json, spec_hash, created_at) VALUES ('s', '{}', 'h', $t)"
ok "a run" "INSERT INTO runs (id, sweep_id, config_json, config_hash, method, param, value, env, seed, steps, created_at) VALUES (1, 1, '{}', 'c1', 'PPO', 'clip', 0.2, 'Pendulum', 0, 100, $t)"
refused "the same config twice in a sweep" "INSERT INTO runs (sweep_id, config_json, config_hash, method, env, seed, steps, created_at) VALUES (1, '{}', 'c1', 'PPO', 'Pendulum', 0, 100, $t)"
refused "a param without a value" "INSERT INTO runs (sweep_id, config_json, config_hash, method, param, env, seed, steps, created_at) VALUES (1, '{}', 'c2', 'PPO', 'clip', 'Pendulum', 0, 100, $t)"
refused "a negative seed" "INSERT INTO runs (sweep_id, config_json, config_hash, method, env, seed, steps, created_at) VALUES (1, '{}', 'c3', 'PPO', 'Pendulum', -1, 100, $t)"
refused "an unknown status" "UPDATE runs SET status = 'paused' WHERE id = 1"
refused "running without a lease" "UPDATE runs SET status = 'running' WHERE id = 1"
refused "failed without an error" "UPDATE runs SET status = 'failed' WHERE id = 1"
refused "a checkpoint of a run not running" "INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at) VALUES (1, 50, 1, 'crc32c:0000abcd', '\\x01', $t)"
ok "a claim" "UPDATE runs SET status = 'running', worker = 'h:1', lease_expires_at = 1e12, started_at = $t, steps_done = 50 WHERE id = 1"
refused "a checkpoint at another step than steps_done" "INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at) VALUES (1, 40, 1, 'crc32c:0000abcd', '\\x01', $t)"
refused "a checkpoint with the old checksum form" "INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at) VALUES (1, 50, 1, '0123456789abcdef', '\\x01', $t)"
ok "a checkpoint of the running run" "INSERT INTO checkpoints (run_id, step, format, checksum, state, created_at) VALUES (1, 50, 1, 'crc32c:0000abcd', '\\x01', $t)"
ok "metrics and their checksum" "INSERT INTO metrics VALUES (1, 50, 'score', -150.5), (1, 50, 'kl', 0.01); INSERT INTO metric_checksums VALUES (1, 50, 4294967295)"
refused "a checksum past 32 bits" "INSERT INTO metric_checksums VALUES (1, 60, 4294967296)"
ok "deleting a step's metrics drops its checksum" "DELETE FROM metrics WHERE run_id = 1 AND step = 50; DO \$\$ BEGIN IF EXISTS (SELECT 1 FROM metric_checksums) THEN RAISE EXCEPTION 'kept'; END IF; END \$\$"
refused "an unknown event kind" "INSERT INTO run_events (run_id, at, kind, attempt, step, message) VALUES (1, $t, 'paused', 1, 0, 'x')"
ok "a platform_changed event" "INSERT INTO run_events (run_id, at, kind, attempt, step, message) VALUES (1, $t, 'platform_changed', 1, 0, 'x')"
refused "a 'run' scheduler without its sweep" "INSERT INTO schedulers VALUES ('h:2', 'run', NULL, 1, $t, 0)"
refused "last_good_step on a run not failed" "UPDATE runs SET last_good_step = 10 WHERE id = 1"
ok "a run that ends drops its checkpoint" "UPDATE runs SET status = 'done', finished_at = $t WHERE id = 1; DO \$\$ BEGIN IF EXISTS (SELECT 1 FROM checkpoints) THEN RAISE EXCEPTION 'kept'; END IF; END \$\$"
files=$(ls "$root"/schema/postgres/[0-9]*.sql | wc -l)
ok "every migration is recorded" "DO \$\$ BEGIN IF (SELECT max(version) FROM schema_migrations) IS DISTINCT FROM $files OR (SELECT count(*) FROM schema_migrations) <> $files THEN RAISE EXCEPTION 'versions'; END IF; END \$\$"
ok "checkpoint bytes are stored uncompressed" "DO \$\$ BEGIN IF (SELECT attstorage FROM pg_attribute WHERE attrelid = 'checkpoints'::regclass AND attname = 'state') <> 'e' THEN RAISE EXCEPTION 'storage'; END IF; END \$\$"

# Claims: three claimers at once with FOR UPDATE SKIP LOCKED take each of 30 pending runs once.
"${psql[@]}" -c "INSERT INTO runs (sweep_id, config_json, config_hash, method, env, seed, steps, created_at) SELECT 1, '{}', 'k' || i, 'PPO', 'Pendulum', i, 100, $t FROM generate_series(1, 30) AS i"
claim="UPDATE runs SET status = 'running', worker = 'w' || pg_backend_pid(), lease_expires_at = 1e12, started_at = $t, attempts = attempts + 1 WHERE id = (SELECT id FROM runs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"
for w in 1 2 3; do ( for i in $(seq 1 12); do "${psql[@]}" -At -c "$claim"; done > "$dir/claims$w" ) & done
wait
claimed=$(cat "$dir"/claims? | grep -c .); distinct=$(cat "$dir"/claims? | sort -u | grep -c .)
twice=$("${psql[@]}" -At -c "SELECT count(*) FROM runs WHERE attempts > 1")
if [ "$claimed" = 30 ] && [ "$distinct" = 30 ] && [ "$twice" = 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: claims $claimed, distinct $distinct, claimed twice $twice"; fi
echo "postgres-schema-check: $pass passed, $fail failed ($("$bin/postgres" --version))"
[ "$fail" = 0 ]
