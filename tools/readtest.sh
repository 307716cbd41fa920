#!/usr/bin/env bash
# The long cross-process concurrency check (opt-in; the test suite runs 3 readers x 1000 passes): a writer
# process appends, rolls small segments, seals their index files and deletes old ones while reader processes
# open and refresh readers over and over; every pass must see a dense prefix of exactly the appended records
# whose index lookups agree with the scan, and the final log must verify clean.
#   tools/readtest.sh [PASSES_PER_READER] [READERS] [SEED]    (default 20000 passes, 4 readers, seed 1)
# Extra options go to `tracelog-crashtest readers` through READTEST_OPTIONS, e.g.
#   READTEST_OPTIONS="--retain-records 0 --window 2000" tools/readtest.sh    (no retention)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/prerequisites.sh
swift build -c release --product tracelog-crashtest >&2
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
# shellcheck disable=SC2086
"$(swift build -c release --show-bin-path)/tracelog-crashtest" readers "$directory/run" \
    --passes "${1:-20000}" --readers "${2:-4}" --seed "${3:-1}" ${READTEST_OPTIONS:-}
