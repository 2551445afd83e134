#!/usr/bin/env bash
# Measures failover on the network started by start-3-nodes.sh: a probe trickles transactions at all
# nodes while the leader is SIGKILLed every 10 s (and restarted 5 s later). The probe's longest gaps
# between commits are the failover times (leader's death → first commit under a new leader).
#   samples/consortium/failover.sh [directory] [rounds]      (default: ./consortium 5)
set -euo pipefail
dir="${1:-consortium}"
rounds="${2:-5}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cli="$root/src/CareLedger.Cli/bin/Release/net10.0/careledger.dll"
dotnet "$cli" probe --nodes http://127.0.0.1:5081,http://127.0.0.1:5082,http://127.0.0.1:5083 \
  --key "$dir/node1/keys/admin.key" --duration $((rounds * 10 + 8)) >"$dir/probe.json" &
probe=$!
sleep 5
for round in $(seq 1 "$rounds"); do
  leader=""
  for i in 1 2 3; do
    leader="$(curl -fs "http://127.0.0.1:508$i/api/v1/consensus" | sed -n 's/.*"leader":"127.0.0.1:700\([0-9]\)".*/\1/p' || true)"
    [ -n "$leader" ] && break
  done
  echo "round $round: SIGKILL node$leader"
  kill -9 "$(cat "$dir/node$leader.pid")"
  sleep 5
  nohup dotnet "$cli" node run --consensus raft --data "$dir/node$leader" >>"$dir/node$leader.log" 2>&1 &
  echo $! >"$dir/node$leader.pid"
  sleep 5
done
wait "$probe"
cat "$dir/probe.json"
