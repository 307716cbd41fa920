#!/usr/bin/env bash
# Fuzzes the decoders with libFuzzer and AddressSanitizer: every target (or the ones named) for MINUTES each,
# one after the other. Default 5 minutes.
#
#   bash tools/fuzz.sh [MINUTES] [TARGET...]      targets: batch record index lz4 native roundtrip otlp stroma stack
#
# Builds tracelog-fuzz in release mode with -sanitize=fuzzer,address into .build-fuzz (a scratch path of its
# own: the flags instrument every Swift module of its graph; -O keeps bounds and overflow checks and runs the
# targets 3-4x faster than a debug build). Reads the committed seeds in tools/fuzz/Corpus/<target>; new
# inputs go to .build-fuzz/corpus/<target> (kept between runs); crashes, failed checks, timeouts and
# out-of-memory inputs go to .build-fuzz/artifacts/<run time>/<target>/.
# Prints per target: executions, seconds, executions per second, coverage, and whether anything was found;
# exit status 1 if anything was. Reproduce a finding with
#   .build-fuzz/release/tracelog-fuzz run TARGET .build-fuzz/artifacts/<run time>/TARGET/crash-…
# and once fixed, copy it to tools/fuzz/Corpus/TARGET/regression-<what>.bin (the tests replay it).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/prerequisites.sh

minutes=${1:-5}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(batch record index lz4 native roundtrip otlp stroma stack)

scratch=.build-fuzz
flags=(-c release --scratch-path "$scratch" --product tracelog-fuzz
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DTRACELOG_FUZZING)
swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)/tracelog-fuzz"

export SWIFT_BACKTRACE=enable=no
run="$scratch/artifacts/$(date +%Y%m%d-%H%M%S)"
found=0
summary=()
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    artifacts="$run/$target"
    log="$run/$target.log"
    mkdir -p "$corpus" "$artifacts"
    options=(-max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/")
    [ -f "tools/fuzz/$target.dict" ] && options+=(-dict="tools/fuzz/$target.dict")
    echo "fuzzing $target for $minutes min (log: $log)" >&2
    status=0
    "$bin" "$target" "${options[@]}" "$corpus" "tools/fuzz/Corpus/$target" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 || true)
    findings=$(find "$artifacts" -type f 2>/dev/null | wc -l)
    if [ "$status" -ne 0 ] || [ "$findings" -gt 0 ]; then
        found=1
        result="FOUND something (exit $status, $findings file(s) in $artifacts)"
    else
        result="nothing found"
    fi
    summary+=("$(printf '%-10s %10s execs %5ss %7s exec/s  %-34s %s' "$target" "${runs:-?}" "${seconds:-?}" \
        "${rate:-?}" "${coverage:-cov: ?}" "$result")")
done
printf '%s\n' "${summary[@]}"
exit $found
