#!/usr/bin/env bash
# bench/cdn/run.sh [OUT_DIR] — issue 12's edge bench: media GETs through the Varnish edge vs straight
# from the origin, same object set, one run, rounds interleaved (origin, edge, origin, edge, ...).
#
# Starts, on 127.0.0.1, all stopped on exit:
#   node   :18201  `scalegram serve --role all` (Cdn:BaseUrl → the edge, Cdn:PurgeUrls → the edge,
#                  Cdn:VarnishStatDirectories → its -n dir, so /metrics shows the edge hit ratio)
#   edge   :18202  varnishd via deploy/varnish/run-varnish.sh (management port :18203), origin :18201
# Seeds PHOTOS photos (1200×900 noise JPEGs, so variants have realistic sizes), waits until they are
# ready, lists their variants (thumb, medium, large: 3 × PHOTOS objects), warms the edge with one pass,
# warms both targets up (WARMUP s each), then runs wrk (-t2 -cCONNS, 2 s warm-up + DURATION s, --latency)
# ROUNDS times against each target.
# Writes OUT_DIR/results.md (default bench/cdn/results) and prints it.
#
# Then two drills: origin down (the edge keeps serving what it holds) and edge down (media URLs fall
# back to the origin and load).
#
# Then the mixed workload twice (`scalegram bench --workload mixed`, MIXED_RATE req/s for MIXED_DURATION, its
# photo "view"s fetch the medium image from the URL the API gives, as a browser does), each against a fresh node
# on :18201: once without Cdn:BaseUrl (media from the origin), once with it pointing at a fresh, cold edge on
# :18202. Origin media requests (the node's http.server.request.duration count for /media routes) and bytes
# (scalegram.cdn.origin.media_bytes) of both runs, and their ratio, go into the results too.
#
# Env: PHOTOS (30) DURATION (10) ROUNDS (3) CONNS (64) WARMUP (8, s per target before the rounds) SKIP_BUILD (0)
#      MIXED_RATE (100) MIXED_DURATION (30s) MIXED_USERS (50)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results}
PHOTOS=${PHOTOS:-30}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
WARMUP=${WARMUP:-8}
NODE=18201 EDGE=18202 EDGE_ADMIN=18203
dll=$root/src/Scalegram/bin/Release/net10.0/scalegram.dll

. "$here/../lib.sh"
for tool in wrk varnishd vips curl python3; do
  bench_require $tool "apt-get install -y --no-install-recommends wrk varnish libvips-tools curl python3"
done
bench_free_ports $NODE $EDGE $EDGE_ADMIN
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/src/Scalegram" -c Release -nologo -v q >/dev/null
fi

mkdir -p "$out"
work=$(bench_workdir benchcdn)
chmod 755 "$work"   # varnishd's child runs as the vcache user and must reach its -n directory
bench_on_exit "$work"

dotnet "$dll" serve --role all --urls "http://127.0.0.1:$NODE" --data-dir "$work/data" \
  --Logging:LogLevel:Default=Warning --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 \
  --Cdn:BaseUrl="http://127.0.0.1:$EDGE" --Cdn:PurgeUrls:0="http://127.0.0.1:$EDGE" \
  --Cdn:VarnishStatDirectories:0="$work/edge/n" --Cdn:StatsInterval=00:00:01 >"$work/node.log" 2>&1 &
bench_track $!
"$root/deploy/varnish/run-varnish.sh" "$work/edge" $EDGE $EDGE_ADMIN 127.0.0.1 $NODE >"$work/edge.log" 2>&1 &
bench_track $!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$NODE/healthz/ready" >/dev/null && break; sleep 0.3; done
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$EDGE/healthz/edge" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$EDGE/healthz/edge" >/dev/null || { echo "the edge did not start:" >&2; cat "$work/edge.log" >&2; exit 1; }

# Seed: one user, PHOTOS uploads of distinct noise images.
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"username":"bench","password":"a-fine-long-passphrase"}' "http://127.0.0.1:$NODE/api/accounts"
token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"bench","password":"a-fine-long-passphrase"}' "http://127.0.0.1:$NODE/api/sessions" | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")
ids=()
for i in $(seq 1 "$PHOTOS"); do
  vips gaussnoise "$work/n.v" 1200 900 --mean 128 --sigma 50 && vips cast "$work/n.v" "$work/g.v" uchar && vips colourspace "$work/g.v" "$work/p$i.jpg" srgb
  ids+=("$(curl -sf -H "Authorization: Bearer $token" -F "file=@$work/p$i.jpg" "http://127.0.0.1:$NODE/api/photos" | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")")
done
: >"$work/paths"
for id in "${ids[@]}"; do
  for _ in $(seq 1 600); do
    status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$NODE/api/photos/$id" | python3 -c "import json,sys; print(json.load(sys.stdin)['status'])")
    [[ $status != processing ]] && break; sleep 0.2
  done
  [[ $status == ready ]] || { echo "photo $id is $status" >&2; exit 1; }
  # The URLs point at the edge (it is healthy); strip the base so both targets get the same paths.
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$NODE/api/photos/$id" \
    | python3 -c "import json,sys,re; [print(re.sub(r'^https?://[^/]+', '', v['url'])) for v in json.load(sys.stdin)['variants']]" >>"$work/paths"
done
objects=$(wc -l <"$work/paths")
bytes=$(while read -r p; do curl -s -o /dev/null -w '%{size_download}\n' "http://127.0.0.1:$NODE$p"; done <"$work/paths" | awk '{s+=$1} END {print s}')
grep -q "^http://127.0.0.1:$EDGE/media/" <(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$NODE/api/photos/${ids[0]}" | python3 -c "import json,sys; print(json.load(sys.stdin)['variants'][0]['url'])") \
  || { echo "media URLs do not point at the edge" >&2; cat "$work/node.log" >&2; exit 1; }
while read -r p; do curl -s -o /dev/null "http://127.0.0.1:$EDGE$p"; done <"$work/paths"   # warm the edge

export MEDIA_PATHS=$work/paths
backend_req() { varnishstat -1 -n "$work/edge/n" -f MAIN.backend_req | awk '{print $2}'; }
run() { # run NAME PORT ROUND
  wrk -t2 -c"$CONNS" -d2s -s "$here/media.lua" "http://127.0.0.1:$2" >/dev/null
  local before; before=$(backend_req)
  local result; result=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$here/media.lua" "http://127.0.0.1:$2")
  local after; after=$(backend_req)
  local rps p99 mbps errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
  p99=$(awk '$1=="99%" {print $2}' <<<"$result")
  mbps=$(awk '/Transfer\/sec/ {print $2}' <<<"$result")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$result" | tr '\n' ' ' || true)
  echo "$1,$3,$rps,$p99,$mbps,$((after - before)),$errors" | tee -a "$work/raw.csv" >&2
}
# Phase 0: .NET's tiered JIT (and Varnish's threads) warm up before anything is measured.
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$here/media.lua" "http://127.0.0.1:$NODE" >/dev/null
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$here/media.lua" "http://127.0.0.1:$EDGE" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  run origin $NODE "$round"
  run edge $EDGE "$round"
done

ratio_line=$(curl -sf "http://127.0.0.1:$NODE/metrics" | grep '^scalegram_cdn_edge_hit_ratio' | head -1 || true)

# Drill 1, origin down: the node stops; the edge keeps serving what it holds (grace), and only that.
count_ok() { local ok=0; while read -r p; do [[ $(curl -s -o /dev/null -w '%{http_code}' "$1$p") == 200 ]] && ok=$((ok + 1)); done <"$work/paths"; echo $ok; }
kill -TERM "${bench_pids[0]}"; wait "${bench_pids[0]}" 2>/dev/null || true
sleep 4   # the probe (1 s interval, 2 of 3 failing) marks the origin sick
origin_down_ok=$(count_ok "http://127.0.0.1:$EDGE")
origin_down_uncached=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$EDGE/media/p/1/never-cached-0000.jpg")
sick=$(varnishadm -n "$work/edge/n" backend.list 2>/dev/null | awk 'NR>1 {print $4 ", " $3 " probes good"}' | head -1)
dotnet "$dll" serve --role all --urls "http://127.0.0.1:$NODE" --data-dir "$work/data" \
  --Logging:LogLevel:Default=Warning --Cdn:BaseUrl="http://127.0.0.1:$EDGE" --Cdn:HealthInterval=00:00:00.500 >"$work/node2.log" 2>&1 &
bench_track $!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$NODE/healthz/ready" >/dev/null && break; sleep 0.3; done

# Drill 2, edge down: varnishd stops; within two health checks the node's media URLs point at itself.
kill -TERM "${bench_pids[1]}"; wait "${bench_pids[1]}" 2>/dev/null || true
sleep 2
: >"$work/fallback"
for id in "${ids[@]}"; do
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$NODE/api/photos/$id" \
    | python3 -c "import json,sys; [print(v['url']) for v in json.load(sys.stdin)['variants']]" >>"$work/fallback"
done
relative=$(grep -c '^/media/' "$work/fallback" || true)
edge_down_ok=0
while read -r u; do [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NODE$u") == 200 ]] && edge_down_ok=$((edge_down_ok + 1)); done <"$work/fallback"
drills="Drill, origin down (node stopped, edge probe says '$sick'): the edge served $origin_down_ok of $objects cached objects (200), and $origin_down_uncached for an object it never held.
Drill, edge down (varnishd stopped, node checking every 0.5 s): after 2 s, $relative of $objects media URLs the API gave pointed at the origin, and $edge_down_ok of them loaded (200)."
# Phase 3, the mixed workload without and with the edge: fresh node each time, the same bench settings.
MIXED_RATE=${MIXED_RATE:-100} MIXED_DURATION=${MIXED_DURATION:-30s} MIXED_USERS=${MIXED_USERS:-50}
bench_stop_all
bench_pids=()
origin_media() { # origin_media → "requests bytes": media GETs the node answered and media bytes it sent, from /metrics
  curl -sf "http://127.0.0.1:$NODE/metrics" | python3 -c '
import re, sys
requests = bytes_ = 0
for line in sys.stdin:
    if line.startswith("http_server_request_duration_seconds_count{") and re.search(r"http_route=\"/media/", line):
        requests += int(float(line.rsplit(" ", 1)[1]))
    elif line.startswith("scalegram_cdn_origin_media_bytes"):
        bytes_ += int(float(line.rsplit(" ", 1)[1]))
print(requests, bytes_)'
}
mixed() { # mixed NAME [node settings...]: one bench run against a fresh node; appends "NAME requests bytes view-ok sent ok errors" to mixed.txt
  local name=$1; shift
  dotnet "$dll" serve --role all --urls "http://127.0.0.1:$NODE" --data-dir "$work/data-$name" \
    --Logging:LogLevel:Default=Warning --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 "$@" >"$work/node-$name.log" 2>&1 &
  local node=$!
  bench_track "$node"
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$NODE/healthz/ready" >/dev/null && break; sleep 0.3; done
  sleep 3   # with the edge: its health check passes and its probe sees the origin before the load starts
  dotnet "$dll" bench --url "http://127.0.0.1:$NODE" --workload mixed --rate "$MIXED_RATE" --duration "$MIXED_DURATION" \
    --users "$MIXED_USERS" --out "$work/bench-$name" >"$work/bench-$name.log" 2>&1 || { tail -30 "$work/bench-$name.log" >&2; exit 1; }
  local counts; counts=$(origin_media)
  local client; client=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); v=r['operations'].get('view', {}); print(v.get('ok', 0), r['sent'], r['ok'], r['errors'])" "$work/bench-$name/results.json")
  echo "$name $counts $client" | tee -a "$work/mixed.txt" >&2
  kill -TERM "$node"; wait "$node" 2>/dev/null || true
}
mixed origin
"$root/deploy/varnish/run-varnish.sh" "$work/edge2" $EDGE $EDGE_ADMIN 127.0.0.1 $NODE >"$work/edge2.log" 2>&1 &
bench_track $!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$EDGE/healthz/edge" >/dev/null && break; sleep 0.2; done
mixed edge --Cdn:BaseUrl="http://127.0.0.1:$EDGE" --Cdn:PurgeUrls:0="http://127.0.0.1:$EDGE" --Cdn:HealthInterval=00:00:00.500
edge_counts=$(varnishstat -j -n "$work/edge2/n" | python3 -c '
import json, sys
c = json.load(sys.stdin); c = c.get("counters", c)
v = lambda suffix: sum(x["value"] for k, x in c.items() if isinstance(x, dict) and k.endswith(suffix) and k.startswith("VBE."))
print(c["MAIN.client_req"]["value"], c["MAIN.cache_hit"]["value"], c["MAIN.cache_miss"]["value"], c["MAIN.backend_req"]["value"], v(".beresp_bodybytes"))')

python3 - "$work/raw.csv" "$out/results.md" "$objects" "$bytes" "$DURATION" "$ROUNDS" "$CONNS" "$ratio_line" "$(nproc)" "$drills" <<'PY'
import csv, statistics, sys
raw, out, objects, size, duration, rounds, conns, ratio_line, cores, drills = sys.argv[1:]
def ms(text):
    text = text.strip()
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
rows = list(csv.reader(open(raw)))
by = {}
for name, rnd, rps, p99, mbps, backend, errors in rows:
    by.setdefault(name, []).append((float(rps), ms(p99), mbps, int(backend), errors.strip()))
lines = [
    "# CDN edge bench (bench/cdn/run.sh)", "",
    f"{objects} media objects ({int(size) // 1024} KiB in all: thumb, medium, large of each photo), wrk -t2 -c{conns}, "
    f"{duration} s per run after 2 s warm-up, {rounds} rounds interleaved origin/edge, one machine ({cores} cores shared by wrk, varnishd and the node).", "",
    "| target | req/s (median) | p99 ms (median) | transfer/s (last) | origin requests during the edge runs | errors |", "|---|---|---|---|---|---|",
]
for name in ("origin", "edge"):
    r = by.get(name, [])
    lines.append(f"| {name} | {statistics.median(x[0] for x in r):.0f} | {statistics.median(x[1] for x in r):.2f} | {r[-1][2]} | "
                 f"{sum(x[3] for x in r) if name == 'edge' else '–'} | {'; '.join(x[4] for x in r if x[4]) or 'none'} |")
o = statistics.median(x[0] for x in by["origin"]); e = statistics.median(x[0] for x in by["edge"])
lines += ["", f"Edge / origin throughput: **{e / o:.1f}×** (goal ≥ 3×). Per round (req/s): " +
          ", ".join(f"origin {a[0]:.0f} / edge {b[0]:.0f}" for a, b in zip(by["origin"], by["edge"])) + ".", "",
          f"Edge hit ratio as /metrics shows it: `{ratio_line or 'not shown'}`", ""] + [line + "\n" for line in drills.splitlines()]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY

python3 - "$work/mixed.txt" "$out/results.md" "$MIXED_RATE" "$MIXED_DURATION" "$MIXED_USERS" "$edge_counts" <<'PY'
import sys
mixed, out, rate, duration, users, edge = sys.argv[1:]
runs = {f[0]: [int(x) for x in f[1:]] for f in (line.split() for line in open(mixed) if line.strip())}
o, e = runs["origin"], runs["edge"]
client_req, hits, misses, backend_req, backend_bytes = (int(x) for x in edge.split())
ratio = lambda a, b: f"{a / b:.3f}" if b else "–"
mib = lambda b: f"{b / 1048576:.1f} MiB"
lines = [
    "", "## Origin media requests and bytes on the mixed workload, with and without the edge", "",
    f"`scalegram bench --workload mixed --rate {rate} --duration {duration} --users {users}` against a fresh node each time: "
    "once with media URLs at the origin (no Cdn:BaseUrl), once at a fresh, cold Varnish edge. The mix's photo views "
    "fetch the medium image from the URL the API gives, like a browser. Origin figures from the node's /metrics "
    "(requests: http.server.request.duration count on /media routes; bytes: scalegram.cdn.origin.media_bytes).", "",
    "| run | photo views with image (ok) | bench requests sent / ok / errors | origin /media requests | origin media bytes |", "|---|---|---|---|---|",
    f"| origin (no edge) | {o[2]} | {o[3]} / {o[4]} / {o[5]} | {o[0]} | {mib(o[1])} |",
    f"| edge | {e[2]} | {e[3]} / {e[4]} / {e[5]} | {e[0]} | {mib(e[1])} |", "",
    f"With the edge / without: origin media requests **{ratio(e[0], o[0])}**, origin media bytes **{ratio(e[1], o[1])}**.", "",
    f"The edge in that run (varnishstat): {client_req} client requests, {hits} hits, {misses} misses "
    f"(hit ratio {ratio(hits, hits + misses)}), {backend_req} backend requests, {mib(backend_bytes)} of backend response bodies.", "",
]
open(out, "a").write("\n".join(lines))
print("\n".join(lines))
PY
