#!/bin/bash
# CareLedger next to PostgreSQL 15 in one run on one machine (issue 19's table in docs/performance.md).
#   samples/bench/side-by-side.sh OUT [SECONDS]
# PostgreSQL: ../shared/bench/pg-reference (durable single-row inserts, synchronous_commit=on) at 1, 8 and 32 clients.
# CareLedger: a fresh solo node (Release build, port 5080) per workload; 15 s of unmeasured load first (the JIT's tiers settle),
# then SECONDS (default 15) measured. One JSON line per run in OUT.
# Build first: dotnet build -c Release src/CareLedger.Cli
set -u
out=$1; secs=${2:-15}
root="$(cd "$(dirname "$0")/../.." && pwd)"
cli="$root/src/CareLedger.Cli/bin/Release/net10.0/careledger.dll"
pg="$root/../shared/bench/pg-reference"
: > "$out"
if [ -x "$pg" ]; then "$pg" 1,8,32 "$secs" 2>/dev/null | sed 's/^/pg /' >> "$out"; fi

run() {  # name, bench arguments...
  local name=$1; shift
  local d; d=$(mktemp -d)
  dotnet "$cli" node run --data "$d/node" > "$d/node.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:5080/api/v1/health >/dev/null && break; sleep 0.2; done
  echo "$name $(dotnet "$cli" bench --key "$d/node/keys/admin.key" --warmup 15 --duration "$secs" --receipts 0 "$@" 2>/dev/null | tr -d '\n ')" >> "$out"
  kill $pid; wait $pid 2>/dev/null; rm -rf "$d"
}

for c in 1 8 32; do run "notary-single-$c" --workload notary --clients $c --batch 1 --transactions $(( 8000 * (secs + 15) )); done
run notary-8x500 --workload notary --clients 8 --batch 500
for c in 1 32; do run "fhir-read-$c" --workload fhir-read --clients $c --batch 1; done
for w in fhir-create consent dispense claim mixed; do run "$w-32" --workload $w --clients 32 --batch 1; done
# p99 at half the batched maximum: the open-loop rate is half of what notary-8x500 committed.
max=$(grep '^notary-8x500 ' "$out" | grep -o '"committedPerSecond":[0-9]*' | cut -d: -f2)
run "notary-8x500-half" --workload notary --clients 8 --batch 500 --rate $(( ${max:-10000} / 2 ))
echo done >> "$out"
