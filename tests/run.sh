#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need (as root, from
# Debian's packages), builds, runs every test project, and prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_packages=()
for pkg in chromium prometheus fonts-dejavu-core postgresql-15 postgresql-15-auto-failover pg-auto-failover-cli redis-server rabbitmq-server keepalived iptables curl varnish swift swift-proxy swift-object swift-container swift-account memcached; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_packages+=("$pkg")
done
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: ${need_packages[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "Installing: ${need_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Exactly the versions in the packages.lock.json files: a restore that would change one fails here.
dotnet restore --locked-mode Scalegram.slnx -v quiet
dotnet build Scalegram.slnx -c Release -nologo -v quiet --no-restore

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal" || status=1
done

# Our own closing line, counted from the TRX files (CI does not parse dotnet test's summary).
read -r passed failed < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
print(passed, failed)
PY
)
trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
project_count=$(ls tests/*/*.csproj | wc -l)
if [ "$trx_count" -ne "$project_count" ]; then
  echo "Only $trx_count of $project_count test projects produced results." >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
