#!/usr/bin/env bash
# bench/wrk/run.sh NAME [settings...]: starts one Release node with the given settings on a free
# port, seeds 100 users, runs wrk (read-heavy.lua, 2 threads, 32 connections, 5 s warm-up + 20 s),
# prints throughput, p50/p99 and DB calls per request (scalegram_db_calls from /metrics), stops it.
# Build first: dotnet build Scalegram.slnx -c Release. Needs wrk (Debian package).
set -uo pipefail
name=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
dll=$here/../../src/Scalegram/bin/Release/net10.0/scalegram.dll
dir=$(mktemp -d)/$name-data; rm -rf $dir; mkdir -p $dir
port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); print(s.getsockname()[1])")
dotnet $dll serve --role all --urls http://127.0.0.1:$port --Data:Directory=$dir --Logging:LogLevel:Default=Warning \
  --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000 "$@" > "$dir.log" 2>&1 &
pid=$!
for i in $(seq 1 100); do curl -sf http://127.0.0.1:$port/healthz/ready >/dev/null && break; sleep 0.3; done
codes=$(for i in $(seq 1 100); do
  curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d "{\"username\":\"user$i\",\"password\":\"a-fine-long-passphrase\"}" http://127.0.0.1:$port/api/accounts
done | sort | uniq -c | tr '\n' ' ')
echo "$name sign-ups: $codes"
export TOKEN=$(curl -s -H 'Content-Type: application/json' -d '{"username":"user1","password":"a-fine-long-passphrase"}' http://127.0.0.1:$port/api/sessions | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")
calls() { curl -s http://127.0.0.1:$port/metrics | awk '/^scalegram_db_calls_total\{/ {s+=$NF} END {print s+0}'; }
wrk -t2 -c32 -d5s -s "$here/read-heavy.lua" http://127.0.0.1:$port >/dev/null  # warm-up
before=$(calls)
out=$(wrk -t2 -c32 -d20s --latency -s "$here/read-heavy.lua" http://127.0.0.1:$port)
after=$(calls)
reqs=$(echo "$out" | awk '/requests in/ {print $1}')
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
p50=$(echo "$out" | awk '$1=="50%" {print $2}')
errs=$(echo "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ')
echo "$name rps=$rps p50=$p50 p99=$p99 requests=$reqs dbcalls=$((after-before)) dbcalls/req=$(python3 -c "print(round(($after-$before)/$reqs,3))") $errs"
kill -TERM $pid; wait $pid 2>/dev/null
