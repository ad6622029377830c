# Sourced by postgres.sh and slurm.sh: small helpers shared by the throw-away servers.
# shellcheck shell=bash

# port_free PORT: true when no TCP socket on this machine uses PORT as its local port (any state,
# any address; TIME_WAIT counts as taken). Without ss, falls back to a connect on 127.0.0.1.
port_free() {
    if command -v ss >/dev/null 2>&1; then
        [ -z "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
    else
        ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# abspath PATH: PATH made absolute (the directory need not exist).
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }

# wait_gone SECONDS PID...: waits until none of the PIDs is alive; false on timeout.
wait_gone() {
    local limit=$1 p alive; shift
    local deadline=$((SECONDS + limit))
    while :; do
        alive=0
        for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}
