#!/usr/bin/env bash
# bench/queues/run.sh [OUT_DIR] — issue 13's queue bench: a burst of BURST uploads while the mixed workload runs,
# before and after the queue split, same build, same machine, runs interleaved (before, after, before, ...).
#
# Each run starts a fresh `scalegram serve --role all` (embedded SQLite queue) on 127.0.0.1:18301 in a temp data
# dir, runs `scalegram bench --scenario upload-burst` against it, and stops it:
#   before  --Messaging:SingleQueue=true: one pool of Messaging:Concurrency workers claims from every queue in
#           arrival order (how the embedded queue worked before the split), so likes' and follows' side effects
#           and feed fan-out wait behind the photo backlog;
#   after   the default: each queue (photos, feed, social, maintenance) has its own workers
#           (Messaging:Queues:{queue}:Concurrency, default Messaging:Concurrency).
# Both use the same photo concurrency (Messaging:Concurrency, default max(2, cores)).
# Prints a table and writes it with the raw JSON of every run to OUT_DIR (default bench/queues/results).
#
# Env: BURST (500) MIXED_RATE (20 req/s) USERS (50) ROUNDS (1) SKIP_BUILD (0)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results}
BURST=${BURST:-500}
MIXED_RATE=${MIXED_RATE:-20}
USERS=${USERS:-50}
ROUNDS=${ROUNDS:-1}
PORT=18301
dll=$root/src/Scalegram/bin/Release/net10.0/scalegram.dll

if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT is in use" >&2; exit 1; fi
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/src/Scalegram" -c Release -nologo -v q >/dev/null
fi

mkdir -p "$out"
work=$(mktemp -d /tmp/scalegram-benchq.XXXXXX)
node=
cleanup() {
  local rc=$?
  if [[ $rc != 0 ]]; then cp "$work"/*.log "$out"/ 2>/dev/null || true; echo "failed; server logs copied to $out" >&2; fi
  if [[ -n $node ]]; then
    kill -TERM "$node" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$node" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$node" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

run() { # label, extra settings...
  local label=$1; shift
  local data=$work/$label-$round
  dotnet "$dll" serve --role all --urls "http://127.0.0.1:$PORT" --data-dir "$data" \
    --Logging:LogLevel:Default=Warning --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 "$@" \
    >"$work/$label-$round.log" 2>&1 &
  node=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$PORT/healthz/ready" >/dev/null 2>&1 && break
    kill -0 "$node" 2>/dev/null || { cat "$work/$label-$round.log" >&2; exit 1; }
    sleep 0.2
  done
  dotnet "$dll" bench --scenario upload-burst --url "http://127.0.0.1:$PORT" --rate "$MIXED_RATE" --users "$USERS" \
    --burst "$BURST" --label "$label" --out "$out/$label-$round" | tee "$work/bench-$label-$round.txt" | grep -v '^|' || true
  grep "^| $label " "$work/bench-$label-$round.txt" >>"$work/rows"
  kill -TERM "$node"; wait "$node" 2>/dev/null || true; node=
}

: >"$work/rows"
for round in $(seq 1 "$ROUNDS"); do
  run before --Messaging:SingleQueue=true
  run after
done

{
  echo "# Queue bench: a burst of $BURST uploads during the mixed workload ($MIXED_RATE req/s)"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), embedded SQLite queue,"
  echo "\`scalegram serve --role all\`, Messaging:Concurrency default ($(( $(nproc) > 2 ? $(nproc) : 2 ))), 640×480 JPEGs, $USERS users."
  echo "before = \`--Messaging:SingleQueue=true\` (one pool, arrival order across queues); after = a worker loop per queue."
  echo "Job waits are the server's scalegram_queue_job_wait_seconds histogram over the burst (enqueue → start, first attempts)."
  echo
  grep -m2 "^|" "$work/bench-before-1.txt"
  cat "$work/rows"
} >"$out/results.md"
cat "$out/results.md"
