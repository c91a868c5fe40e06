#!/usr/bin/env bash
# bench/ceiling/run.sh — issue 11: each endpoint as a share of Kestrel's ceiling, every figure from one run.
#
#   bench/ceiling/run.sh [OUT_DIR]        (default: bench/ceiling/results; writes results.md and raw.csv there)
#
# Starts, on free 127.0.0.1 ports, both stopped on exit:
#   the ceiling   bench/ceiling/Ceiling: Kestrel + one minimal-API GET answering a small JSON object, nothing else
#   one node      `scalegram serve --role all`, embedded defaults (SQLite, in-process cache and queue), logs at Warning
# Seeds USERS users with PHOTOS photos each (small JPEGs, processed by the node's own worker); the reader follows
# them all, so GET /api/feed answers a full page (20 photos).
# Then wrk (-t2 -cCONNS, 2 s warm-up, DURATION s) on each target, interleaved (ceiling, live, profile, photo, me,
# feed, page — the ceiling app answering ~35 KB of feed-shaped JSON (the feed answers ~31 KB), the ceiling for an answer the feed's size —, ceiling, ...) for ROUNDS rounds; the table gives the median req/s of each and its share of the ceiling's median.
# CPU: utime+stime of each process (/proc/PID/stat) per 1000 requests, and the CPU other processes took meanwhile.
#
# PROFILE=TARGET (e.g. feed): instead of the table, profiles the node under wrk on that target with perf (JIT
# symbols from DOTNET_PerfMapEnabled) and writes the hottest functions to OUT_DIR/profile-TARGET.txt.
#
# Env: DURATION (10) ROUNDS (3) CONNS (32) WARMUP (5) USERS (10) PHOTOS (3) SKIP_BUILD (0) NODE_ARGS ("") PROFILE ("")
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-5}
USERS=${USERS:-10}
PHOTOS=${PHOTOS:-3}
NODE_ARGS=${NODE_ARGS:-}
PROFILE=${PROFILE:-}
dll=$root/src/Scalegram/bin/Release/net10.0/scalegram.dll
ceiling_dll=$here/Ceiling/bin/Release/net10.0/ceiling.dll
hz=$(getconf CLK_TCK)

. "$here/../lib.sh"
for tool in wrk vips curl python3; do
  bench_require $tool "apt-get install -y --no-install-recommends wrk libvips-tools curl python3"
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CEILING=$(free_port); NODE=$(free_port)
while [[ $NODE == "$CEILING" ]]; do NODE=$(free_port); done
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/src/Scalegram" -c Release -nologo -v q >/dev/null
  dotnet build "$here/Ceiling" -c Release -nologo -v q >/dev/null
fi

mkdir -p "$out"
work=$(bench_workdir ceiling)
raw=$out/raw.csv
bench_on_exit "$work"
trap 'echo "failed at line $LINENO: $BASH_COMMAND" >&2' ERR

echo "== ceiling :$CEILING, node :$NODE (logs in $work)"
dotnet "$ceiling_dll" --urls "http://127.0.0.1:$CEILING" >"$work/ceiling.log" 2>&1 &
bench_track $!; ceiling_pid=$!
# shellcheck disable=SC2086
DOTNET_PerfMapEnabled=$([[ -n $PROFILE ]] && echo 1 || echo 0) dotnet "$dll" serve --role all --urls "http://127.0.0.1:$NODE" --data-dir "$work/data" --Logging:LogLevel:Default=Warning \
  --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 $NODE_ARGS >"$work/node.log" 2>&1 &
bench_track $!; node_pid=$!
wait_up() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "not up: $1" >&2; tail -n 30 "$work"/*.log >&2; return 1; }
wait_up "http://127.0.0.1:$CEILING/"; wait_up "http://127.0.0.1:$NODE/healthz/ready"

api=http://127.0.0.1:$NODE/api
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
signup() { curl -sf -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"a-fine-long-passphrase\"}" "$api/accounts"; }
signin() { curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"a-fine-long-passphrase\"}" "$api/sessions" | json "['token']"; }
echo "== seeding: reader + $USERS users × $PHOTOS photos"
vips black "$work/p.jpg[Q=80]" 320 240 --bands 3
signup reader; reader=$(signin reader)
ids=()
for u in $(seq 1 "$USERS"); do
  signup "poster$u"; t=$(signin "poster$u")
  curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $reader" "$api/me/following/poster$u"
  for _ in $(seq 1 "$PHOTOS"); do
    ids+=("$(curl -sf -H "Authorization: Bearer $t" -F "file=@$work/p.jpg" "$api/photos" | json "['id']")")
  done
done
for id in "${ids[@]}"; do # the worker turns them ready (variants), then fans out to the reader's timeline
  for _ in $(seq 1 300); do
    [[ $(curl -sf "$api/photos/$id" | json "['status']") == ready ]] && break; sleep 0.2
  done
done
for _ in $(seq 1 100); do # the fan-out job runs after the photo turns ready
  n=$(curl -sf -H "Authorization: Bearer $reader" "$api/feed" | json "['items'].__len__()")
  [[ $n -ge $((USERS * PHOTOS < 20 ? USERS * PHOTOS : 20)) ]] && break; sleep 0.2
done
echo "   feed page: $n photos, $(curl -sf -H "Authorization: Bearer $reader" "$api/feed" | wc -c) bytes of JSON"
photo=${ids[0]}

declare -A url_of=([ceiling]="http://127.0.0.1:$CEILING/" [live]="http://127.0.0.1:$NODE/healthz/live"
  [profile]="$api/users/poster1" [photo]="$api/photos/$photo" [me]="$api/me" [feed]="$api/feed"
  [page]="http://127.0.0.1:$CEILING/page")
declare -A auth_of=([me]=1 [feed]=1)
targets=(ceiling live profile photo me feed page)
for t in "${targets[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' ${auth_of[$t]:+-H "Authorization: Bearer $reader"} "${url_of[$t]}")
  [[ $code == 200 ]] || { echo "$t answered $code" >&2; exit 1; }
done
cat >"$work/bearer.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $reader"
EOF

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine() { awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat; }
wrk_for() { # wrk_for TARGET SECONDS [--latency]
  local t=$1 s=$2; shift 2
  wrk -t2 -c"$CONNS" -d"${s}s" "$@" ${auth_of[$t]:+-s "$work/bearer.lua"} "${url_of[$t]}"
}
echo "== warm-up: ${WARMUP}s per target (tiered JIT)"
for t in "${targets[@]}"; do wrk_for "$t" "$WARMUP" >/dev/null; done

if [[ -n $PROFILE ]]; then
  command -v perf >/dev/null || { echo "perf is missing (Debian package linux-perf)" >&2; exit 1; }
  echo "== profiling $PROFILE: perf record -g on the node during wrk -d${DURATION}s"
  wrk_for "$PROFILE" "$DURATION" >/dev/null &
  wrk_pid=$!
  perf record -F 499 -g -o "$work/perf.data" -p "$node_pid" -- sleep $((DURATION - 1)) >/dev/null 2>&1
  wait $wrk_pid
  perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -60 >"$out/profile-$PROFILE.txt" || true
  perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -80 >"$out/profile-$PROFILE-inclusive.txt" || true
  echo "written: $out/profile-$PROFILE.txt, $out/profile-$PROFILE-inclusive.txt"
  exit 0
fi

echo "round,target,rps,requests,p50,p99,errors,server_cpu_ms,other_cpu_ms" >"$raw"
echo "== wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds, interleaved"
for r in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    wrk_for "$t" 2 >/dev/null
    pid=$([[ $t == ceiling || $t == page ]] && echo $ceiling_pid || echo $node_pid)
    c0=$(ticks "$pid"); m0=$(machine)
    result=$(wrk_for "$t" "$DURATION" --latency)
    c1=$(ticks "$pid"); m1=$(machine)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
    reqs=$(awk '/requests in/ {print $1}' <<<"$result")
    p50=$(awk '$1=="50%" {print $2}' <<<"$result"); p99=$(awk '$1=="99%" {print $2}' <<<"$result")
    errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/[^0-9 ]/, " "); n += $1 + $2 + $3 + $4} END {print n + 0}' <<<"$result")
    ms=$((1000 / hz)); server=$(((c1 - c0) * ms))
    echo "$r,$t,$rps,$reqs,$p50,$p99,$errs,$server,$(((m1 - m0) * ms - server))" >>"$raw"
    printf '  r%s %-8s %9s req/s  p50 %8s  p99 %8s  errors %s\n' "$r" "$t" "$rps" "$p50" "$p99" "$errs"
  done
done

python3 - "$raw" "$DURATION" "$ROUNDS" "$CONNS" <<'PY' | tee "$out/results.md"
import csv, statistics, sys
raw, duration, rounds, conns = sys.argv[1:]
rows = list(csv.DictReader(open(raw)))
labels = {"ceiling": "ceiling (minimal Kestrel, small JSON)", "live": "`GET /healthz/live`",
          "profile": "`GET /api/users/{name}` (cached)", "photo": "`GET /api/photos/{id}` (cached)",
          "me": "`GET /api/me` (bearer)", "feed": "`GET /api/feed` (bearer, 20 photos)",
          "page": "ceiling, ~35 KB feed-shaped JSON (minimal Kestrel)"}
med = {t: statistics.median(float(r["rps"]) for r in rows if r["target"] == t) for t in labels}
cpu = {t: statistics.median(1000 * float(r["server_cpu_ms"]) / max(1, int(r["requests"])) for r in rows if r["target"] == t) for t in labels}
errors = sum(int(r["errors"]) for r in rows)
other = statistics.median(float(r["other_cpu_ms"]) / (float(duration) * 1000) for r in rows)
print(f"wrk -t2 -c{conns}, {duration} s per run, {rounds} rounds interleaved; medians. Errors (non-2xx + socket): {errors}.")
print(f"Everything but the measured server (wrk, the idle other server, other builds) took a median {other:.2f} cores.\n")
print("| endpoint | req/s | share of the ceiling | server CPU ms / 1000 req |")
print("|---|---|---|---|")
for t, label in labels.items():
    print(f"| {label} | {med[t]:,.0f} | {med[t] / med['ceiling']:.2f} | {cpu[t]:.0f} |")
print(f"\nThe feed against the ceiling of an answer its size (bare Kestrel, ~35 KB JSON): {med['feed'] / med['page']:.2f}.")
PY
echo "written: $out/results.md, $raw"
