#!/usr/bin/env bash
# Stops what deploy/swift/start.sh DIR started, by the PIDs it wrote (TERM, then KILL after 5 s).
set -uo pipefail
dir=${1:?usage: stop.sh DIR}
[ -f "$dir/pids" ] || exit 0
mapfile -t pids <"$dir/pids"
kill -TERM "${pids[@]}" 2>/dev/null
for _ in $(seq 50); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" -eq 0 ] && break
  sleep 0.1
done
kill -KILL "${pids[@]}" 2>/dev/null
: >"$dir/pids"
exit 0
