#!/usr/bin/env bash
# The Scalegram load balancer for INDEX (0 or 1) inside its namespace, in the foreground:
#   run-lb.sh INDEX SCALEGRAM_DLL [settings...]
#   e.g. run-lb.sh 0 src/Scalegram/bin/Release/net10.0/scalegram.dll \
#          --LoadBalancing:Destinations:0=http://127.77.0.1:8081 --LoadBalancing:HealthCheckInterval=00:00:01
# It listens on the VIP (before it holds it: ip_nonlocal_bind) and on its own address, where
# keepalived's check, Prometheus and the AppHost's health check reach it. Destinations must be
# bridge addresses (127.77.0.1:port): inside the namespace 127.0.0.1 is its own lo.
# exec all the way down: the PID of this script becomes the LB's, so SIGTERM drains it and kill -9 kills it.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/common.sh"
require_root
require_index "${1:-}"
[ -n "${2:-}" ] || { echo "usage: run-lb.sh INDEX SCALEGRAM_DLL [settings...]" >&2; exit 2; }
i=$1; dll=$2; shift 2
[ -f "$dll" ] || { echo "run-lb.sh: $dll does not exist (build src/Scalegram first)." >&2; exit 1; }
ip netns list | grep -qw "^lb$i" || { echo "run-lb.sh: namespace lb$i does not exist: run network-up.sh first." >&2; exit 1; }
exec ip netns exec "lb$i" dotnet "$dll" serve --role lb --urls "http://$VIP:$LB_PORT;http://${LB_IP[$i]}:$LB_PORT" "$@"
