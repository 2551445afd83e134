#!/bin/bash
# Three consortium nodes on loopback, per configuration TRANSPORT:WAIT_MS (tcp or tls, the leader's block wait): one client's
# single submissions (15 s) and 8 clients x 500 (20 s), both sent to the leader, one line per configuration in OUT.
#   samples/consortium/bench-transport.sh OUT "tcp:20 tls:20"
# Uses ports 5081-5083 and 7001-7003 and the Release CLI (dotnet build -c Release src/CareLedger.Cli first).
out=$1; shift
cli="$(cd "$(dirname "$0")/../.." && pwd)/src/CareLedger.Cli/bin/Release/net10.0/careledger.dll"
: > $out
for cfg in $1; do
  mode=${cfg%%:*}; wait=${cfg##*:}
  d=$(mktemp -d)/net; rm -rf $d
  if [ $mode = tls ]; then dotnet $cli network init --dir $d --nodes 3 --tls >/dev/null; else dotnet $cli network init --dir $d --nodes 3 >/dev/null; fi
  for i in 1 2 3; do nohup dotnet $cli node run --consensus raft --data $d/node$i --block-max-wait-ms $wait > $d/node$i.log 2>&1 & echo $! > $d/node$i.pid; done
  for i in 1 2 3; do for _ in $(seq 1 150); do curl -fs http://127.0.0.1:508$i/api/v1/consensus | grep -q '"leader":"' && break; sleep 0.2; done; done
  t=$(curl -fs http://127.0.0.1:5081/api/v1/consensus | grep -o '"transport":"[a-z-]*"')
  # Through the leader: a follower hands each batch on to it, which adds its own block wait and an HTTP hop.
  leader=$(for i in 1 2 3; do curl -fs http://127.0.0.1:508$i/api/v1/consensus | grep -q '"isLeader":true' && echo $i; done | head -1)
  one=$(cd $d/node1 && dotnet $cli bench --node http://127.0.0.1:508$leader --key keys/admin.key --duration 15 --warmup 2 --clients 1 --batch 1 --transactions 60000 --receipts 0 2>/dev/null | tr -d '\n ')
  many=$(cd $d/node1 && dotnet $cli bench --node http://127.0.0.1:508$leader --key keys/admin.key --duration 20 --warmup 3 --clients 8 --batch 500 --transactions 400000 --receipts 0 2>/dev/null | tr -d '\n ')
  echo "$mode wait=$wait $t leader=node$leader ONE $one MANY $many" >> $out
  for i in 1 2 3; do kill $(cat $d/node$i.pid); done; sleep 3; rm -rf "$(dirname $d)"
done
echo done >> $out
