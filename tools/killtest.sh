#!/usr/bin/env bash
# The long kill -9 run (opt-in; the test suite runs 30 iterations): SIGKILLs a sync-mode writer child at
# random moments — during appends, segment rolls, index sealing and retention — and after each kill checks
# that every acknowledged record is there, with no gap or duplicate, and that index lookups equal a full scan.
#   tools/killtest.sh [ITERATIONS] [SEED]    (default 1000 iterations, seed 1)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/prerequisites.sh
swift build -c release --product tracelog-crashtest >&2
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
"$(swift build -c release --show-bin-path)/tracelog-crashtest" loop "$directory" --iterations "${1:-1000}" --seed "${2:-1}"
