#!/usr/bin/env bash
# Runs one member of a pg_auto_failover formation in the foreground, on 127.0.0.1 only:
#   run-autoctl.sh monitor DIR PORT
#   run-autoctl.sh node    DIR PORT NAME MONITOR_PORT [DBNAME]
# The first run creates the member (`pg_autoctl create ... --run`), later runs resume it
# (`pg_autoctl run`): the formation keeps its data and roles under DIR across restarts.
# pg_autoctl and PostgreSQL refuse root: they run as the postgres user, with pg_autoctl's own
# config and state under DIR (XDG_*), never in postgres' home. SIGTERM/SIGINT to this script is a
# fast shutdown of the member (pg_autoctl's SIGTERM is a "smart" one that waits for every client).
set -euo pipefail
role=$1; dir=$(realpath -m "$2"); port=$3
bin=/usr/lib/postgresql/15/bin
here=$(dirname "$(realpath "$0")")
as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
if [ "$(id -u)" -ne 0 ]; then as_postgres=(); fi

mkdir -p "$dir"
chown postgres:postgres "$dir" 2>/dev/null || true
chmod 700 "$dir"
cd "$dir"
export XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/share" XDG_RUNTIME_DIR="$dir/run"
export PG_CONFIG="$bin/pg_config" PGHOST=127.0.0.1
pgdata="$dir/pgdata"
common=(--pgctl "$bin/pg_ctl" --pgdata "$pgdata" --pgport "$port" --hostname 127.0.0.1 --listen 127.0.0.1 --auth trust --no-ssl)

case "$role" in
  monitor)
    if [ -s "$pgdata/PG_VERSION" ]; then
      command=(pg_autoctl run --pgdata "$pgdata")
    else
      command=(pg_autoctl create monitor "${common[@]}" --run)
    fi
    ;;
  node)
    name=$4; monitor_port=$5; dbname=${6:-scalegram}
    if [ -s "$pgdata/PG_VERSION" ]; then
      command=(pg_autoctl run --pgdata "$pgdata")
    else
      command=(pg_autoctl create postgres "${common[@]}" --name "$name" --dbname "$dbname"
        --monitor "postgres://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover?sslmode=disable" --run)
    fi
    ;;
  *)
    echo "usage: run-autoctl.sh monitor DIR PORT | node DIR PORT NAME MONITOR_PORT [DBNAME]" >&2
    exit 2
    ;;
esac

"${as_postgres[@]}" "${command[@]}" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT

if [ "$role" = monitor ]; then
  # Fail over in ~5 s instead of pg_auto_failover's ~50 s (see monitor-tuning.sql); applied on every
  # start, so a formation created by an older script gets them too.
  for _ in $(seq 300); do
    if "${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d pg_auto_failover -qAt -v ON_ERROR_STOP=1 -f "$here/monitor-tuning.sql" >/dev/null 2>&1; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
fi

if [ "$role" = node ] && [ ! -s "$pgdata/PG_VERSION" ]; then
  # A new standby's pg_basebackup asks the primary for a spread checkpoint, which took minutes here
  # on an idle primary: ask the primary (found through the monitor) for an immediate one until it
  # has its copy. CHECKPOINT is harmless on a primary and refused by a standby.
  (
    for _ in $(seq 600); do
      kill -0 "$pid" 2>/dev/null || exit 0
      [ -s "$pgdata/PG_VERSION" ] && exit 0
      primary=$("${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$monitor_port" -U autoctl_node -d pg_auto_failover -qAt \
        -c "SELECT primary_port FROM pgautofailover.get_primary('default', 0) WHERE primary_name <> '$name'" 2>/dev/null || true)
      if [ -n "$primary" ] && [ -d "$dir/backup" ]; then
        "${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$primary" -U postgres -d postgres -qAt -c CHECKPOINT >/dev/null 2>&1 || true
      fi
      sleep 1
    done
  ) &
fi

# wait returns early when a trapped signal arrives: wait again for pg_autoctl's own exit.
status=0
wait "$pid" || status=$?
if kill -0 "$pid" 2>/dev/null; then
  wait "$pid" || status=$?
fi
exit "$status"
