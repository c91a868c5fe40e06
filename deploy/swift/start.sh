#!/usr/bin/env bash
# OpenStack Swift all-in-one with the s3api middleware: a real S3-compatible object store on loopback.
#   deploy/swift/start.sh DIR PORT [REPLICAS]
# The S3 endpoint is http://127.0.0.1:PORT (access key test:tester, secret testing); the account,
# container and object servers take PORT+1..PORT+3 and memcached PORT+4 (object servers PORT+3.. with
# REPLICAS > 1). Everything lives under DIR (config, rings, devices, logs); the processes' PIDs are in
# DIR/pids, one a line; deploy/swift/stop.sh DIR ends them. Rerunning it on the same DIR keeps the data.
# Swift reads /etc/swift/swift.conf (the hash prefix) from that fixed path; Debian's package ships one.
set -euo pipefail
dir=$(realpath -m "${1:?usage: start.sh DIR PORT [REPLICAS]}")
port=${2:?usage: start.sh DIR PORT [REPLICAS]}
replicas=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3 # Debian's python, which has the swift modules (not a pyenv shim)

for bin in swift-proxy-server swift-account-server swift-container-server swift-object-server memcached; do
  command -v "$bin" >/dev/null || { echo "$bin is missing: apt-get install swift swift-proxy swift-object swift-container swift-account memcached" >&2; exit 1; }
done
[ -f /etc/swift/swift.conf ] || { echo "/etc/swift/swift.conf is missing (the swift package ships it)" >&2; exit 1; }

mkdir -p "$dir/etc" "$dir/log" "$dir/run"
account=$((port + 1)) container=$((port + 2)) memcached=$((port + 4))
objects=()
for ((i = 0; i < replicas; i++)); do
  objects+=($((port + 3 + (i == 0 ? 0 : i + 1))))
  mkdir -p "$dir/srv/o$i/d1"
done
mkdir -p "$dir/srv/a/d1" "$dir/srv/c/d1"

# Configs from the templates beside this script.
render() { sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$2|g" -e "s|@DEVICES@|$3|g" -e "s|@MEMCACHED@|127.0.0.1:$memcached|g" "$here/$1" >"$4"; }
render proxy-server.conf.in "$port" "" "$dir/etc/proxy-server.conf"
render account-server.conf.in "$account" "$dir/srv/a" "$dir/etc/account-server.conf"
render container-server.conf.in "$container" "$dir/srv/c" "$dir/etc/container-server.conf"
for ((i = 0; i < replicas; i++)); do
  render object-server.conf.in "${objects[$i]}" "$dir/srv/o$i" "$dir/etc/object-server-$i.conf"
done

# Rings, once (the RingBuilder API in one process: the CLI run 9 times costs ~13 s).
if [ ! -f "$dir/etc/object.ring.gz" ]; then
  "$python" - "$dir/etc" "$replicas" "$account" "$container" "${objects[@]}" <<'PY'
import sys
from swift.common.ring import RingBuilder
etc, replicas, account, container, objects = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), [int(p) for p in sys.argv[5:]]
def build(name, ports, copies):
    builder = RingBuilder(6, copies, 1)
    for i, p in enumerate(ports):
        builder.add_dev({"id": i, "region": 1, "zone": 1 + i, "ip": "127.0.0.1", "port": p, "device": "d1", "weight": 1})
    builder.rebalance()
    builder.save(f"{etc}/{name}.builder")
    builder.get_ring().save(f"{etc}/{name}.ring.gz")
build("account", [account], 1)
build("container", [container], 1)
build("object", objects, replicas)
PY
fi

export EVENTLET_NO_GREENDNS=yes # saves ~0.6 s per process
: >"$dir/pids"
launch() { # name, command...
  local name=$1; shift
  nohup "$@" >"$dir/log/$name.log" 2>&1 &
  echo $! >>"$dir/pids"
}
launch memcached memcached -l 127.0.0.1 -p "$memcached" -U 0 -m 64 -u root
launch account "$python" /usr/bin/swift-account-server "$dir/etc/account-server.conf"
launch container "$python" /usr/bin/swift-container-server "$dir/etc/container-server.conf"
for ((i = 0; i < replicas; i++)); do
  launch "object-$i" "$python" /usr/bin/swift-object-server "$dir/etc/object-server-$i.conf"
done
launch proxy "$python" /usr/bin/swift-proxy-server "$dir/etc/proxy-server.conf"

# Ready when the proxy's healthcheck answers and the backends listen (at most 30 s).
for _ in $(seq 300); do
  if curl -fsS "http://127.0.0.1:$port/healthcheck" >/dev/null 2>&1 &&
     (exec 3<>"/dev/tcp/127.0.0.1/$account") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$container") 2>/dev/null &&
     (exec 3<>"/dev/tcp/127.0.0.1/${objects[0]}") 2>/dev/null; then
    echo "swift s3api on http://127.0.0.1:$port (pids $(tr '\n' ' ' <"$dir/pids"))"
    exit 0
  fi
  while read -r pid; do
    kill -0 "$pid" 2>/dev/null || { echo "a swift process ($pid) exited; logs in $dir/log:" >&2; tail -n 20 "$dir"/log/*.log >&2; "$here/stop.sh" "$dir"; exit 1; }
  done <"$dir/pids"
  sleep 0.1
done
echo "swift did not become ready on 127.0.0.1:$port within 30 s; logs in $dir/log" >&2
"$here/stop.sh" "$dir"
exit 1
