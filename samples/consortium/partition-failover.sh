#!/usr/bin/env bash
# Measures failover while the leader is cut off, N times, on a 3-node consortium started by start-3-nodes.sh:
#   samples/consortium/partition-failover.sh [directory] [rounds]      (defaults: ./consortium, 20)
# Each round SIGSTOPs the leader (its peers' connections then hang, as over a cut link: nothing is refused), while
# `careledger probe` trickles transactions at the two other nodes; the longest gap between their commits is the time from the
# cut to the first commit under a new leader. After 5 s the leader is resumed (SIGCONT) and the nodes get 4 s to agree.
# Prints one line per round and a summary; every node must end at the same height, none diverged or marked faulty.
set -euo pipefail
dir="${1:-consortium}"
rounds="${2:-20}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cli="dotnet $root/src/CareLedger.Cli/bin/Release/net10.0/careledger.dll"
key="$dir/node1/keys/admin.key"
gaps=()
for round in $(seq 1 "$rounds"); do
  leader=$(curl -fs http://127.0.0.1:5081/api/v1/consensus | grep -oE '"leader":"[^"]*"' | grep -oE '700[0-9]' | tail -c 2)
  followers=$(for i in 1 2 3; do if [ "$i" != "$leader" ]; then printf 'http://127.0.0.1:508%s,' "$i"; fi; done)
  $cli probe --nodes "${followers%,}" --key "$key" --duration 9 --interval-ms 20 > "$dir/probe-$round.json" &
  probe=$!
  sleep 2
  kill -STOP "$(cat "$dir/node$leader.pid")"
  sleep 5
  kill -CONT "$(cat "$dir/node$leader.pid")"
  wait $probe
  gap=$(tr -d ' \n' < "$dir/probe-$round.json" | grep -oE '"longestGapsMs":\[[0-9.]+' | grep -oE '[0-9.]+$')
  gaps+=("$gap")
  sleep 4
  echo "round $round: node$leader cut off, longest commit gap ${gap} ms"
done
printf '%s\n' "${gaps[@]}" | sort -n | awk '{a[NR]=$1} END {printf "failover over %d partitions: min %d ms, median %d ms, p90 %d ms, max %d ms\n", NR, a[1], a[int((NR+1)/2)], a[int(NR*0.9+0.5)], a[NR]}'
for i in 1 2 3; do
  curl -fs "http://127.0.0.1:508$i/api/v1/consensus" | grep -oE '"height":[0-9]+|"faultyValidators":\[[^]]*\]|"divergence":[^,}]*' | tr '\n' ' '; echo " (node$i)"
done
