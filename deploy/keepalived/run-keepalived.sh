#!/usr/bin/env bash
# keepalived for LB INDEX (0 or 1) in its namespace, in the foreground, VRRP only:
#   run-keepalived.sh INDEX STATE_DIR
# Writes STATE_DIR/keepalived-lbN.conf from keepalived.conf.template, keeps its pid files there
# (private: two keepalived run on one machine), then execs keepalived (SIGTERM stops it and drops the VIP).
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/common.sh"
require_root
require_index "${1:-}"
[ -n "${2:-}" ] || { echo "usage: run-keepalived.sh INDEX STATE_DIR" >&2; exit 2; }
i=$1; ns=lb$i; dir=$(realpath -m "$2")
command -v keepalived >/dev/null || { echo "run-keepalived.sh: keepalived is missing (apt-get install -y --no-install-recommends keepalived)." >&2; exit 1; }
ip netns list | grep -qw "^$ns" || { echo "run-keepalived.sh: namespace $ns does not exist: run network-up.sh first." >&2; exit 1; }
mkdir -p "$dir"
conf=$dir/keepalived-$ns.conf; kpid=$dir/keepalived-$ns.pid; vpid=$dir/keepalived-$ns.vrrp.pid

# A previous keepalived killed with -9 leaves its VRRP child alive for about a second; a new one
# started meanwhile says "daemon is already running" and exits. Wait for the old PIDs, then forget them.
for f in "$kpid" "$vpid"; do
  if [ -s "$f" ]; then
    old=$(cat "$f")
    for _ in $(seq 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$old" 2>/dev/null || true
  fi
  rm -f "$f"
done
# kill -9 of both keepalived processes leaves the VIP on this namespace: drop the stale copy, or two
# namespaces would own the address.
ip -n "$ns" addr del "$VIP/24" dev eth0 2>/dev/null || true

priority=$((i == 0 ? 150 : 100))
sed -e "s/@NAME@/$ns/g" -e "s/@SELF@/${LB_IP[$i]}/g" -e "s/@PEER@/${LB_IP[$((1 - i))]}/g" \
    -e "s/@PORT@/$LB_PORT/g" -e "s/@VIP@/$VIP/g" -e "s/@PRIORITY@/$priority/g" \
    "$here/keepalived.conf.template" > "$conf"
ip netns exec "$ns" keepalived -t -f "$conf" >/dev/null 2>&1 || { ip netns exec "$ns" keepalived -t -f "$conf"; echo "run-keepalived.sh: $conf does not pass keepalived -t." >&2; exit 1; }

# -n foreground, -l -D log details to the console, -G no syslog, -P VRRP only.
exec ip netns exec "$ns" keepalived -n -l -D -G -P -f "$conf" -p "$kpid" -r "$vpid"
