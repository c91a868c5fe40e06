#!/usr/bin/env bash
# deploy/varnish/run-varnish.sh WORK_DIR LISTEN_PORT ADMIN_PORT ORIGIN_HOST ORIGIN_PORT [more varnishd args]
#
# Renders scalegram.vcl.template into WORK_DIR/scalegram.vcl and runs Debian's varnishd (7.1) in the
# foreground (-F: the supervisor, AppHost or bench owns the process and stops it by PID), listening on
# 127.0.0.1:LISTEN_PORT with its management port on 127.0.0.1:ADMIN_PORT and its -n directory WORK_DIR/n
# (what varnishstat -n, varnishadm -n and Cdn:VarnishStatDirectories name).
#
# Env:  MEDIA_TTL (365d)       how long content-hashed media and versioned assets stay cached
#       GRACE (24h)            how long they are served stale while the origin is down
#       PROBE_INTERVAL (1s)    how often the origin's /healthz/ready is probed
#       PURGE_ACL ("")         addresses besides loopback allowed to PURGE/BAN, space-separated ("10.0.0.5 10.0.1.0/24")
#       CACHE_SIZE (256m)      malloc storage
#       LISTEN_HOST (127.0.0.1)
set -euo pipefail
[[ $# -ge 5 ]] || { sed -n 2,6p "$0" >&2; exit 2; }
work=$(realpath -m "$1"); port=$2; admin=$3; origin_host=$4; origin_port=$5; shift 5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"

acl=""
for entry in ${PURGE_ACL:-}; do
  address=${entry%/*}
  if [[ $entry == */* ]]; then acl+="    \"$address\"/${entry#*/};"$'\n'; else acl+="    \"$address\";"$'\n'; fi
done

python3 - "$here/scalegram.vcl.template" "$work/scalegram.vcl" <<PY
import sys
text = open(sys.argv[1]).read()
values = {
    "ORIGIN_HOST": "$origin_host", "ORIGIN_PORT": "$origin_port",
    "MEDIA_TTL": "${MEDIA_TTL:-365d}", "GRACE": "${GRACE:-24h}",
    "PROBE_INTERVAL": "${PROBE_INTERVAL:-1s}", "PURGE_ACL": """$acl""".rstrip("\n"),
}
for name, value in values.items():
    text = text.replace("{{" + name + "}}", value)
if "{{" in text:
    sys.exit("a placeholder was left unfilled in the VCL")
open(sys.argv[2], "w").write(text)
PY

exec varnishd -F -n "$work/n" -a "${LISTEN_HOST:-127.0.0.1}:$port" -T "127.0.0.1:$admin" \
  -f "$work/scalegram.vcl" -s "malloc,${CACHE_SIZE:-256m}" -P "$work/varnishd.pid" "$@"
