#!/usr/bin/env bash
# Cache hit ratio on a Zipf(1.0) read workload against cache size (docs/caching.md, "Sizing").
# Usage: bench/cache/run.sh [keys] [reads]   — prints the table, writes results/zipf.txt and docs/bench/caching-zipf.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
keys="${1:-10000}"
reads="${2:-2000000}"
mkdir -p bench/cache/results docs/bench
dotnet build bench/Scalegram.Benchmarks -c Release -nologo -v q >/dev/null
dotnet bench/Scalegram.Benchmarks/bin/Release/net10.0/Scalegram.Benchmarks.dll zipf "$keys" "$reads" docs/bench/caching-zipf.svg | tee bench/cache/results/zipf.txt
