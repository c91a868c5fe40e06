#!/usr/bin/env bash
# The network for two load balancers behind one floating address, on one machine:
#   host:  bridge sgbr0 127.77.0.1/24 (the web nodes listen here), entry 127.0.0.1:8080 -> VIP:8080
#   lb0:   namespace, eth0 127.77.0.10/24 (veth sgv0 on the bridge)
#   lb1:   namespace, eth0 127.77.0.11/24 (veth sgv1 on the bridge)
#   VIP:   127.77.0.100, added by keepalived (run-keepalived.sh) on the VRRP master's eth0
# First removes leftovers of a previous (crashed) run, so it can always be run again.
# Undo with network-down.sh.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/common.sh"
require_root
for tool in ip iptables sysctl; do
  command -v "$tool" >/dev/null || { echo "network-up.sh: '$tool' is missing (apt-get install -y --no-install-recommends iproute2 iptables)." >&2; exit 1; }
done

"$here/network-down.sh"

# 1. The bridge. route_localnet on it only: the kernel otherwise drops 127.x packets on a real link
#    (all, default and lo stay 0). No IPv6, so no fe80:: address appears either.
ip link add "$BR" type bridge
sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1"
ip addr add "$BR_IP/24" dev "$BR"
sysctl -qw "net.ipv4.conf.$BR.route_localnet=1"
ip link set "$BR" up
# The host's "local 127.0.0.0/8 dev lo" would swallow 127.77.0.0/24 if anyone adds an ip rule (the
# local and main tables then stop being merged); a /24 in table local wins either way.
ip route add "$NET" dev "$BR" src "$BR_IP" table local

# 2. One namespace per LB, joined to the bridge by a veth.
for i in 0 1; do
  ns=lb$i
  ip netns add "$ns"
  ip -n "$ns" link set lo up                  # lo gets 127.0.0.1/8 when it comes up ...
  ip -n "$ns" addr del 127.0.0.1/8 dev lo     # ... narrowed to /32, so 127.77.x is not "local" in the ns
  ip -n "$ns" addr add 127.0.0.1/32 dev lo
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip link add "sgv$i" type veth peer name eth0 netns "$ns"
  sysctl -qw "net.ipv6.conf.sgv$i.disable_ipv6=1"
  ip link set "sgv$i" master "$BR" up
  # ip_nonlocal_bind: the LB binds the VIP before keepalived gives it to this namespace.
  ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1 net.ipv4.ip_nonlocal_bind=1
  ip -n "$ns" addr add "${LB_IP[$i]}/24" dev eth0
  ip -n "$ns" link set eth0 up
done

# 3. The entry point: connections from this host to 127.0.0.1:8080 go to the VIP. DNAT alone is not
#    enough: the LB would answer source 127.0.0.1, its own lo; SNAT makes the source the bridge address.
#    This catches EVERY host process connecting to 127.0.0.1:8080 while the network is up.
iptables -t nat -A OUTPUT -d 127.0.0.1/32 -p tcp --dport "$ENTRY_PORT" -m comment --comment "$TAG" \
  -j DNAT --to-destination "$VIP:$LB_PORT"
iptables -t nat -A POSTROUTING -s 127.0.0.1/32 -o "$BR" -m comment --comment "$TAG" \
  -j SNAT --to-source "$BR_IP"
echo "network-up: bridge $BR $BR_IP, lb0 ${LB_IP[0]}, lb1 ${LB_IP[1]}, entry 127.0.0.1:$ENTRY_PORT -> $VIP:$LB_PORT"
