#!/usr/bin/env bash
# The cluster test (issue 15): a real PostgreSQL server and a real three-node Slurm cluster on
# loopback (scripts/cluster/), one small sweep (6 Pendulum runs) executed through
# `mcpo-sweep slurm`, checked against the same sweep run by `mcpo-sweep run` on SQLite:
#   1. clean: every run done exactly once (one 'done' event each), metrics bit-identical;
#   2. faults: while runs are mid-way, one node is set down (Slurm kills and requeues its task)
#      and one worker is SIGKILLed (its task is not requeued: another worker reclaims its run);
#      still every run done exactly once, bit-identical, and the events show both faults.
# Everything it starts is stopped at the end, also on failure. Needs root (slurmd) and the
# packages of scripts/install-deps.sh --test; builds nothing (run after the release build).
# Usage: scripts/cluster-test.sh [BUILD_DIR]   (default .build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/.build/release}" && pwd)
started=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "cluster-test: error: needs root (slurmd runs the tasks)" >&2; exit 2; }
[ -x "$bin/mcpo-sweep" ] || { echo "cluster-test: error: no $bin/mcpo-sweep (build in release first)" >&2; exit 2; }
"$root/scripts/install-deps.sh" --test >/dev/null

dir=$(mktemp -d /tmp/mcpo-cluster-XXXXXX)
chmod 755 "$dir"
cleanup() {
    "$root/scripts/cluster/slurm.sh" stop "$dir/slurm" >/dev/null 2>&1 || true
    "$root/scripts/cluster/postgres.sh" stop "$dir/pg" >/dev/null 2>&1 || true
    if [ "${keep:-0}" = 1 ]; then echo "cluster-test: kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
fail() { echo "cluster-test: FAIL: $*" >&2; keep=1; exit 1; }
say() { echo "cluster-test: [$(( $(date +%s) - started )) s] $*"; }

server=$(MCPO_PG_OPTIONS="-c fsync=off" "$root/scripts/cluster/postgres.sh" start "$dir/pg" 55460)
port=$(cat "$dir/pg/port")
"$root/scripts/cluster/slurm.sh" start "$dir/slurm" >/dev/null
# shellcheck disable=SC1091
. "$dir/slurm/env"
say "PostgreSQL at $server, Slurm cluster n1-n3 up"
psql_at() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$1" -c "$2"; }

cat >"$dir/sweep.yaml" <<'EOF'
name: cluster-test
seeds: 3
defaults: {horizon: 2048, epochs: 10, minibatch_size: 64, lr: 3.0e-4, actors: 4}
envs:
  Pendulum: {steps: 150000}
methods:
  PPO: {clip: [0.2, 0.3]}
EOF
export OPENBLAS_NUM_THREADS=1

# The reference: the same sweep on one machine, on SQLite.
t0=$(date +%s)
"$bin/mcpo-sweep" run "$dir/sweep.yaml" --db "$dir/reference.sqlite" --workers 2 >/dev/null 2>"$dir/reference.log" \
    || { cat "$dir/reference.log" >&2; fail "the reference run on SQLite failed"; }
"$bin/mcpo-report" export --db "$dir/reference.sqlite" --format jsonl --out "$dir/reference.jsonl" 2>/dev/null
say "reference on SQLite: 6 runs in $(( $(date +%s) - t0 )) s, $(wc -l <"$dir/reference.jsonl") metric rows"

# Submits the sweep to database $1 through Slurm (3 tasks); prints the job id.
submit() {
    psql_at postgres "CREATE DATABASE $1" >/dev/null
    (cd "$dir" && "$bin/mcpo-sweep" slurm "$dir/sweep.yaml" --db "postgres://postgres@127.0.0.1:$port/$1" --tasks 3 \
        --output "$dir/logs/$1-%A_%a.out" --lease-seconds 10 --checkpoint-seconds 0.5 2>>"$dir/submit.log")
}
# Waits until job $1 has left the queue and database $2 has no run left to run.
settle() {
    local deadline=$(( $(date +%s) + 300 ))
    while squeue -h -j "$1" 2>/dev/null | grep -q . || [ "$(psql_at "$2" "SELECT count(*) FROM runs WHERE status IN ('pending', 'running')")" != 0 ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { squeue; tail -n 5 "$dir"/logs/*.out >&2; fail "$2: not settled after 300 s"; }
        sleep 1
    done
}
# Every run done, exactly one 'done' event each, metrics identical to the reference's.
check() {
    local db=$1
    [ "$(psql_at "$db" "SELECT count(*) FROM runs WHERE status = 'done'")" = 6 ] || fail "$db: not all 6 runs are done: $(psql_at "$db" "SELECT id, status, error FROM runs")"
    local twice; twice=$(psql_at "$db" "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM run_events e WHERE e.run_id = r.id AND e.kind = 'done') <> 1")
    [ "$twice" = 0 ] || fail "$db: $twice run(s) without exactly one 'done' event"
    "$bin/mcpo-report" export --db "postgres://postgres@127.0.0.1:$port/$db" --format jsonl --out "$dir/$db.jsonl" 2>/dev/null
    cmp -s "$dir/reference.jsonl" "$dir/$db.jsonl" || { diff "$dir/reference.jsonl" "$dir/$db.jsonl" | head -5 >&2; fail "$db: metrics differ from the SQLite run's"; }
}
mkdir -p "$dir/logs"

# 1. Clean.
t0=$(date +%s)
job=$(submit clean)
settle "$job" clean
check clean
hosts=$(psql_at clean "SELECT string_agg(DISTINCT split_part(worker, ':', 1), ',' ORDER BY split_part(worker, ':', 1)) FROM run_attempts")
say "clean: job $job, 6 runs done once each on nodes $hosts, metrics bit-identical, $(( $(date +%s) - t0 )) s"

# 2. Faults: once two runs are mid-way with a checkpoint, set the node of one down and SIGKILL
# the worker of another.
t0=$(date +%s)
job=$(submit faults)
deadline=$(( $(date +%s) + 120 ))
while :; do
    mapfile -t held < <(psql_at faults "SELECT worker FROM runs r JOIN checkpoints c ON c.run_id = r.id WHERE r.status = 'running' AND r.steps_done < r.steps / 2 ORDER BY r.id")
    [ "${#held[@]}" -ge 2 ] && [ "${held[0]%%:*}" != "${held[1]%%:*}" ] && break
    [ "$(date +%s)" -lt "$deadline" ] || fail "faults: no two runs mid-way on two nodes within 120 s"
    sleep 0.2
done
down=${held[0]%%:*} killed=${held[1]}
"$root/scripts/cluster/slurm.sh" node-down "$dir/slurm" "$down" >/dev/null
kill -KILL "${killed##*:}"
say "faults: node $down set down (its task is killed and requeued), worker $killed SIGKILLed"
settle "$job" faults
check faults
stopped=$(psql_at faults "SELECT count(*) FROM run_events WHERE kind IN ('stopped', 'released') AND worker LIKE '$down:%'")
reclaimed=$(psql_at faults "SELECT count(*) FROM run_events WHERE kind = 'reclaimed' AND message LIKE '%$killed%'")
resumed=$(psql_at faults "SELECT count(*) FROM run_events WHERE kind = 'resumed'")
[ "$reclaimed" -ge 1 ] || fail "faults: the SIGKILLed worker's run was not reclaimed"
[ "$stopped" -ge 1 ] || fail "faults: no run was stopped with a checkpoint when $down went down"
[ "$resumed" -ge 2 ] || fail "faults: fewer than 2 runs resumed from a checkpoint ($resumed)"
grep -l "(restart 1)" "$dir"/logs/faults-*.out >/dev/null || fail "faults: no task was requeued by Slurm (no '(restart 1)' in the task logs)"
say "faults: job $job, 6 runs done once each, metrics bit-identical; $stopped run(s) stopped at a checkpoint on $down, $reclaimed reclaimed from $killed, $resumed resumed from checkpoints, $(( $(date +%s) - t0 )) s"
# 3. Results home: copy the faulted sweep to a local SQLite file, twice (the second copies nothing).
"$bin/mcpo-sweep" copy --from "postgres://postgres@127.0.0.1:$port/faults" --to "$dir/home.sqlite" 2>"$dir/copy.log"
"$bin/mcpo-sweep" copy --from "postgres://postgres@127.0.0.1:$port/faults" --to "$dir/home.sqlite" 2>>"$dir/copy.log"
grep -q "6 finished run(s) copied" "$dir/copy.log" && grep -q "0 finished run(s) copied, 6 already there" "$dir/copy.log" \
    || { cat "$dir/copy.log" >&2; fail "copy: not 6 runs copied once"; }
"$bin/mcpo-report" export --db "$dir/home.sqlite" --format jsonl --out "$dir/home.jsonl" 2>/dev/null
cmp -s "$dir/reference.jsonl" "$dir/home.jsonl" || fail "copy: the local copy's metrics differ from the SQLite run's"
say "copy: PostgreSQL → $dir/home.sqlite, 6 runs, bit-identical; copied again: nothing new"
say "passed"
