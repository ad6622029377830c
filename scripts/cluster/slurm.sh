#!/usr/bin/env bash
# A throw-away three-node Slurm cluster (n1, n2, n3, one CPU each) on loopback, for tests. Run as
# root, without systemd; everything (conf, munge key and socket, state, spool, logs, pid files)
# lives under DIR, nothing is written to /etc.
#
#   scripts/cluster/slurm.sh start DIR        munged, slurmctld and three slurmd on free ports;
#                                             waits until sinfo shows n1..n3 idle; writes DIR/env
#                                             (. DIR/env, then sbatch/squeue/scontrol/sinfo/scancel)
#   scripts/cluster/slurm.sh stop DIR         SIGKILLs every process of the cluster (daemons, job
#                                             steps and their tasks), also when some are dead
#                                             already, and checks none is left. Idempotent, fine
#                                             in a trap ... EXIT. DIR is kept (rm -rf it yourself).
#   scripts/cluster/slurm.sh node-down DIR nK scontrol update nodename=nK state=down reason=test:
#                                             its jobs are killed at once, --requeue ones requeued
#   scripts/cluster/slurm.sh kill-node DIR nK SIGKILLs nK's slurmd and the job steps and tasks on
#                                             it, as a crash of the machine would; slurmctld marks
#                                             it DOWN after SlurmdTimeout and requeues its jobs
#   scripts/cluster/slurm.sh kill-slurmd DIR nK  SIGKILLs nK's slurmd only: its job steps go on
#                                             running; slurmctld requeues their jobs elsewhere
#                                             all the same (two copies of a task run at once)
#                                             until node-up restarts the slurmd, which kills them
#   scripts/cluster/slurm.sh node-up DIR nK   restarts nK's slurmd if dead, resumes it if down
#   scripts/cluster/slurm.sh status DIR       sinfo and squeue of the cluster
#
# Partition "debug" (Default=YES, MaxTime=INFINITE). JobRequeue=0: only jobs submitted with
# --requeue are requeued after a node failure. ReturnToService=1: a node lost (not responding)
# comes back by itself when its slurmd registers again, one set down stays down until node-up.
# AuthInfo cred_expire=5: a requeued job may start again 6 s later (the default is 121 s).
# SlurmdTimeout=5, MessageTimeout=5, KillWait=2, sched_interval=1: a lost node is noticed within
# seconds (scripts/cluster/README.md has the measured times). MCPO_SLURM_TIMEOUT (default 30)
# bounds the waits for the nodes (start, node-up).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
die() { echo "slurm.sh: error: $*" >&2; exit "${rc:-1}"; }
usage() {
    echo "usage: $0 start DIR | stop DIR | node-down DIR nK | kill-node DIR nK | kill-slurmd DIR nK | node-up DIR nK | status DIR" >&2
    exit 2
}
[ $# -ge 2 ] || usage
cmd=$1; dir=$(abspath "${2%/}")
conf=$dir/slurm.conf
nodes=(n1 n2 n3)

# The cluster's processes. Every daemon is started with MCPO_SLURM_DIR=DIR in its environment,
# which slurmd hands on to the slurmstepd it forks; the tasks of a job are the slurmstepds'
# descendants. (DIR/env does not export the marker: a shell that sources it is no daemon.)
marked() {   # marked [NODE]: pids whose environment has MCPO_SLURM_DIR=DIR (and MCPO_SLURM_NODE=NODE)
    local p
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = "$$" ] && continue
        grep -qzxF "MCPO_SLURM_DIR=$dir" "$p/environ" 2>/dev/null || continue
        [ -z "${1:-}" ] || grep -qzxF "MCPO_SLURM_NODE=$1" "$p/environ" 2>/dev/null || continue
        echo "${p#/proc/}"
    done
}
descendants() {   # descendants PID...: the PIDs and all their descendants
    ps -e -o pid=,ppid= | awk -v roots="$*" '
        BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
        { parent[$1] = $2 }
        END { do { more = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; more = 1 } } while (more)
              for (p in keep) print p }'
}
by_path() {   # pids whose command line names DIR's conf, spool or munge files (not this script's)
    local p self=" $$ $(ancestors) "
    for p in $(pgrep -f -- "$dir/(slurm\.conf|spool/|munge/)" || true); do
        case "$self" in *" $p "*) ;; *) echo "$p" ;; esac
    done
}
ancestors() {   # this script's ancestors (their command lines may well name DIR)
    local p=$$
    while [ "$p" -gt 1 ] 2>/dev/null; do p=$(ps -o ppid= -p "$p" | tr -d ' '); echo "$p"; done
}
cluster_pids() {   # every process of the cluster, or of NODE's slurmd, slurmstepds and tasks
    local roots p
    # A task that left its slurmstepd's tree but kept the job's environment (SLURM_CONF is DIR's,
    # SLURM_JOB_ID set; of NODE: SLURMD_NODENAME=NODE).
    roots=$(if [ -n "${1:-}" ]; then marked "$1"; else marked; by_path; fi
        for p in /proc/[0-9]*; do
            grep -qzxF "SLURM_CONF=$conf" "$p/environ" 2>/dev/null || continue
            grep -qz "^SLURM_JOB_ID=" "$p/environ" 2>/dev/null || continue
            [ -z "${1:-}" ] || grep -qzxF "SLURMD_NODENAME=$1" "$p/environ" 2>/dev/null || continue
            echo "${p#/proc/}"
        done)
    roots=$(for p in $roots; do [ "$p" != "$$" ] && kill -0 "$p" 2>/dev/null && echo "$p"; done | sort -u)
    [ -n "$roots" ] || return 0
    local self=" $$ $(ancestors) "
    # shellcheck disable=SC2086
    descendants $roots | while read -r p; do
        case "$self" in *" $p "*) continue ;; esac
        kill -0 "$p" 2>/dev/null && echo "$p"
    done | sort -un
}
kill_all() {   # kill_all [NODE]: SIGKILL the cluster's (or NODE's) processes until none is left
    local pids
    for _ in $(seq 1 50); do
        pids=$(cluster_pids "${1:-}")
        [ -n "$pids" ] || return 0
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
    pids=$(cluster_pids "${1:-}")
    [ -z "$pids" ] || { ps -o pid,args -p "$(echo $pids | tr ' ' ,)" >&2 || true; die "processes of $dir left: $pids"; }
}

logs() {   # the tails of the cluster's logs, on stderr
    local f
    for f in "$dir"/log/*.log; do [ -s "$f" ] && { echo "--- $f" >&2; tail -15 "$f" >&2; }; done
    return 0
}
fail_start() { logs; kill_all; die "$@"; }

start_slurmd() {   # start_slurmd NODE
    env MCPO_SLURM_DIR="$dir" MCPO_SLURM_NODE="$1" slurmd -f "$conf" -N "$1" 9>&- \
        || fail_start "slurmd -N $1 did not start (log: $dir/log/slurmd-$1.log)"
}

node_arg() {
    [ $# -eq 3 ] || usage
    case " ${nodes[*]} " in *" $3 "*) ;; *) die "no node $3 (the nodes: ${nodes[*]})" ;; esac
    [ -f "$dir/env" ] || die "no cluster in $dir (no $dir/env)"
    export SLURM_CONF=$conf
}

case "$cmd" in
start)
    [ $# -eq 2 ] || usage
    [ "$(id -u)" = 0 ] || die "run as root (slurmd must be root to run jobs)"
    for b in munged slurmctld slurmd sbatch sinfo scontrol; do
        command -v "$b" >/dev/null || rc=2 die "no $b (apt-get install slurm-wlm munge)"
    done
    mkdir -p "$dir"
    [ -z "$(cluster_pids)" ] || die "a cluster of $dir is running (slurm.sh stop $dir first)"
    rm -rf "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run" "$dir/env"
    mkdir -p "$dir/munge" "$dir/state" "$dir/log" "$dir/run"
    for n in "${nodes[@]}"; do mkdir -p "$dir/spool/$n"; done
    chmod 755 "$dir" "$dir/munge" "$dir/spool" "$dir"/spool/*
    host=$(hostname -s)
    sock=$dir/munge/munge.socket
    # Unix sockets (munge's, the slurmstepds' in DIR/spool/nK) take paths of at most 107 bytes.
    [ ${#dir} -le 70 ] || die "$dir is too long a path for the sockets in it (at most 70 characters)"

    # munged: its own key (0400, root), socket, pid file, log and seed file.
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge/munge.key"
    env MCPO_SLURM_DIR="$dir" munged --force --socket="$sock" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/munge/munged.seed" 2>>"$dir/log/munged.log" \
        || fail_start "munged did not start (log: $dir/log/munged.log)"
    for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
    munge -S "$sock" -n 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1 \
        || fail_start "munged does not answer on $sock"

    # Ports: slurmctld on BASE, the slurmds on BASE+1..BASE+3, BASE below the ephemeral range and
    # chosen at random among free ones; the lock keeps two starts from taking the same ones.
    exec 9>/tmp/mcpo-slurm-ports.lock
    flock -w 60 9 || die "no lock on /tmp/mcpo-slurm-ports.lock"
    base=
    for _ in $(seq 1 200); do
        b=$((20000 + (RANDOM % 2500) * 4))
        port_free "$b" && port_free $((b + 1)) && port_free $((b + 2)) && port_free $((b + 3)) && { base=$b; break; }
    done
    [ -n "$base" ] || fail_start "no four free ports in 20000..30000"

    echo "# empty: no SPANK plugins" >"$dir/plugstack.conf"
    cat >"$conf" <<CONF
# Written by scripts/cluster/slurm.sh: a throw-away cluster in $dir.
ClusterName=mcpo
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock,cred_expire=5
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1
ReturnToService=1
JobRequeue=0
SlurmdTimeout=5
MessageTimeout=5
TCPTimeout=2
KillWait=2
InactiveLimit=0
MailProg=/bin/true
MinJobAge=300
NodeName=n[1-3] NodeHostname=$host NodeAddr=127.0.0.1 Port=[$((base + 1))-$((base + 3))] CPUs=1 State=UNKNOWN
PartitionName=debug Nodes=n[1-3] Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$conf
    env MCPO_SLURM_DIR="$dir" slurmctld -f "$conf" 9>&- || fail_start "slurmctld did not start (log: $dir/log/slurmctld.log)"
    for n in "${nodes[@]}"; do start_slurmd "$n"; done
    deadline=$((SECONDS + ${MCPO_SLURM_TIMEOUT:-30}))
    while :; do   # all four ports listened on: the lock can go
        port_free "$base" || port_free $((base + 1)) || port_free $((base + 2)) || port_free $((base + 3)) || break
        [ "$SECONDS" -lt "$deadline" ] || fail_start "the daemons do not listen on ports $base..$((base + 3))"
        sleep 0.1
    done
    exec 9>&-
    while :; do
        idle=$(sinfo -h -N -o '%N %t' 2>/dev/null | awk '$2 == "idle"' | sort -u | wc -l)
        [ "$idle" = 3 ] && break
        [ "$SECONDS" -lt "$deadline" ] || { sinfo -N >&2 || true; fail_start "n1..n3 not idle after ${MCPO_SLURM_TIMEOUT:-30} s"; }
        sleep 0.2
    done
    cat >"$dir/env" <<ENV
# Source this (. $dir/env) for sbatch, squeue, scontrol, sinfo and scancel on the cluster in $dir.
export SLURM_CONF=$conf
export MCPO_SLURM_CLUSTER=$dir
export MCPO_SLURM_MUNGE_SOCKET=$sock
ENV
    echo "slurm.sh: cluster up in $dir (slurmctld on 127.0.0.1:$base, slurmd n1..n3 on $((base + 1))..$((base + 3))); . $dir/env" >&2
    ;;
stop)
    [ $# -eq 2 ] || usage
    [ -d "$dir" ] || exit 0
    kill_all
    rm -f "$dir/munge/munge.socket" "$dir/munge/munge.socket.lock"
    ;;
node-down)
    node_arg "$@"
    scontrol update nodename="$3" state=down reason=test
    ;;
kill-node)
    node_arg "$@"
    kill_all "$3"
    ;;
kill-slurmd)
    node_arg "$@"
    for p in $(marked "$3"); do
        [ "$(ps -o comm= -p "$p" 2>/dev/null)" = slurmd ] && kill -KILL "$p" 2>/dev/null && wait_gone 5 "$p"
    done
    ;;
node-up)
    node_arg "$@"
    pid=$(cat "$dir/run/slurmd-$3.pid" 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then start_slurmd "$3"; fi
    # A node DOWN for not responding returns by itself once its slurmd registers
    # (ReturnToService=1); one set down by hand is resumed here.
    deadline=$((SECONDS + ${MCPO_SLURM_TIMEOUT:-30})); resumed=
    while :; do
        state=$(sinfo -h -n "$3" -o %t 2>/dev/null || true)
        case "$state" in
        idle|alloc|mix) break ;;
        down|drain|drng|fail) [ -n "$resumed" ] || scontrol update nodename="$3" state=resume 2>/dev/null || true; resumed=1 ;;
        esac
        [ "$SECONDS" -lt "$deadline" ] || { logs; die "$3 is $state, not up, after ${MCPO_SLURM_TIMEOUT:-30} s"; }
        sleep 0.2
    done
    ;;
status)
    [ $# -eq 2 ] || usage
    export SLURM_CONF=$conf
    sinfo -N; squeue
    ;;
*) usage ;;
esac
