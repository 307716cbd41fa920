#!/usr/bin/env bash
# The benchmark command: installs what is missing, builds the Benchmarks package (release), and runs
# tracelog-compare, which generates the workload once (fixed seed) and measures, in one process run,
# TraceLog next to SQLite through GRDB (WAL, five indexes, same records, same queries) and next to the
# physical ceiling (liblz4 compress/decompress and memcpy on the same bytes). Prints a markdown report.
#   tools/bench.sh                      1,000,000 lines (a few minutes)
#   tools/bench.sh --records 10000000   10,000,000 lines (tens of minutes, ~10 GB of scratch space)
#   tools/bench.sh --records 10000000 --ingest-only --sqlite-queries-only   only the ingest rows, a few minutes
#   tools/bench.sh --help               every option (--work DIR, --seed, --queries, --cold-samples, --keep)
# Cold-cache rows drop the page cache with /proc/sys/vm/drop_caches when writable (root), else with
# posix_fadvise(DONTNEED) on the files; the report says which.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/prerequisites.sh
# GNU time measures the peak RSS of `tracelog trace get --summary` in the read-path rows (the report says "not
# measured" without it).
if [ ! -x /usr/bin/time ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null || true
fi
swift build -c release --package-path Benchmarks --product tracelog-compare >&2
swift build -c release --package-path Benchmarks --product tracelog >&2   # for the `tracelog ingest` row
bin=$(swift build -c release --package-path Benchmarks --show-bin-path)
exec "$bin/tracelog-compare" "$@"
