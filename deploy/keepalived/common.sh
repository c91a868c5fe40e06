# Shared by the scripts in deploy/keepalived (sourced, not run): the names and addresses of the
# "two LBs, one address" network. Only 127.x addresses: nothing here can route off the machine.
BR=sgbr0                    # bridge in the host namespace; the web nodes listen on its address
BR_IP=127.77.0.1
NET=127.77.0.0/24
VIP=127.77.0.100            # the floating address, held by the VRRP master
LB_IP=(127.77.0.10 127.77.0.11)
LB_PORT=8080
ENTRY_PORT=8080             # host entry point 127.0.0.1:8080 -> VIP:8080
TAG=scalegram-vip           # comment on every iptables rule we add, so down removes only ours

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$(basename "$0"): must run as root (network namespaces, veths, iptables and keepalived need it)." >&2
    exit 1
  fi
}

require_index() { # lb index: 0 or 1
  case "${1:-}" in
    0|1) ;;
    *) echo "$(basename "$0"): the first argument is the LB index, 0 or 1 (got '${1:-}')." >&2; exit 2 ;;
  esac
}
