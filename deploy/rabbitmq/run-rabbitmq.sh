#!/usr/bin/env bash
# Runs Debian's rabbitmq-server in the foreground in its own directory, on 127.0.0.1 only:
#   run-rabbitmq.sh DIR AMQP_PORT DIST_PORT EPMD_PORT
# Starts its own epmd on EPMD_PORT (never the shared default 4369) and stops it on exit.
set -euo pipefail
dir=$(realpath -m "$1"); amqp=$2; dist=$3; epmd_port=$4
here=$(dirname "$(realpath "$0")")
mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
cp "$here/rabbitmq.conf" "$dir/rabbitmq.conf"
echo "listeners.tcp.default = 127.0.0.1:$amqp" >> "$dir/rabbitmq.conf"
echo "[]." > "$dir/enabled_plugins"

export HOME="$dir/home"
export RABBITMQ_NODENAME="scalegram-$amqp@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp" RABBITMQ_DIST_PORT="$dist"
export ERL_EPMD_PORT="$epmd_port" ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_CTL_DIST_PORT_MIN=$((dist + 1)) RABBITMQ_CTL_DIST_PORT_MAX=$((dist + 10))
export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=-
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-start_epmd false"

epmd -port "$epmd_port" -address 127.0.0.1 -daemon
stop() {
  [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  ERL_EPMD_PORT="$epmd_port" epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
}
trap stop EXIT
trap 'exit 0' TERM INT
/usr/lib/rabbitmq/bin/rabbitmq-server &
pid=$!
wait "$pid"
