#!/usr/bin/env bash
# Runs Debian's PostgreSQL 15 in the foreground for a topology, on 127.0.0.1 only:
#   run-postgres.sh DATA_DIR PORT
# PostgreSQL refuses to run as root, so it runs as the postgres user (setpriv execs, so
# SIGTERM from the AppHost reaches postgres itself: a fast, clean shutdown).
set -euo pipefail
dir=$(realpath -m "$1"); port=$2
bin=/usr/lib/postgresql/15/bin
here=$(dirname "$(realpath "$0")")
as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
if [ "$(id -u)" -ne 0 ]; then as_postgres=(); fi

if [ ! -s "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  chown postgres:postgres "$dir" 2>/dev/null || true
  chmod 700 "$dir"
  cd "$dir"
  "${as_postgres[@]}" "$bin/initdb" -D "$dir" --auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  cat "$here/postgresql.conf" >> "$dir/postgresql.conf"
  # The app's database, created in single-user mode (no server, no port needed yet).
  echo "CREATE DATABASE scalegram;" | "${as_postgres[@]}" "$bin/postgres" --single -D "$dir" postgres >/dev/null
fi

cd "$dir"
exec "${as_postgres[@]}" "$bin/postgres" -D "$dir" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir"
