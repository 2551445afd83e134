#!/usr/bin/env bash
# Starts a 3-node CareLedger consortium on this machine (Raft over 127.0.0.1), one organisation per node.
#   samples/consortium/start-3-nodes.sh [directory]      (default: ./consortium)
# Nodes: API http://127.0.0.1:5081..5083, Raft 127.0.0.1:7001..7003; logs in <directory>/nodeN.log.
# Stop them with: samples/consortium/stop.sh [directory]
set -euo pipefail
dir="${1:-consortium}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build "$root/src/CareLedger.Cli" -c Release -v q -nologo >/dev/null
cli="$root/src/CareLedger.Cli/bin/Release/net10.0/careledger.dll"
if [ ! -f "$dir/node1/genesis.cbor" ]; then
  dotnet "$cli" network init --dir "$dir" --nodes 3 >/dev/null
fi
for i in 1 2 3; do
  nohup dotnet "$cli" node run --consensus raft --data "$dir/node$i" >"$dir/node$i.log" 2>&1 &
  echo $! >"$dir/node$i.pid"
done
for i in 1 2 3; do
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:508$i/api/v1/consensus" | grep -q '"leader":"'; then break; fi
    sleep 0.2
  done
  echo "node$i: $(curl -fs "http://127.0.0.1:508$i/api/v1/consensus")"
done
