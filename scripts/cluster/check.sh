#!/usr/bin/env bash
# Checks postgres.sh and slurm.sh on this machine and prints what it measures (about a minute;
# as root; needs postgresql, slurm-wlm and munge): start and stop times; an sbatch --array=0-5
# --requeue job runs on n1..n3; a task on a node set down (node-down) or lost (kill-node) is
# requeued to another node with SLURM_RESTART_COUNT=1, and after how long; a task SIGKILLed by
# hand ends FAILED, not requeued; stop leaves no process. Usage: scripts/cluster/check.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/mcpo-cluster-check-XXXXXX); chmod 755 "$dir"   # postgres must get in
trap '"$here/slurm.sh" stop "$dir/slurm"; "$here/postgres.sh" stop "$dir/pg"; rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t=$(now); url=$("$here/postgres.sh" start "$dir/pg"); echo "postgres: started in $(since "$t") s: $url"
check "psql connects to $url" '[ "$(psql -X -At "$url" -c "select 1")" = 1 ]'
port=$(cat "$dir/pg/port")
createdb -h 127.0.0.1 -p "$port" -U postgres extra
check "createdb made a database" '[ "$(psql -X -At "${url%/postgres}/extra" -c "select current_database()")" = extra ]'
t=$(now); "$here/postgres.sh" stop "$dir/pg"; echo "postgres: stopped in $(since "$t") s"
check "no postgres of $dir/pg left" '! pgrep -f -- "$dir/pg/data" >/dev/null'

t=$(now); "$here/slurm.sh" start "$dir/slurm" 2>/dev/null; echo "slurm: three idle nodes in $(since "$t") s"
. "$dir/slurm/env"
out=$dir/slurm/out; mkdir -p "$out"
cat >"$dir/slurm/task.sh" <<'EOF'
#!/bin/bash
echo "$(date +%s.%N) $(hostname) $SLURMD_NODENAME $SLURM_JOB_ID $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID ${SLURM_RESTART_COUNT:-0} $(id -u) $PWD" \
    >>"$OUT/task-$SLURM_ARRAY_TASK_ID"
sleep "$SLEEP"
echo "stdout of task $SLURM_ARRAY_TASK_ID"
EOF
chmod +x "$dir/slurm/task.sh"
export OUT=$out
wait_job() {   # wait_job JOB SECONDS: until no task of JOB is pending or running
    local deadline=$((SECONDS + $2))
    while [ -n "$(squeue -h -j "$1" -t PD,R,CG 2>/dev/null)" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
}
wait_restart() {   # wait_restart TASK: until the task's file has a line with restart count 1
    local deadline=$((SECONDS + 90))
    until awk '$7 == 1 { found = 1 } END { exit !found }' "$out/task-$1" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
}

cd "$dir/slurm"
t=$(now); job=$(SLEEP=5 sbatch --parsable --array=0-5 --requeue -o "$out/slurm-%A_%a.out" task.sh)
wait_job "$job" 60; echo "slurm: 6 tasks of 5 s on 3 nodes done in $(since "$t") s"
check "the tasks ran on n1, n2 and n3" '[ "$(cat "$out"/task-* | awk "{ print \$3 }" | sort -u | tr "\n" " ")" = "n1 n2 n3 " ]'
check "stdout went to the --output files" '[ "$(cat "$out"/slurm-"$job"_3.out)" = "stdout of task 3" ]'
read -r _ host node jid ajid tid rc uid cwd <"$out/task-3"
echo "slurm: task 3 saw hostname=$host SLURMD_NODENAME=$node SLURM_JOB_ID=$jid SLURM_ARRAY_JOB_ID=$ajid SLURM_ARRAY_TASK_ID=$tid SLURM_RESTART_COUNT=${rc/#0/unset} uid=$uid cwd=$cwd"

for how in node-down kill-node; do
    rm -f "$out"/task-*
    job=$(SLEEP=30 sbatch --parsable --array=0-1 --requeue -o /dev/null task.sh)
    until [ -s "$out/task-1" ]; do sleep 0.1; done
    victim=$(awk '{ print $3 }' "$out/task-1")
    t=$(now); "$here/slurm.sh" "$how" "$dir/slurm" "$victim"
    wait_restart 1
    moved=$(awk '$7 == 1 { print $3 }' "$out/task-1")
    echo "slurm: $how $victim: task 1 restarted on ${moved:-nothing} after $(since "$t") s ($(sinfo -h -n "$victim" -o %t))"
    check "$how: task 1 requeued to another node with SLURM_RESTART_COUNT=1" '[ -n "$moved" ] && [ "$moved" != "$victim" ]'
    scancel "$job"; wait_job "$job" 30
    "$here/slurm.sh" node-up "$dir/slurm" "$victim"
done

# A worker SIGKILLed by hand: task 0 runs it as the script's last command, task 1 execs it.
cat >"$dir/slurm/worker.sh" <<'EOF'
#!/bin/bash
echo "$SLURMD_NODENAME" >"$OUT/worker-$SLURM_ARRAY_TASK_ID"
if [ "$SLURM_ARRAY_TASK_ID" = 0 ]; then sleep 30; else exec sleep 30; fi
EOF
job=$(sbatch --parsable --array=0-1 --requeue -o /dev/null worker.sh)
until [ -s "$out/worker-0" ] && [ -s "$out/worker-1" ]; do sleep 0.1; done; sleep 0.5
for p in $(pgrep -x sleep); do
    grep -qzx "SLURM_ARRAY_JOB_ID=$job" "/proc/$p/environ" 2>/dev/null && kill -KILL "$p"
done
wait_job "$job" 30
for task in 0 1; do
    state=$(scontrol show job "${job}_$task" | grep -o 'JobState=[A-Z]* \|Reason=[A-Za-z]*\|Restarts=[0-9]*\|ExitCode=[0-9:]*' | tr -d ' ' | tr '\n' ' ')
    echo "slurm: worker SIGKILLed by hand, $([ $task = 0 ] && echo "the script's last command" || echo "exec'd by the script"): $state"
    check "that task ends FAILED and is not requeued" '[[ "$state" == *"JobState=FAILED"*"Restarts=0"* ]]'
done

t=$(now); "$here/slurm.sh" stop "$dir/slurm"; echo "slurm: stopped in $(since "$t") s"
check "no process of the cluster left" '! pgrep -f -- "$dir/slurm/" >/dev/null && ! grep -qzx "MCPO_SLURM_DIR=$dir/slurm" /proc/[0-9]*/environ 2>/dev/null'
exit "$fail"
