#!/usr/bin/env bash
# Runs one Redis Sentinel (Debian's redis-sentinel: redis-server in sentinel mode) in the foreground:
#   run-sentinel.sh DIR PORT PRIMARY_PORT [SERVICE]
# It monitors the cache Redis primary named SERVICE (Redis:ServiceName, default "scalegram") on 127.0.0.1.
set -euo pipefail
dir=$(realpath -m "$1"); port=$2; primary=$3; service=${4:-scalegram}
here=$(dirname "$(realpath "$0")")
mkdir -p "$dir"
sed -e "s|@PORT@|$port|; s|@DIR@|$dir|; s|@PRIMARY_PORT@|$primary|; s|@SERVICE@|$service|g" \
  "$here/sentinel.conf.template" > "$dir/sentinel.conf"
exec redis-server "$dir/sentinel.conf" --sentinel
