#!/usr/bin/env bash
# Screenshots the web trace viewer in headless Chromium: builds, ingests a generated workload into a fresh log,
# starts `tracelog serve` on a free loopback port, opens a trace with a rule cascade, saves the PNG, and stops
# the server.
#   tools/viewer-screenshot.sh [OUTPUT.png]    (default ./tracelog-viewer.png)
# Environment: SCRATCH (swift build scratch path, default .build), EVENTS (workload lines, default 20000).
# Needs chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

output=$(realpath -m "${1:-tracelog-viewer.png}")
scratch=${SCRATCH:-.build}
events=${EVENTS:-20000}
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 1; }

swift build --scratch-path "$scratch" --product tracelog >&2
swift build --scratch-path "$scratch" --product tracelog-workload >&2
bin=$(swift build --scratch-path "$scratch" --show-bin-path)

work=$(mktemp -d)
server=""
cleanup() {
    if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/tracelog-workload" --seed 7 --count "$events" --mix stackstorm=1 --output "$work/events.jsonl"
"$bin/tracelog" ingest --log "$work/log" --durability none "$work/events.jsonl" >&2

# The trace with the most components among those where a rule fires in a chain.
trace=$("$bin/tracelog" trace list --log "$work/log" --rule ops.chain_next_step -n 20 --json |
    jq -r '.traces | max_by(.components | length) | .id')
[[ -n "$trace" && "$trace" != null ]] || { echo "no cascading trace in the workload" >&2; exit 1; }

"$bin/tracelog" serve --log "$work/log" --port 0 >"$work/server.out" 2>"$work/server.err" &
server=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/server.out")
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || { echo "the server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }

url="http://127.0.0.1:$port/#/trace/$trace"
echo "screenshot of $url" >&2
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000 \
    --user-data-dir="$work/chromium" --screenshot="$output" --window-size=1400,1000 "$url" 2>"$work/chromium.err" ||
    { cat "$work/chromium.err" >&2; exit 1; }
echo "$output"
