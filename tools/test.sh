#!/usr/bin/env bash
# The test command: installs what is missing, builds everything with our own code warning-free, and runs the
# whole test suite (Swift Testing). Slow soak and fuzz runs are separate tools (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/prerequisites.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Warnings in our sources are errors; dependencies' warnings are not ours to fix.
if ! swift build --build-tests 2>&1 | tee "$log"; then
    exit 1
fi
if grep -E "^$(pwd)/(Sources|Tests|tools)/.*: warning:" "$log"; then
    echo "error: the build has warnings in TraceLog's own code (listed above)" >&2
    exit 1
fi
swift test --skip-build "$@"

# Allocation counts per operation: the only performance numbers stable enough on these machines to gate
# (wall-clock comparisons are tools/bench.sh). Thresholds are committed in Benchmarks/Thresholds.
if [ "${TRACELOG_SKIP_ALLOCATION_GATE:-0}" != "1" ]; then
    swift package --package-path Benchmarks benchmark thresholds check --path Benchmarks/Thresholds
fi
