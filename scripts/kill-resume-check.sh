#!/usr/bin/env bash
# Kill/resume check (issues 2 and 5): a sweep SIGKILLed mid-way (scheduler and workers) and run again
# finishes with every run stored exactly once and results identical to an uninterrupted run.
#
# Usage: scripts/kill-resume-check.sh [BIN_DIR]
#   BIN_DIR   directory of the release binaries (mcpo-sweep, and mcpo-report if built);
#             default .build/release. This script builds nothing.
# Environment: SWEEP (default sweeps/quick.yaml), KILL_AT (fraction of the uninterrupted run's
#   wall time after which to kill, default 0.4), KEEP=1 keeps the scratch directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/.build/release}" && pwd)
sweep=${SWEEP:-$root/sweeps/quick.yaml}
kill_at=${KILL_AT:-0.4}
[ -x "$bin/mcpo-sweep" ] || { echo "kill-resume-check: $bin/mcpo-sweep not found (build in release first)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kill-resume.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "scratch directory: $work"; else trap 'rm -rf "$work"' EXIT; fi
A=$work/A.sqlite
B=$work/B.sqlite

# sql DB QUERY: rows as a|b|c lines (sqlite3 if installed, else Python's sqlite3 module).
sql() {
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$1" "$2"
  else
    python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))' "$1" "$2"
  fi
}
now() { date +%s.%N; }
# children PID: the pids whose parent is PID.
children() {
  if command -v ps >/dev/null; then ps -o pid= --ppid "$1"
  else for f in /proc/[0-9]*/status; do awk -v p="$1" '/^Pid:/ { pid = $2 } /^PPid:/ && $2 == p { print pid }' "$f" 2>/dev/null; done
  fi
}
fail() { echo "FAIL: $*"; exit 1; }

echo "== 1. uninterrupted run of $(basename "$sweep") into store A"
t0=$(now)
"$bin/mcpo-sweep" run "$sweep" --db "$A"
t1=$(now)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
delay=$(awk -v w="$wall" -v f="$kill_at" 'BEGIN { printf "%.2f", w * f }')
printf 'took %.1f s; store B will be killed after %.1f s\n' "$wall" "$delay"

echo "== 2. run into store B, SIGKILL the scheduler and its workers after ${kill_at} of that time"
"$bin/mcpo-sweep" run "$sweep" --db "$B" &
scheduler=$!
sleep "$delay"
kill -STOP "$scheduler"                               # freeze it so that it spawns no new worker
workers=$(children "$scheduler" | tr -s ' \n' ' ')
echo "killing scheduler $scheduler and workers:${workers:- none}"
for pid in $workers; do kill -KILL "$pid" 2>/dev/null || true; done
kill -KILL "$scheduler"
wait "$scheduler" 2>/dev/null || true
echo "store B after the kill: $("$bin/mcpo-sweep" status --db "$B" --json)"
sql "$B" "SELECT 'run ' || id || ': ' || status || ', ' || steps_done || ' steps, attempt ' || attempts FROM runs ORDER BY id"

echo "== 3. the same command again, to completion"
"$bin/mcpo-sweep" run "$sweep" --db "$B"
echo "store B: $("$bin/mcpo-sweep" status --db "$B" --json)"

echo "== 4. every run exists exactly once"
dupes="SELECT sweep_id, config_hash, COUNT(*) FROM runs GROUP BY sweep_id, config_hash HAVING COUNT(*) > 1"
echo "query: $dupes"
[ -z "$(sql "$B" "$dupes")" ] || fail "duplicate runs in B: $(sql "$B" "$dupes")"
count="SELECT COUNT(*), SUM(status = 'done') FROM runs"
echo "query: $count"
echo "A: $(sql "$A" "$count")   B: $(sql "$B" "$count")"
[ "$(sql "$A" "$count")" = "$(sql "$B" "$count")" ] || fail "A and B do not hold the same runs"
dupe_metrics="SELECT run_id, key, step FROM metrics GROUP BY run_id, key, step HAVING COUNT(*) > 1"
echo "query: $dupe_metrics"
[ -z "$(sql "$B" "$dupe_metrics")" ] || fail "duplicate metric rows in B"

echo "== 5. identical results"
dump="SELECT r.config_hash, m.key, m.step, printf('%!.17g', m.value) FROM metrics m JOIN runs r ON r.id = m.run_id ORDER BY 1, 2, 3"
echo "query: $dump"
sql "$A" "$dump" >"$work/A.metrics"
sql "$B" "$dump" >"$work/B.metrics"
echo "metric rows: A $(wc -l <"$work/A.metrics"), B $(wc -l <"$work/B.metrics")"
cmp "$work/A.metrics" "$work/B.metrics" || fail "metrics differ between A and B"
echo "metrics of A and B are identical"
if [ -x "$bin/mcpo-report" ]; then
  "$bin/mcpo-report" table1 --db "$A" --format json >"$work/A.json"
  "$bin/mcpo-report" table1 --db "$B" --format json >"$work/B.json"
  cmp "$work/A.json" "$work/B.json" || fail "mcpo-report table1 --format json differs between A and B"
  echo "mcpo-report table1 --format json is byte-identical for A and B:"
  cat "$work/A.json"
else
  echo "note: $bin/mcpo-report not found; compared the metric dumps only"
fi
echo "PASS"
