#!/usr/bin/env bash
# Stops the nodes started by start-3-nodes.sh (SIGTERM: a clean shutdown) and waits until they are gone.
set -euo pipefail
dir="${1:-consortium}"
for pidfile in "$dir"/node*.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
done
