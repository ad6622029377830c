#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback, for tests.
#
#   scripts/cluster/postgres.sh start DIR [PORT]   initdb DIR/data (trust auth, superuser postgres)
#                                                  unless it exists, start on 127.0.0.1:PORT (default
#                                                  $MCPO_PG_PORT or 55432; a taken port is replaced by
#                                                  the next free one, said on stderr), log to DIR/log,
#                                                  socket in DIR; prints the URL on stdout, one line,
#                                                  and writes it to DIR/url (the port to DIR/port)
#   scripts/cluster/postgres.sh stop DIR           pg_ctl -m immediate stop; waits until the server
#                                                  and its children are gone. Idempotent: nothing
#                                                  running is fine (safe in a trap ... EXIT)
#
# URL: postgres://postgres@127.0.0.1:PORT/postgres. Another database:
#   createdb -h 127.0.0.1 -p PORT -U postgres NAME      (URL .../NAME)
# MCPO_PG_OPTIONS: more server options, e.g. "-c fsync=off" (faster; a crash of the server alone
# loses nothing committed even so, only one of the machine would).
# As root the server runs as the user postgres (DIR is chowned to it; DIR's parents must let
# postgres in); as another user, as that user. DIR is kept by stop (rm -rf it yourself).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
die() { echo "postgres.sh: error: $*" >&2; exit "${rc:-1}"; }
usage() { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1; dir=$(abspath "$2")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || rc=2 die "no PostgreSQL server binaries (apt-get install postgresql)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
    [ $# -le 3 ] || usage
    want=${3:-${MCPO_PG_PORT:-55432}}
    case "$want" in ''|*[!0-9]*) die "bad port: $want" ;; esac
    [ ${#dir} -le 90 ] || die "$dir is too long a path for the server's socket in it (at most 90 characters)"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg test -w "$dir" -a -x "$dir" || die "$dir is not writable by $(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi) (a parent directory closed to it?)"
    if [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        die "a server already runs in $dir/data ($(cat "$dir/url" 2>/dev/null || echo 'no url'))"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg "$bin/initdb" -A trust -U postgres -D "$dir/data" >"$dir/initdb.log" 2>&1 \
            || { tail -20 "$dir/initdb.log" >&2; die "initdb failed (log: $dir/initdb.log)"; }
    fi
    port=$want; tries=0
    while :; do
        tries=$((tries + 1)); [ "$tries" -le 50 ] || die "no free port from $want to $port"
        if ! port_free "$port"; then port=$((port + 1)); continue; fi
        as_pg touch "$dir/log"
        start_at=$(wc -c <"$dir/log")
        if as_pg "$bin/pg_ctl" -D "$dir/data" -o "-c listen_addresses=127.0.0.1 -p $port -k $dir ${MCPO_PG_OPTIONS:-}" \
                -l "$dir/log" -w -t 60 start >/dev/null 2>&1; then
            break
        fi
        # Taken between the check and the bind (another test starting): try the next port.
        if tail -c +"$((start_at + 1))" "$dir/log" | grep -q "could not bind\|Address already in use"; then
            port=$((port + 1)); continue
        fi
        tail -20 "$dir/log" >&2
        die "pg_ctl start failed (log: $dir/log)"
    done
    [ "$port" = "$want" ] || echo "postgres.sh: port $want is taken, using $port" >&2
    url="postgres://postgres@127.0.0.1:$port/postgres"
    echo "$port" >"$dir/port"; echo "$url" >"$dir/url"
    echo "$url"
    ;;
stop)
    [ $# -eq 2 ] || usage
    pidfile="$dir/data/postmaster.pid"
    [ -f "$pidfile" ] || exit 0
    pid=$(head -1 "$pidfile")
    kids=()
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        mapfile -t kids < <(pgrep -P "$pid" || true)
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    if [ -n "$pid" ] && ! wait_gone 30 "$pid" "${kids[@]}"; then
        kill -KILL "$pid" "${kids[@]}" 2>/dev/null || true
        wait_gone 5 "$pid" "${kids[@]}" || die "server $pid (or a child) in $dir/data is still running"
    fi
    ;;
*) usage ;;
esac
