#!/usr/bin/env bash
# bench/lb/profile.sh [lb|bare|haproxy]... — where a load balancer's CPU goes under wrk load: one web node (:18090),
# the `--role lb` process (:18093, LB_ARGS / LB_ENV apply), the bare YARP baseline (:18092, BARE_ENV) and HAProxy
# (:18091); each warmed, then per target: user vs kernel CPU per request from /proc, and `perf record -g` (perf map
# on for .NET) for PERF_S seconds of wrk -t2 -c64 on PATHX; prints the top shared objects and symbols (self time).
# Reports are left in OUT (default /tmp/lbprofile). Needs perf, wrk, haproxy; build first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dll=$here/../../src/Scalegram/bin/Release/net10.0/scalegram.dll
bare=$here/BareYarp/bin/Release/net10.0/bare-yarp.dll
out=${OUT:-/tmp/lbprofile}; mkdir -p "$out"
targets=("${@:-lb bare haproxy}"); read -r -a targets <<<"${targets[*]}"
w=$(mktemp -d /tmp/scalegram-lbprofile.XXXXXX)
. "$here/../lib.sh"
bench_on_exit "$w"
node_url=http://127.0.0.1:18090
dotnet "$dll" serve --role all --urls $node_url --data-dir "$w/data" --Logging:LogLevel:Default=Warning >"$w/node.log" 2>&1 &
bench_track $!; node=$!
for _ in $(seq 100); do curl -sf -o /dev/null $node_url/healthz/ready && break; sleep 0.2; done
declare -A pid port=([lb]=18093 [bare]=18092 [haproxy]=18091)
read -r -a lb_env <<<"${LB_ENV:-}"; read -r -a lb_args <<<"${LB_ARGS:-}"; read -r -a bare_env <<<"${BARE_ENV:-}"
env DOTNET_PerfMapEnabled=1 "${lb_env[@]}" dotnet "$dll" serve --role lb --urls http://127.0.0.1:18093 --LoadBalancing:Destinations:0=$node_url \
  --Logging:LogLevel:Default=Warning "${lb_args[@]}" >"$w/lb.log" 2>&1 &
bench_track $!; pid[lb]=$!
env DOTNET_PerfMapEnabled=1 "${bare_env[@]}" dotnet "$bare" --urls http://127.0.0.1:18092 --Destinations:0=$node_url >"$w/bare.log" 2>&1 &
bench_track $!; pid[bare]=$!
printf 'global\n  nbthread %s\n  maxconn 4000\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 100s\n  timeout server 100s\n  option http-keep-alive\n  http-reuse always\n  option forwardfor\nfrontend fe\n  bind 127.0.0.1:18091\n  http-request set-header X-Forwarded-Proto http\n  http-request set-header X-Forwarded-Host %%[req.hdr(host)]\n  default_backend web\nbackend web\n  option httpchk GET /healthz/ready\n  server n1 127.0.0.1:18090 check inter 1s fall 1 rise 1\n' "$(nproc)" >"$w/ha.cfg"
haproxy -db -f "$w/ha.cfg" >"$w/ha.log" 2>&1 &
bench_track $!; pid[haproxy]=$!
sleep 2
for t in "${targets[@]}"; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:${port[$t]}/static/icon.svg" && break; sleep 0.2; done
  wrk -t2 -c64 -d"${WARM:-12}s" "http://127.0.0.1:${port[$t]}${PATHX:-/static/icon.svg}" >/dev/null
done
hz=$(getconf CLK_TCK)
for t in "${targets[@]}"; do
  p=${pid[$t]}
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$p/stat")
  read -r nu0 ns0 < <(awk '{print $14, $15}' "/proc/$node/stat")
  cs0=$(awk '/ctxt_switches/ {n += $2} END {print n}' /proc/"$p"/task/*/status 2>/dev/null)
  perf record -F 499 -g -p "$p" -o "$out/$t.perf" -- sleep "${PERF_S:-8}" 2>/dev/null &
  perfpid=$!
  res=$(wrk -t2 -c64 -d"${PERF_S:-8}s" "http://127.0.0.1:${port[$t]}${PATHX:-/static/icon.svg}")
  wait $perfpid || true
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$p/stat")
  read -r nu1 ns1 < <(awk '{print $14, $15}' "/proc/$node/stat")
  cs1=$(awk '/ctxt_switches/ {n += $2} END {print n}' /proc/"$p"/task/*/status 2>/dev/null)
  reqs=$(awk '/requests in/ {print $1}' <<<"$res")
  awk -v t="$t" -v r="$reqs" -v hz="$hz" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v nu=$((nu1 - nu0)) -v ns=$((ns1 - ns0)) -v cs=$((cs1 - cs0)) \
    -v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$res")" \
    'BEGIN { k = 1e6 / hz / r; printf "%-8s %8.0f req/s  LB µs/req user %5.1f kernel %5.1f  node µs/req user %5.1f kernel %5.1f  LB ctx switches/req %.2f (threads: ", t, rps, u * k, s * k, nu * k, ns * k, cs / r }' | tee -a "$out/summary.txt"
  ls /proc/"$p"/task | wc -l | tee -a "$out/summary.txt"
  perf report -i "$out/$t.perf" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12 >"$out/$t.dso.txt" || true
  perf report -i "$out/$t.perf" --no-children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -60 >"$out/$t.sym.txt" || true
done
cat "$out/summary.txt"
