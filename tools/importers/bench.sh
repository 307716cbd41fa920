#!/usr/bin/env bash
# Importer throughput next to native ingest, in one run on the same machine (issue #13: "importers at the same
# speed"). Builds the release `tracelog` and `tracelog-workload` (the Benchmarks package's build, as tools/bench.sh
# does), makes about EVENTS events of each format (tools/importers/make-inputs.py: the committed fixtures copied
# with fresh ids; native lines from `tracelog-workload --seed 7`), ingests each into a fresh log with
# `tracelog ingest --format F --durability interval --quiet`, and prints a markdown table: events, wall and CPU
# seconds, events/s, peak RSS, and each format's events/s as a share of native's (native runs first and last;
# the share uses their mean, and both are shown so drift is visible).
#
#   bash tools/importers/bench.sh [EVENTS]      default 500000; WORK=DIR keeps the inputs there
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-500000}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install -y time)" >&2; exit 1; }
swift build -c release --package-path Benchmarks --product tracelog >&2
swift build -c release --package-path Benchmarks --product tracelog-workload >&2
bin=$(swift build -c release --package-path Benchmarks --show-bin-path)

input() { # format → path of an input of about $events events
    local format=$1 path="$work/$1-$events.input"
    if [ ! -s "$path" ]; then
        if [ "$format" = native ]; then
            "$bin/tracelog-workload" --seed 7 --count "$events" > "$path"
        else
            python3 tools/importers/make-inputs.py "$format" 1 > "$work/one.input"
            rm -rf "$work/one.log"
            local per
            per=$("$bin/tracelog" ingest --log "$work/one.log" --format "$format" --durability none --quiet \
                "$work/one.input" | awk '{print $1}')
            python3 tools/importers/make-inputs.py "$format" $(( (events + per - 1) / per )) > "$path"
        fi
    fi
    echo "$path"
}

run() { # format → "events wall user sys rss_kb"
    local format=$1 path log="$work/log"
    path=$(input "$format")
    rm -rf "$log"
    cat "$path" > /dev/null  # in the page cache, as for every format
    sync
    local out
    out=$( { /usr/bin/time -f "TIME %e %U %S %M" "$bin/tracelog" ingest --log "$log" --format "$format" \
        --durability interval --quiet "$path"; } 2>&1 )
    local ingested
    ingested=$(echo "$out" | awk '/ingested/ {print $1}')
    echo "$ingested $(echo "$out" | awk '/^TIME/ {print $2, $3, $4, $5}')"
}

declare -A result
for format in native selinon stroma st2; do input "$format" >/dev/null; done
result[native1]=$(run native)
for format in selinon stroma st2; do result[$format]=$(run "$format"); done
result[native2]=$(run native)

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
native_rate=$(awk -v a="$(set -- ${result[native1]}; rate $1 $2)" -v b="$(set -- ${result[native2]}; rate $1 $2)" \
    'BEGIN { printf "%.0f", (a + b) / 2 }')
echo "| input | events | wall s | user s | sys s | events/s | peak RSS MB | share of native |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for key in native1 selinon stroma st2 native2; do
    set -- ${result[$key]}
    r=$(rate "$1" "$2")
    share=$(awk -v r="$r" -v n="$native_rate" 'BEGIN { printf "%.0f%%", 100 * r / n }')
    echo "| $key | $1 | $2 | $3 | $4 | $r | $(( $5 / 1024 )) | $share |"
done
