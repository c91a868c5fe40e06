#!/usr/bin/env bash
# bench/lb/run.sh — issue 9's load-balancer bench, every figure from one run, baselines interleaved.
#
#   bench/lb/run.sh [OUT_DIR]            (default: bench/lb/results; writes results.md and raw.csv there)
#
# Starts, all on 127.0.0.1 and all stopped on exit:
#   3 web nodes   :18081-18083  `scalegram serve --role all`, one shared SQLite --data-dir (role all so the
#                               open-loop bench's seeded photos get processed; the embedded queue is idle otherwise)
#   YARP lb       :18000 → node 1        :18002 → nodes 1-2        :18003 → nodes 1-3
#   HAProxy       :18001 → node 1        :18004 → nodes 1-3        (haproxy -db, generated config below)
#   bare YARP     :18099 → node 1        bench/lb/BareYarp: Kestrel + MapReverseProxy with the same cluster settings and
#                                        the lb role's inline I/O, nothing of Scalegram's pipeline — what YARP/.NET cost alone
# Both LBs: round-robin, active check GET /healthz/ready every 1 s, out after 1 failure, back after 1
# success, HTTP/1.1 keep-alive to the nodes, X-Forwarded-For/-Proto/-Host added, HAProxy nbthread = cores.
#
# Phase 0 warms every target up (WARMUP s each endpoint): .NET's tiered JIT needs it.
# Phases (each wrk run: 2 s warm-up, then DURATION s; targets interleaved A B C A B C ..., ROUNDS rounds):
#   1. throughput (closed loop, wrk -t2 -c64): direct node 1 / YARP(1) / HAProxy(1) / bare YARP(1), on
#      GET /static/icon.svg (454 B from memory: pure proxy cost) and GET /api/users/bench1 (a profile read)
#   2. scale-out (closed loop): YARP with 1, 2, 3 nodes and HAProxy with 3 nodes, both endpoints
#   3. latency at a moderate fixed pace (wrk -t2 -c8, each connection waits PACE_MS between requests,
#      ≈ 700 req/s, far below saturation): direct / YARP(1) / HAProxy(1) → added p50, p99
#   4. OPEN_LOOP=1: open loop (`scalegram bench --workload read-heavy --rate OPEN_RATE`), one run per target. Off by
#      default: its seeding waits for photos to turn ready, and behind an LB a status read can land on a node
#      whose in-process cache still holds "processing" (three nodes, no Redis to invalidate across them: the
#      photo was ready, checked by asking each node directly). Run it with CACHE_OFF=1 (adds
#      --Caching:Disabled=true to the nodes) or against a topology with Redis.
# For every run it samples utime+stime (/proc/PID/stat) of each node, each LB and wrk (cutime of this
# shell), and the whole machine (/proc/stat): CPU ms per 1000 requests per process, and how much CPU
# *other* processes (other builds on the machine) took during the run — the noise figure.
#
# Env: DURATION (10) ROUNDS (3) WARMUP (8) CONNS (64) PACE_MS (10) OPEN_RATE (100) OPEN_LOOP (0) CACHE_OFF (0) SKIP_BUILD (0)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
PACE_MS=${PACE_MS:-10}
OPEN_RATE=${OPEN_RATE:-100}
WARMUP=${WARMUP:-8}
OPEN_LOOP=${OPEN_LOOP:-0}
CACHE_OFF=${CACHE_OFF:-0}
dll=$root/src/Scalegram/bin/Release/net10.0/scalegram.dll
cores=$(nproc)
hz=$(getconf CLK_TCK)

. "$here/../lib.sh"
bench_require wrk "apt-get install -y --no-install-recommends wrk"
bench_require haproxy "apt-get install -y --no-install-recommends haproxy"
bench_free_ports 18000 18001 18002 18003 18004 18081 18082 18083 18099
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/src/Scalegram" -c Release -nologo -v q >/dev/null
  dotnet build "$here/BareYarp" -c Release -nologo -v q >/dev/null
fi

mkdir -p "$out"
work=$(bench_workdir benchlb)
raw=$out/raw.csv
bench_on_exit "$work"

declare -A pid_of
node() { # node N PORT
  dotnet "$dll" serve --role all --urls "http://127.0.0.1:$2" --data-dir "$work/data" \
    --Logging:LogLevel:Default=Warning --Web:NodeName="node$1" --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 \
    $([[ $CACHE_OFF == 1 ]] && echo --Caching:Disabled=true) >"$work/node$1.log" 2>&1 &
  bench_track $!; pid_of[node$1]=$!
}
yarp() { # yarp NAME PORT NODE_PORTS...
  local name=$1 port=$2; shift 2
  local args=() i=0
  for p in "$@"; do args+=("--LoadBalancing:Destinations:$i=http://127.0.0.1:$p"); i=$((i + 1)); done
  dotnet "$dll" serve --role lb --urls "http://127.0.0.1:$port" "${args[@]}" \
    --LoadBalancing:Policy=RoundRobin --LoadBalancing:HealthCheckInterval=00:00:01 --LoadBalancing:UnhealthyThreshold=1 \
    --Logging:LogLevel:Default=Warning >"$work/$name.log" 2>&1 &
  bench_track $!; pid_of[$name]=$!
}
bare_yarp() { # bare_yarp NAME PORT NODE_PORT — the lb role's runtime settings: inline Kestrel and socket completions
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$here/BareYarp/bin/Release/net10.0/bare-yarp.dll" --urls "http://127.0.0.1:$2" \
    --Destinations:0="http://127.0.0.1:$3" --InlineScheduling=true >"$work/$1.log" 2>&1 &
  bench_track $!; pid_of[$1]=$!
}
haproxy_lb() { # haproxy_lb NAME PORT NODE_PORTS...
  local name=$1 port=$2; shift 2
  {
    cat <<EOF
global
  nbthread $cores
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 100s
  timeout server 100s
  option http-keep-alive
  http-reuse always
  option forwardfor
  default-server check inter 1s fall 1 rise 1
frontend fe
  bind 127.0.0.1:$port
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  default_backend web
backend web
  balance roundrobin
  option httpchk GET /healthz/ready
EOF
    for p in "$@"; do echo "  server n$p 127.0.0.1:$p"; done
  } >"$work/$name.cfg"
  haproxy -c -q -f "$work/$name.cfg"
  haproxy -db -f "$work/$name.cfg" >"$work/$name.log" 2>&1 &
  bench_track $!; pid_of[$name]=$!
}
wait_ready() { # wait_ready URL
  for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "not ready: $1" >&2; for f in "$work"/*.log; do echo "-- $f" >&2; tail -n 20 "$f" >&2; done; return 1
}

echo "== starting 3 nodes, 3 YARP lbs, 2 HAProxy, 1 bare YARP (logs in $work)"
node 1 18081
wait_ready http://127.0.0.1:18081/healthz/ready   # node 1 migrates the shared SQLite files first
node 2 18082; node 3 18083
wait_ready http://127.0.0.1:18082/healthz/ready; wait_ready http://127.0.0.1:18083/healthz/ready
yarp yarp1 18000 18081
yarp yarp2 18002 18081 18082
yarp yarp3 18003 18081 18082 18083
haproxy_lb haproxy1 18001 18081
haproxy_lb haproxy3 18004 18081 18082 18083
bare_yarp bare1 18099 18081
for port in 18000 18002 18003; do wait_ready http://127.0.0.1:$port/healthz/ready; done
sleep 2 # HAProxy's first checks
for port in 18001 18004 18099; do wait_ready http://127.0.0.1:$port/static/icon.svg; done
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"username":"bench1","password":"a-fine-long-passphrase"}' http://127.0.0.1:18081/api/accounts
for port in 18081 18082 18083 18000 18001; do curl -sf -o /dev/null http://127.0.0.1:$port/api/users/bench1; done

declare -A url_of=([direct]=http://127.0.0.1:18081 [yarp1]=http://127.0.0.1:18000 [haproxy1]=http://127.0.0.1:18001
  [yarp2]=http://127.0.0.1:18002 [yarp3]=http://127.0.0.1:18003 [haproxy3]=http://127.0.0.1:18004 [bare1]=http://127.0.0.1:18099)
declare -A path_of=([static]=/static/icon.svg [profile]=/api/users/bench1)
procs=(node1 node2 node3 yarp1 yarp2 yarp3 haproxy1 haproxy3 bare1)

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
child_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; }
machine() { awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; } # busy total (ticks)
to_ms() { # wrk latency (e.g. 512.00us, 1.20ms, 1.01s) → ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

cat >"$work/pace.lua" <<EOF
function delay() return $PACE_MS end
EOF
echo "phase,round,endpoint,target,rps,requests,p50_ms,p99_ms,errors,wrk_cpu_ms,$(IFS=,; echo "${procs[*]/%/_cpu_ms}"),ours_cpu_ms,machine_busy_ms,other_cpu_ms,wall_s" >"$raw"

run() { # run PHASE ROUND ENDPOINT TARGET WRK_ARGS...
  local phase=$1 round=$2 endpoint=$3 target=$4; shift 4
  local url=${url_of[$target]}${path_of[$endpoint]}
  wrk -t2 -c"$CONNS" -d2s "$url" >/dev/null 2>&1 || true # warm-up (connections, JIT, caches)
  local -A before
  for p in "${procs[@]}"; do before[$p]=$(ticks "${pid_of[$p]}"); done
  local c0 m0 t0 result
  c0=$(child_ticks); read -r m0 _ < <(machine); t0=$(date +%s.%N)
  result=$(wrk "$@" -d"${DURATION}s" --latency "$url")
  local c1 m1 t1
  c1=$(child_ticks); read -r m1 _ < <(machine); t1=$(date +%s.%N)
  local rps reqs p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
  reqs=$(awk '/requests in/ {print $1}' <<<"$result")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$result")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$result")")
  errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/[^0-9 ]/, " "); n += $1 + $2 + $3 + $4} END {print n + 0}' <<<"$result")
  local ms=$((1000 / hz)) line ours wrk_ms
  wrk_ms=$(((c1 - c0) * ms)); ours=$wrk_ms
  line="$phase,$round,$endpoint,$target,$rps,$reqs,$p50,$p99,$errs,$wrk_ms"
  for p in "${procs[@]}"; do
    local d=$((($(ticks "${pid_of[$p]}") - before[$p]) * ms))
    ours=$((ours + d)); line+=",$d"
  done
  local busy=$(((m1 - m0) * ms))
  line+=",$ours,$busy,$((busy - ours)),$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')"
  echo "$line" >>"$raw"
  printf '  %-8s %-8s r%s %-8s %9s req/s  p50 %7s ms  p99 %8s ms  errors %s  other CPU %s ms\n' "$phase" "$endpoint" "$round" "$target" "$rps" "$p50" "$p99" "$errs" "$((busy - ours))"
}

# Until .NET's tiered JIT has compiled the hot paths a cold YARP lb spends ~2x the CPU per request of a warm one.
echo "== 0. warm-up: ${WARMUP}s per target and endpoint"
for t in direct yarp1 haproxy1 bare1 yarp2 yarp3 haproxy3; do
  for e in static profile; do wrk -t2 -c"$CONNS" -d"${WARMUP}s" "${url_of[$t]}${path_of[$e]}" >/dev/null; done
done
echo "== 1. throughput, closed loop (wrk -t2 -c$CONNS, ${DURATION}s), direct vs YARP vs HAProxy vs bare YARP, 1 node"
for r in $(seq 1 "$ROUNDS"); do
  for e in static profile; do
    for t in direct yarp1 haproxy1 bare1; do run throughput "$r" "$e" "$t" -t2 -c"$CONNS"; done
  done
done
echo "== 2. scale-out, closed loop: YARP with 1, 2, 3 nodes; HAProxy with 3"
for r in $(seq 1 "$ROUNDS"); do
  for e in static profile; do
    for t in yarp1 yarp2 yarp3 haproxy3; do run scale "$r" "$e" "$t" -t2 -c"$CONNS"; done
  done
done
echo "== 3. latency at a moderate pace (wrk -t2 -c8, ${PACE_MS} ms between requests per connection)"
for r in $(seq 1 "$ROUNDS"); do
  for e in static profile; do
    for t in direct yarp1 haproxy1; do CONNS=8 run latency "$r" "$e" "$t" -t2 -c8 -s "$work/pace.lua"; done
  done
done

if [[ $OPEN_LOOP == 1 ]]; then
  echo "== 4. open loop: scalegram bench --workload read-heavy --rate $OPEN_RATE --duration 15s --users 10"
  for t in direct yarp1 haproxy1; do
    timeout 300 dotnet "$dll" bench --url "${url_of[$t]}" --workload read-heavy --rate "$OPEN_RATE" --duration 15s --users 10 \
      --out "$work/open-$t" >"$work/open-$t.log" 2>&1 || { echo "open-loop bench via $t failed" >&2; tail -5 "$work/open-$t.log" >&2; }
    [[ -f $work/open-$t/results.json ]] && cp "$work/open-$t/results.json" "$out/open-loop-$t.json"
  done
fi

python3 "$here/summarize.py" "$raw" "$out" "$DURATION" "$ROUNDS" "$CONNS" "$PACE_MS" "$OPEN_RATE" | tee "$out/results.md"
echo "written: $out/results.md, $raw"
