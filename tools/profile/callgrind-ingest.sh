#!/usr/bin/env bash
# Instruction counts per pipeline stage of `tracelog ingest`, repeatable on a shared machine (wall-clock is not).
#
#   bash tools/profile/callgrind-ingest.sh [LINES] [FORMAT-ARGS...]
#
# Builds the release `tracelog` (the Benchmarks package's build, as tools/bench.sh does), generates LINES native
# lines (default 100000, `tracelog-workload --seed 7`) unless $INPUT names a file, and runs
# `tracelog ingest --durability interval --quiet` under `valgrind --tool=callgrind`. `BIN=path` profiles an
# already-built release `tracelog` instead (e.g. `.build/release/tracelog` of the main package). Prints the inclusive
# instructions per event of each stage's entry point: the parse thread, the ingest thread (conversion and
# resolution), the write thread (encode, LZ4, pwrite, index hand-off) and closing (index persist).
#
# Valgrind 3.19 needs two work-arounds with this toolchain: DWARF 5 debug info is stripped from a copy of the
# binary, and `sigsuspend` is preloaded from a shim that copies its mask into writable memory (valgrind writes
# into the mask, which libdispatch keeps in read-only memory, and dies with SIGSEGV at the first dispatch thread).
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=${1:-100000}
shift || true
work=${WORK:-$(mktemp -d)}
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    swift build -c release --package-path Benchmarks --product tracelog >&2
    bin=Benchmarks/.build/x86_64-unknown-linux-gnu/release/tracelog
fi
cp "$bin" "$work/tracelog" && strip --strip-debug "$work/tracelog"
cat > "$work/sigsuspend.c" <<'C'
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
C
cc -shared -fPIC -O2 -o "$work/sigsuspend.so" "$work/sigsuspend.c"
input=${INPUT:-$work/lines.jsonl}
if [ ! -f "$input" ]; then
    swift build -c release --product tracelog-workload >&2
    .build/release/tracelog-workload --seed 7 --count "$lines" > "$input"
fi
events=$(wc -l < "$input")
rm -rf "$work/log"
LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$work/tracelog" ingest --log "$work/log" --durability interval --quiet "$@" "$input" >&2
callgrind_annotate --inclusive=yes --threshold=100 "$work/callgrind.out" 2>/dev/null > "$work/annotate.txt"
total=$(grep -m1 "PROGRAM TOTALS" "$work/annotate.txt" | awk '{gsub(",","",$1); print $1}')
stage() { # name, pattern of the entry point's symbol
    local ir
    ir=$(grep -m1 -E "$2" "$work/annotate.txt" | awk '{gsub(",","",$1); print $1}')
    printf '%-14s %8d Ir/event\n' "$1" $(( ${ir:-0} / events ))
}
echo "events: $events (input $input), callgrind output in $work"
stage parse 'Pipeline.*run.*reader.*converter.*closure|PipelineV3run6reader9converter.*fU_'
stage ingest 'IngestQueue.*drain|IngestQueueC5drain'
stage write 'WriteStage.*write.*expected.*closure|WriteStage.*write_8expected.*fU_'
stage close 'WritableTraceStore.*close|WritableA5StoreC5close'
printf '%-14s %8d Ir/event\n' process $(( total / events ))
