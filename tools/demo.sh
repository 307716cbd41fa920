#!/usr/bin/env bash
# The main job on its embedded default: installs what is missing, builds release binaries, generates a
# deterministic sample workload (StackStorm, Stroma and Selinon traffic), ingests it into a fresh log
# directory (default ./tracelog-demo), and shows what is in it: stats, the newest traces, one trace with a
# rule that fires repeatedly and the causation chain of its last execution, and a full verify.
#   tools/demo.sh [LINES]   (default 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/prerequisites.sh

lines=${1:-200000}
log=${TRACELOG_DEMO_DIR:-./tracelog-demo}
swift build -c release --product tracelog >&2
swift build -c release --product tracelog-workload >&2
bin=$(swift build -c release --show-bin-path)

rm -rf "$log"
echo "== generating $lines events (seed 1) and ingesting them into $log"
start=$(date +%s.%N)
"$bin/tracelog-workload" --seed 1 --count "$lines" | "$bin/tracelog" ingest --log "$log" --durability interval -
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$lines" 'BEGIN { printf "ingest took %.2f s (%.0f events/s, generation included)\n", e - s, n / (e - s) }'

echo; echo "== tracelog stats --log $log"
"$bin/tracelog" stats --log "$log"

echo; echo "== tracelog trace list --log $log -n 5"
"$bin/tracelog" trace list --log "$log" -n 5

trace=$("$bin/tracelog" trace list --log "$log" --rule ops.chain_next_step -n 1 | awk 'NR == 3 { print $1 }')
echo; echo "== tracelog trace get $trace --log $log --hide-noop-triggers"
"$bin/tracelog" trace get "$trace" --log "$log" --hide-noop-triggers

execution=$("$bin/tracelog" trace get "$trace" --log "$log" --show-executions | awk 'NR > 3 { id = $1 } END { print id }')
echo; echo "== causation chain of its last execution: tracelog trace get $trace -e $execution --log $log"
"$bin/tracelog" trace get "$trace" -e "$execution" --log "$log"

echo; echo "== tracelog verify --log $log"
"$bin/tracelog" verify --log "$log"
