#!/usr/bin/env bash
# bench/lb/variants.sh "NAME [ENV=VALUE...] [--Key=Value...]" ... — A/B of YARP lb configurations without rebuilding:
# one web node (:18090), HAProxy (:18091) and the bare YARP baseline (:18092, bench/lb/BareYarp) as references,
# and per variant its own warmed `--role lb` process (:18093, :18094, ... up to 7 variants) started with the
# variant's environment and extra command-line settings (a variant named bare* runs the bare baseline instead); then ROUNDS (3) interleaved rounds (A B C .. A B C ..)
# of wrk -t2 -c64 -dDUR s (6) on PATHX (default /static/icon.svg). Prints req/s and CPU ms per 1000 requests of
# the lb and of the node, then per-target medians. Used for the "what each cut bought" table in docs/load-balancing.md:
#   bench/lb/variants.sh "base" "nootel OTEL_SDK_DISABLED=true" "wksgc DOTNET_gcServer=0"
# Build first (dotnet build Scalegram.slnx -c Release); needs wrk and haproxy. NOBARE=1 leaves the bare baseline out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dll=$here/../../src/Scalegram/bin/Release/net10.0/scalegram.dll
bare=$here/BareYarp/bin/Release/net10.0/bare-yarp.dll
w=$(mktemp -d /tmp/scalegram-lbvariants.XXXXXX)
. "$here/../lib.sh"
show_errors() { for f in "$w"/*.log; do [[ -s $f ]] && grep -qi -m1 "unhandled\|fatal\|exception" "$f" && { echo "-- $f" >&2; grep -v "Probing\|^ *at " "$f" | tail -5 >&2; }; done; }
bench_on_exit "$w"
trap '__rc=$?; show_errors; bench_stop_all; rm -rf "$w"; exit $__rc' EXIT
node_url=http://127.0.0.1:18090
dotnet "$dll" serve --role all --urls $node_url --data-dir "$w/data" --Logging:LogLevel:Default=Warning --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 >"$w/node.log" 2>&1 &
bench_track $!; node=$!
for _ in $(seq 100); do curl -sf -o /dev/null $node_url/healthz/ready && break; sleep 0.2; done
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
declare -A pid port; names=(); p=18093
for v in "$@"; do
  read -r -a words <<<"$v"; name=${words[0]}; envs=(); args=()
  for x in "${words[@]:1}"; do if [[ $x == --* ]]; then args+=("$x"); else envs+=("$x"); fi; done
  if [[ $name == bare* ]]; then # the bare YARP baseline, with this variant's environment
    env "${envs[@]}" dotnet "$bare" --urls "http://127.0.0.1:$p" --Destinations:0=$node_url "${args[@]}" >"$w/lb-$name.log" 2>&1 &
  else
    env "${envs[@]}" dotnet "$dll" serve --role lb --urls "http://127.0.0.1:$p" --LoadBalancing:Destinations:0=$node_url \
      --Logging:LogLevel:Default=Warning "${args[@]}" >"$w/lb-$name.log" 2>&1 &
  fi
  bench_track $!; pid[$name]=$!; port[$name]=$p; names+=("$name"); p=$((p + 1))
done
if [[ ${NOBARE:-0} != 1 ]]; then
  dotnet "$bare" --urls http://127.0.0.1:18092 --Destinations:0=$node_url >"$w/bare.log" 2>&1 &
  bench_track $!; pid[bare]=$!; port[bare]=18092; names+=(bare)
fi
printf 'global\n  nbthread %s\n  maxconn 4000\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 100s\n  timeout server 100s\n  option http-keep-alive\n  http-reuse always\n  option forwardfor\nfrontend fe\n  bind 127.0.0.1:18091\n  http-request set-header X-Forwarded-Proto http\n  http-request set-header X-Forwarded-Host %%[req.hdr(host)]\n  default_backend web\nbackend web\n  option httpchk GET /healthz/ready\n  server n1 127.0.0.1:18090 check inter 1s fall 1 rise 1\n' "$(nproc)" >"$w/ha.cfg"
haproxy -db -f "$w/ha.cfg" >"$w/ha.log" 2>&1 &
bench_track $!; pid[haproxy]=$!; port[haproxy]=18091; names+=(haproxy)
sleep 2
for n in "${names[@]}"; do for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:${port[$n]}/static/icon.svg" && break; sleep 0.2; done; done
for n in "${names[@]}"; do wrk -t2 -c64 -d"${WARM:-12}s" "http://127.0.0.1:${port[$n]}${PATHX:-/static/icon.svg}" >/dev/null; done
ms=$((1000 / $(getconf CLK_TCK)))
for r in $(seq 1 "${ROUNDS:-3}"); do
  for n in "${names[@]}"; do
    a=$(ticks "${pid[$n]}"); nn=$(ticks "$node")
    out=$(wrk -t2 -c64 -d"${DUR:-6}s" "http://127.0.0.1:${port[$n]}${PATHX:-/static/icon.svg}")
    b=$(ticks "${pid[$n]}"); m=$(ticks "$node")
    reqs=$(awk '/requests in/ {print $1}' <<<"$out"); rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    echo "$n r$r rps=$rps lb_ms/1k=$(((b - a) * ms * 1000 / reqs)) node_ms/1k=$(((m - nn) * ms * 1000 / reqs))" | tee -a "$w/rows"
  done
done
echo "-- medians"
awk '{split($3,a,"="); split($4,b,"="); split($5,c,"="); r[$1]=r[$1]" "a[2]; l[$1]=l[$1]" "b[2]; d[$1]=d[$1]" "c[2]}
  function med(s,  n, x, i, j, t) { n = split(s, x, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }; return x[int((n + 1) / 2)] }
  END { for (k in r) printf "%-12s rps %8.0f  lb µs/req %3d  node µs/req %3d\n", k, med(r[k]), med(l[k]), med(d[k]) }' "$w/rows" | sort
