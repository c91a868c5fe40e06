#!/usr/bin/env bash
# bench/lb/variants.sh "NAME ENV=VALUE..." ... — A/B of YARP lb configurations without rebuilding: one web
# node (:18091) and, per variant, its own warmed `--role lb` process (:18010, :18011, ...) started with the
# variant's environment, plus HAProxy (:18019) as the reference; then 3 interleaved rounds (A B C .. A B C ..)
# of wrk -t2 -c64 -d6s on PATHX (default /static/icon.svg). Prints req/s and CPU ms per 1000 requests of the
# lb and of the node. Used for the "what each setting changed" table in docs/load-balancing.md:
#   bench/lb/variants.sh "base X=1" "nootel OTEL_SDK_DISABLED=true" "samplerOff OTEL_TRACES_SAMPLER=always_off" "wksgc DOTNET_gcServer=0"
# Build first (dotnet build src/Scalegram -c Release); needs wrk and haproxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dll=$here/../../src/Scalegram/bin/Release/net10.0/scalegram.dll
w=$(mktemp -d /tmp/scalegram-lbvariants.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 4
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$w"
}
trap cleanup EXIT INT TERM
dotnet "$dll" serve --role all --urls http://127.0.0.1:18091 --data-dir "$w/data" --Logging:LogLevel:Default=Warning >"$w/node.log" 2>&1 &
pids+=($!); node=$!
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18091/healthz/ready && break; sleep 0.2; done
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
declare -A pid port; names=(); p=18010
for v in "$@"; do
  read -r -a words <<<"$v"; name=${words[0]}
  env "${words[@]:1}" dotnet "$dll" serve --role lb --urls "http://127.0.0.1:$p" --LoadBalancing:Destinations:0=http://127.0.0.1:18091 \
    --Logging:LogLevel:Default=Warning >"$w/lb-$name.log" 2>&1 &
  pids+=($!); pid[$name]=$!; port[$name]=$p; names+=("$name"); p=$((p + 1))
done
printf 'global\n  nbthread %s\n  maxconn 4000\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 100s\n  timeout server 100s\n  option http-keep-alive\n  http-reuse always\n  option forwardfor\nfrontend fe\n  bind 127.0.0.1:18019\n  default_backend web\nbackend web\n  server n1 127.0.0.1:18091 check inter 1s\n' "$(nproc)" >"$w/ha.cfg"
haproxy -db -f "$w/ha.cfg" >"$w/ha.log" 2>&1 &
pids+=($!); pid[haproxy]=$!; port[haproxy]=18019; names+=(haproxy)
sleep 2
for n in "${names[@]}"; do for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:${port[$n]}/static/icon.svg" && break; sleep 0.2; done; done
for n in "${names[@]}"; do wrk -t2 -c64 -d"${WARM:-12}s" "http://127.0.0.1:${port[$n]}${PATHX:-/static/icon.svg}" >/dev/null; done
for r in 1 2 3; do
  for n in "${names[@]}"; do
    a=$(ticks "${pid[$n]}"); nn=$(ticks "$node")
    out=$(wrk -t2 -c64 -d6s "http://127.0.0.1:${port[$n]}${PATHX:-/static/icon.svg}")
    b=$(ticks "${pid[$n]}"); m=$(ticks "$node")
    reqs=$(awk '/requests in/ {print $1}' <<<"$out"); rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    ms=$((1000 / $(getconf CLK_TCK)))
    echo "$n r$r rps=$rps lb_ms/1k=$(((b - a) * ms * 1000 / reqs)) node_ms/1k=$(((m - nn) * ms * 1000 / reqs))"
  done
done
