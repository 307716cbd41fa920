#!/usr/bin/env bash
# Drives HTTP ingest of `tracelog serve` over loopback with wrk, once per durability mode, and prints
# events/s and latency percentiles for POST /v1/events batches and for single webhooks.
#   tools/load/load.sh [SECONDS] [MODES]      e.g. tools/load/load.sh 10 "sync interval none"
# Environment: CONNECTIONS (default 16), THREADS (wrk threads, default 1), BATCH (events per /v1/events
# request, default 100), TRACELOG (a tracelog binary to use instead of building a release one).
# Each mode gets a fresh log in a temporary directory, removed afterwards. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-10}
modes=${2:-"sync interval none"}
connections=${CONNECTIONS:-16}
threads=${THREADS:-1}
export BATCH=${BATCH:-100}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [[ -z "${TRACELOG:-}" ]]; then
    swift build -c release --product tracelog >&2
    TRACELOG="$(swift build -c release --show-bin-path)/tracelog"
fi

work=$(mktemp -d)
server=""
stop_server() {
    if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server"
        wait "$server" || true
    fi
    server=""
}
trap 'stop_server; rm -rf "$work"' EXIT

# Starts the server on a free loopback port; sets $server and $port.
start_server() {
    local mode=$1
    rm -rf "$work/log"
    "$TRACELOG" serve --log "$work/log" --port 0 --durability "$mode" >"$work/server.out" 2>"$work/server.err" &
    server=$!
    for _ in $(seq 1 100); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/server.out")
        [[ -n "$port" ]] && return 0
        sleep 0.1
    done
    echo "the server did not start:" >&2
    cat "$work/server.err" >&2
    exit 1
}

printf '%-9s %-8s %12s %10s %10s %10s %10s %8s\n' mode route events/s req/s p50_ms p90_ms p99_ms non2xx
for mode in $modes; do
    start_server "$mode"
    for route in events webhook; do
        result=$(wrk --threads "$threads" --connections "$connections" --duration "${seconds}s" --timeout 10s \
            --script "tools/load/$route.lua" "http://127.0.0.1:$port" | grep '^RESULT')
        value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
        printf '%-9s %-8s %12s %10s %10s %10s %10s %8s\n' "$mode" "$route" "$(value events_per_s)" \
            "$(value requests_per_s)" "$(value p50_ms)" "$(value p90_ms)" "$(value p99_ms)" "$(value non2xx)"
    done
    fsyncs=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^tracelog_fsync_total/ { print $2 }')
    records=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^tracelog_records_appended_total/ { print $2 }')
    echo "          ($mode: ${records:-0} records appended, ${fsyncs:-0} fdatasync calls)"
    stop_server
done
