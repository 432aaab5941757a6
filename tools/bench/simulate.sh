#!/usr/bin/env bash
# Simulator throughput: 10,000 customers over 90 days of synthetic events through `journeys simulate`.
# Under the workspace contact policy, as the engine and tools/bench/simulatorThroughput.ts apply it.
# Prints the CLI's own timing line (events/s) and the machine it ran on.
set -euo pipefail
cd "$(dirname "$0")/../.."
customers=${CUSTOMERS:-10000}
days=${DAYS:-90}
data=${TMPDIR:-/tmp}/journeys-bench-events-$customers-$days.ndjson
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, node $(node --version)"
npx tsx tools/scripts/generateEvents.ts --customers "$customers" --days "$days" --out "$data"
npx tsx cli/journeys.ts simulate "$data" --playbooks playbooks > "$data.decisions"
echo "decisions: $(wc -l < "$data.decisions") lines in $data.decisions"
