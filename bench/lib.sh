# bench/lib.sh — what every bench script shares. Source it: `. "$(dirname "$0")/../lib.sh"`.
#
#   bench_require TOOL "HINT"...   exit 1 naming the missing tool and how to install it
#   bench_free_ports PORT...       exit 1 if anything already listens on 127.0.0.1:PORT (we end only what we start)
#   bench_workdir PREFIX           make a temp dir, print its path
#   bench_track PID                stop PID (TERM, then KILL after 10 s) when the script exits
#   bench_on_exit DIR              install the exit trap: stop tracked processes newest first, then remove DIR
#
# Scripts with their own ordering needs (the replication bench stops PostgreSQL nodes before their monitor)
# keep their own trap; the port and tool checks still come from here.

bench_pids=()

bench_require() { # bench_require TOOL HINT
  command -v "$1" >/dev/null || { echo "$1 is missing: $2" >&2; exit 1; }
}

bench_free_ports() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
  done
}

bench_workdir() { mktemp -d "/tmp/scalegram-$1.XXXXXX"; }

bench_track() { bench_pids+=("$1"); }

bench_stop_all() {
  local pid i
  for ((i=${#bench_pids[@]}-1; i>=0; i--)); do kill -TERM "${bench_pids[$i]}" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait "${bench_pids[@]}" 2>/dev/null || true
}

bench_on_exit() { # bench_on_exit WORKDIR
  bench_workdir_to_remove=$1
  trap '__rc=$?; bench_stop_all; rm -rf "$bench_workdir_to_remove"; exit $__rc' EXIT
  trap 'exit 130' INT TERM
}
