#!/usr/bin/env bash
# bench/replication/run.sh — issue 10's replication bench, every figure from one run (ratios within it).
#
#   bench/replication/run.sh [OUT_DIR]      (default: bench/replication/results; writes results.md there)
#
# Starts, all on 127.0.0.1, as root (PostgreSQL runs as the postgres user), all stopped on exit:
#   a pg_auto_failover formation by deploy/postgres/run-autoctl.sh: monitor :25440, nodes :25441-25443
#   (node1 primary, node2/node3 standbys, synchronous_standby_names = ANY 1 (...), the shipped tuning)
#   one web node :25480 (`scalegram serve --role all --Caching:Disabled=true`) per read configuration
# Parts:
#   1. write latency, synchronous vs asynchronous commit: pgbench -N (simple-update, 4 clients) on the
#      primary with synchronous_commit = on (waits for ANY 1 standby) / local / off, interleaved ROUNDS times
#   2. replica lag under a write load: pgbench -N (8 clients, LAG_SECONDS) on the primary while sampling
#      pg_stat_replication every 0.2 s: replay lag in bytes (pg_wal_lsn_diff) and time (replay_lag)
#   3. DB-bound read throughput through the app (cache off): wrk on GET /api/users/bench1 of one web node
#      with 0 replicas (reads on the primary), 1 and 2 standbys serving reads; needs the app's replica
#      routing (issue 10, branch repl-app); interleaved ROUNDS times
# On this machine all of it shares 2 cores with everything else: replicas add no CPU, so part 3 shows the
# cost/benefit of spreading reads on one box, not the scale-out a real second machine would give.
#
# Env: DURATION (10) ROUNDS (3) LAG_SECONDS (15) CONNS (32) SKIP_BUILD (0) READS (1: run part 3)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
LAG_SECONDS=${LAG_SECONDS:-15}
CONNS=${CONNS:-32}
READS=${READS:-1}
bin=/usr/lib/postgresql/15/bin
dll=$root/src/Scalegram/bin/Release/net10.0/scalegram.dll
monitor=25440; nodes=(25441 25442 25443); web=25480

[ "$(id -u)" -eq 0 ] || { echo "run as root (PostgreSQL is started as the postgres user)" >&2; exit 1; }
. "$here/../lib.sh"
bench_require pg_autoctl "apt-get install -y --no-install-recommends pg-auto-failover-cli postgresql-15-auto-failover"
bench_require wrk "apt-get install -y --no-install-recommends wrk"
bench_free_ports $monitor "${nodes[@]}" $web
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/src/Scalegram" -c Release -nologo -v q >/dev/null
fi

mkdir -p "$out"
work=$(mktemp -d /tmp/scalegram-benchrepl.XXXXXX)
chmod 755 "$work"
pids=()
web_pid=
cleanup() {
  local rc=$?
  [ -n "$web_pid" ] && kill -TERM "$web_pid" 2>/dev/null || true
  # Nodes first, then the monitor (the script turns SIGTERM into pg_autoctl's fast shutdown).
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}" $web_pid; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

sql() { # sql PORT DB QUERY
  "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -d "$2" -qAt -c "$3"
}
formation_states() {
  "$bin/psql" -h 127.0.0.1 -p $monitor -U autoctl_node -d pg_auto_failover -qAt \
    -c "SELECT string_agg(nodename || '=' || reportedstate, ' ' ORDER BY nodename) FROM pgautofailover.node WHERE reportedstate = goalstate" 2>/dev/null || true
}

# --- the formation ---------------------------------------------------------------------------------
started=$(date +%s.%N)
bash "$root/deploy/postgres/run-autoctl.sh" monitor "$work/monitor" $monitor >"$work/monitor.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do "$bin/psql" -h 127.0.0.1 -p $monitor -U autoctl_node -d pg_auto_failover -qAt -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
for i in 1 2 3; do
  bash "$root/deploy/postgres/run-autoctl.sh" node "$work/node$i" "${nodes[$((i-1))]}" "node$i" $monitor scalegram >"$work/node$i.log" 2>&1 &
  pids+=($!)
  if [ $i -eq 1 ]; then
    for _ in $(seq 600); do [[ $(formation_states) == *node1=single* ]] && break; sleep 0.2; done
  fi
done
for _ in $(seq 900); do
  s=$(formation_states)
  [[ $s == "node1=primary node2=secondary node3=secondary" ]] && break
  sleep 0.2
done
[[ $s == "node1=primary node2=secondary node3=secondary" ]] || { echo "formation not healthy: $s" >&2; tail -n 20 "$work"/*.log >&2; exit 1; }
startup=$(echo "$(date +%s.%N) - $started" | bc)
primary=${nodes[0]}
sync_names=$(sql $primary postgres "SHOW synchronous_standby_names")
echo "formation healthy in ${startup}s; synchronous_standby_names = $sync_names"

# --- 1. write latency: synchronous vs asynchronous commit ------------------------------------------
"$bin/pgbench" -h 127.0.0.1 -p $primary -U postgres -i -s 4 -q scalegram >/dev/null 2>&1
declare -A tps lat
for round in $(seq 1 "$ROUNDS"); do
  for mode in on local off; do
    result=$(PGOPTIONS="-c synchronous_commit=$mode" "$bin/pgbench" -h 127.0.0.1 -p $primary -U postgres -N -c 4 -j 2 -T "$DURATION" scalegram 2>/dev/null)
    t=$(echo "$result" | awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}')
    l=$(echo "$result" | awk -F'= ' '/latency average/ {split($2, a, " "); print a[1]}')
    echo "round $round synchronous_commit=$mode: $t tps, $l ms average" | tee -a "$work/raw.txt"
    tps[$mode]="${tps[$mode]:-} $t"; lat[$mode]="${lat[$mode]:-} $l"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# --- 2. replica lag under a write load -------------------------------------------------------------
"$bin/pgbench" -h 127.0.0.1 -p $primary -U postgres -N -c 8 -j 2 -T "$LAG_SECONDS" scalegram >"$work/lag-pgbench.txt" 2>&1 &
bench=$!
: >"$work/lag.csv"
while kill -0 $bench 2>/dev/null; do
  sql $primary postgres "SELECT application_name, sync_state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), COALESCE(EXTRACT(epoch FROM replay_lag) * 1000, 0) FROM pg_stat_replication" \
    | tr '|' ',' >>"$work/lag.csv" || true
  sleep 0.2
done
wait $bench || true
lag_tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}' "$work/lag-pgbench.txt")
lag_table=$(python3 - "$work/lag.csv" <<'PY'
import csv, sys, statistics
rows = {}
for name, state, lag_bytes, lag_ms in csv.reader(open(sys.argv[1])):
    rows.setdefault((name, state), []).append((float(lag_bytes), float(lag_ms)))
for (name, state), samples in sorted(rows.items()):
    b = sorted(s[0] for s in samples); m = sorted(s[1] for s in samples)
    p = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
    print(f"| {name} ({state}) | {len(samples)} | {statistics.median(b)/1024:.1f} | {p(b, .99)/1024:.1f} | {max(b)/1024:.1f} | {statistics.median(m):.1f} | {p(m, .99):.1f} | {max(m):.1f} |")
PY
)

# --- 3. DB-bound reads through the app with 0, 1, 2 replicas ----------------------------------------
reads_section="(skipped: READS=0)"
if [[ $READS == 1 ]]; then
  primary_string="Host=127.0.0.1:${nodes[0]},127.0.0.1:${nodes[1]},127.0.0.1:${nodes[2]};Username=postgres;Database=scalegram;Target Session Attributes=read-write"
  replica_string() { echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=scalegram"; }
  start_web() { # start_web N_REPLICAS
    local args=(serve --role all --urls "http://127.0.0.1:$web" --data-dir "$work/data" --Logging:LogLevel:Default=Warning --Web:SignUpsPerMinute=100000 --Web:SignInsPerMinute=100000
      --Caching:Disabled=true --Data:Engine=Postgres "--Data:Postgres:Stores:0:Primary=$primary_string")
    for ((r=0; r<$1; r++)); do args+=("--Data:Postgres:Stores:0:Replicas:$r=$(replica_string "${nodes[$((r+1))]}")"); done
    dotnet "$dll" "${args[@]}" >>"$work/web.log" 2>&1 &
    web_pid=$!
    for _ in $(seq 600); do curl -fs "http://127.0.0.1:$web/healthz/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "web node did not get ready" >&2; tail -n 30 "$work/web.log" >&2; exit 1
  }
  stop_web() { kill -TERM "$web_pid"; for _ in $(seq 100); do kill -0 "$web_pid" 2>/dev/null || break; sleep 0.1; done; web_pid=; }
  start_web 0
  curl -fs -o /dev/null -H 'Content-Type: application/json' -d '{"username":"bench1","password":"a-fine-long-passphrase"}' "http://127.0.0.1:$web/api/accounts" || true
  curl -fs -o /dev/null "http://127.0.0.1:$web/api/users/bench1" || { echo "GET /api/users/bench1 failed" >&2; exit 1; }
  stop_web
  declare -A rps
  for round in $(seq 1 "$ROUNDS"); do
    for n in 0 1 2; do
      start_web $n
      wrk -t2 -c"$CONNS" -d2s "http://127.0.0.1:$web/api/users/bench1" >/dev/null 2>&1 # warm-up (JIT, pools)
      r=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$web/api/users/bench1" | awk '/Requests\/sec/ {print $2}')
      served=$(curl -fs "http://127.0.0.1:$web/metrics" | grep -E "^scalegram_db_reads" | tr '\n' ' ' | cut -c1-300 || true)
      echo "round $round, $n replica(s): $r req/s  $served" | tee -a "$work/raw.txt"
      rps[$n]="${rps[$n]:-} $r"
      stop_web
    done
  done
  base=$(echo "${rps[0]}" | median)
  reads_section="| replicas serving reads | req/s (median of $ROUNDS) | ratio to 0 |
|---|---|---|
$(for n in 0 1 2; do m=$(echo "${rps[$n]}" | median); printf '| %s | %.0f | %.2f |\n' "$n" "$m" "$(echo "$m / $base" | bc -l)"; done)"
fi

# --- results -------------------------------------------------------------------------------------
on_tps=$(echo "${tps[on]}" | median)
{
  echo "# Replication bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores shared, load average at end: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Formation (monitor + 3 nodes) healthy ${startup} s after launch; synchronous_standby_names = \`$sync_names\`."
  echo
  echo "## Write latency: synchronous vs asynchronous commit (pgbench -N, 4 clients, ${DURATION} s x ${ROUNDS} rounds, interleaved)"
  echo
  echo "| synchronous_commit | tps (median) | latency avg ms (median) | tps ratio to on |"
  echo "|---|---|---|---|"
  for mode in on local off; do
    m=$(echo "${tps[$mode]}" | median); l=$(echo "${lat[$mode]}" | median)
    printf '| %s | %.0f | %.2f | %.2f |\n' "$mode" "$m" "$l" "$(echo "$m / $on_tps" | bc -l)"
  done
  echo
  echo "## Replica lag under a write load (pgbench -N, 8 clients, ${LAG_SECONDS} s, ${lag_tps} tps; sampled every 0.2 s)"
  echo
  echo "| standby | samples | bytes median KiB | p99 KiB | max KiB | replay_lag median ms | p99 ms | max ms |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "$lag_table"
  echo
  echo "## DB-bound reads through the app, cache off (wrk -t2 -c${CONNS} GET /api/users/bench1, ${DURATION} s x ${ROUNDS} rounds)"
  echo
  echo "$reads_section"
  echo
  echo "## Every round (for the spread: other work on the machine changes between rounds)"
  echo
  echo '```'
  cat "$work/raw.txt"
  echo '```'
} | tee "$out/results.md"
