#!/usr/bin/env bash
# Removes what network-up.sh created: processes still inside lb0/lb1 (SIGTERM, then SIGKILL after 3 s),
# the iptables rules tagged scalegram-vip, the veths, the table-local route, the bridge, the namespaces.
# Idempotent: anything already gone is skipped, so it is safe after a crash or twice in a row.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/common.sh"
require_root

# Processes in our namespaces were started for this network (LBs, keepalived); a crashed run may have
# left some. keepalived drops the VIP cleanly on SIGTERM.
pids=()
for ns in lb0 lb1; do
  if ip netns list | grep -qw "^$ns"; then
    pids+=($(ip netns pids "$ns" 2>/dev/null || true))
  fi
done
if [ ${#pids[@]} -gt 0 ]; then
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 30); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
fi

# Only the rules carrying our tag, one at a time (iptables -D takes the rule as it was added).
if command -v iptables >/dev/null; then
  for chain in OUTPUT POSTROUTING; do
    while rule=$(iptables -t nat -S "$chain" 2>/dev/null | grep -m1 -- "--comment $TAG"); do
      eval "iptables -t nat ${rule/-A /-D }" || break
    done
  done
fi

for i in 0 1; do ip link show "sgv$i" >/dev/null 2>&1 && ip link del "sgv$i"; done
ip route del "$NET" dev "$BR" table local 2>/dev/null || true
ip link show "$BR" >/dev/null 2>&1 && ip link del "$BR"   # its per-device sysctls go with it
for ns in lb0 lb1; do ip netns list | grep -qw "^$ns" && ip netns del "$ns"; done
true
