#!/usr/bin/env bash
# bench/imaging/run.sh [OUT_DIR] — issue 13's imaging bench: Scalegram's photo pipeline against batched
# vipsthumbnail, same photos, same three variants, one run, rounds interleaved (vipsthumbnail, Scalegram, ...).
#
# Photos: PHOTOS 12-megapixel (4000×3000) JPEGs made with libvips (q90, 4:2:0, a few MB each, like a
# camera's), one progressive, one with EXIF orientation 6.
# (a) vipsthumbnail (Debian's libvips-tools) batched: one process per variant size given every file —
#     its best case — large 1080×1080 box, medium 640×640 box, thumb 320×320 centre crop, with the
#     same JPEG settings as Scalegram (Q=82, optimize_coding, strip).
# (b) Scalegram's render in process (`Scalegram.Benchmarks imaging render`: PhotoRenderer, the code the
#     worker runs; no queue, database or store), PARALLEL photos at a time (default: cores).
# photos/s = photos ÷ wall seconds; CPU-s/photo = (user + sys of the process(es)) ÷ photos.
# Then: per-stage CPU of one render at a time (`imaging stages`), and end to end a burst of BURST uploads
# to a node (`scalegram serve --role all` on 127.0.0.1:PORT, SQLite, embedded queue, local blobs)
# until every photo is ready: photos/s upload→ready, the node's CPU-s/photo and its peak RSS (VmHWM).
# Writes OUT_DIR/results.md (default bench/imaging/results) and prints it.
#
# Then the worker alone: a web node (:PORT) takes WORKER_BURST uploads, a separate `--role worker` process
# (:PORT+1, same SQLite files and blobs) renders them; its peak RSS is the "worker's RSS" of issue 13.
# (b') the same render also making FORMATS beside each JPEG (default avif,webp: what the worker makes by
#     default, Photos:Formats) — not the baseline's job, so reported apart: what the modern formats cost.
# The end-to-end and worker runs use the node's defaults, so they include FORMATS' encodes.
# Env: PHOTOS (24) ROUNDS (3) PARALLEL (nproc) BURST (200) WORKER_BURST (200) PORT (18311) FORMATS (avif,webp) SKIP_BUILD (0)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results}
PHOTOS=${PHOTOS:-24}
ROUNDS=${ROUNDS:-3}
PARALLEL=${PARALLEL:-$(nproc)}
BURST=${BURST:-200}
WORKER_BURST=${WORKER_BURST:-200}
PORT=${PORT:-18311}
FORMATS=${FORMATS:-avif,webp}
Q=82
dll=$root/src/Scalegram/bin/Release/net10.0/scalegram.dll
bench=$root/bench/Scalegram.Benchmarks/bin/Release/net10.0/Scalegram.Benchmarks.dll

for tool in vipsthumbnail vips curl python3; do
  command -v $tool >/dev/null || { echo "$tool is missing (Debian packages libvips-tools curl python3)" >&2; exit 1; }
done
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT is in use" >&2; exit 1; fi
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/bench/Scalegram.Benchmarks" -c Release -nologo -v q >/dev/null
  dotnet build "$root/src/Scalegram" -c Release -nologo -v q >/dev/null
fi

mkdir -p "$out"
work=$(mktemp -d /tmp/scalegram-benchimaging.XXXXXX)
node_pid=
worker_pid=
cleanup() {
  for pid in $node_pid $worker_pid; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "generating $PHOTOS photos ..." >&2
dotnet "$bench" imaging generate --dir "$work/photos" --count "$PHOTOS"
raw=$work/raw.txt
: >"$raw"

baseline() {
  rm -rf "$work/vt"; mkdir -p "$work/vt"
  local total_r=0 total_c=0
  for spec in "1080x1080> large" "640x640> medium" "320x320 thumb --smartcrop centre"; do
    set -- $spec
    local t
    t=$( { TIMEFORMAT='%R %U %S'; time vipsthumbnail "$work"/photos/*.jpg --size "$1" "${@:3}" \
          -o "$work/vt/%s_$2.jpg[Q=$Q,optimize_coding,strip]" >/dev/null 2>&1; } 2>&1 )
    total_r=$(python3 -c "print($total_r + ${t%% *})")
    total_c=$(python3 -c "r,u,s='$t'.split(); print($total_c + float(u) + float(s))")
  done
  local kb
  kb=$(( $(cat "$work"/vt/*.jpg | wc -c) / 1024 / PHOTOS ))
  echo "mode=vipsthumbnail photos=$PHOTOS wall=$total_r cpu=$total_c out_kb=$kb" | tee -a "$raw"
}

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS ..." >&2
  baseline
  dotnet "$bench" imaging render --dir "$work/photos" --parallel "$PARALLEL" | tee -a "$raw"
  dotnet "$bench" imaging render --dir "$work/photos" --parallel "$PARALLEL" --formats "$FORMATS" | sed 's/^mode=render_[^ ]*/mode=render_formats/' | tee -a "$raw"
done
dotnet "$bench" imaging stages --dir "$work/photos" | tee -a "$raw"
dotnet "$bench" imaging stages --dir "$work/photos" --formats "$FORMATS" | sed 's/^mode=stages_[^ ]*/mode=stages_formats/' | tee -a "$raw"

echo "end to end: $BURST uploads ..." >&2
dotnet "$dll" serve --role all --urls "http://127.0.0.1:$PORT" --data-dir "$work/data" \
  --Messaging:PollInterval=00:00:00.050 --Photos:UploadsPerHour=0 --Photos:Formats="$FORMATS" --Logging:LogLevel:Default=Warning >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/healthz/ready" >/dev/null && break; sleep 0.3; done
dotnet "$bench" imaging e2e --dir "$work/photos" --count "$BURST" --url "http://127.0.0.1:$PORT" --pid "$node_pid" | tee -a "$raw"
kill -TERM "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=

echo "the worker alone: $WORKER_BURST uploads ..." >&2
# No cache on the web node: the worker's "ready" would otherwise reach its photo reads only when the entry expires.
dotnet "$dll" serve --role web --urls "http://127.0.0.1:$PORT" --data-dir "$work/data2" \
  --Caching:Disabled=true --Photos:UploadsPerHour=0 --Logging:LogLevel:Default=Warning >"$work/web.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/healthz/ready" >/dev/null && break; sleep 0.3; done
dotnet "$dll" serve --role worker --urls "http://127.0.0.1:$((PORT + 1))" --data-dir "$work/data2" \
  --Messaging:PollInterval=00:00:00.050 --Photos:Formats="$FORMATS" --Logging:LogLevel:Default=Warning >"$work/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$((PORT + 1))/healthz/live" >/dev/null && break; sleep 0.3; done
dotnet "$bench" imaging e2e --dir "$work/photos" --count "$WORKER_BURST" --url "http://127.0.0.1:$PORT" --pid "$worker_pid" \
  | sed 's/^mode=e2e/mode=worker/' | tee -a "$raw"

{
  echo "# Imaging bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "$(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); vipsthumbnail $(vips --version | cut -d- -f2) (Debian), Scalegram's libvips $(dotnet "$bench" imaging version 2>/dev/null || echo '?') (NetVips.Native)."
  echo "$PHOTOS photos of 4000×3000 (12 MP), $(( $(cat "$work"/photos/*.jpg | wc -c) / 1024 / PHOTOS )) KB each on average; variants large 1080 box, medium 640 box, thumb 320² centre crop, JPEG Q=$Q optimize_coding strip; formats beside them in the \"+ formats\" rows, the end-to-end and the worker runs: ${FORMATS:-none}."
  echo
  python3 "$here/summarize.py" "$raw"
} >"$out/results.md"
cat "$out/results.md"
