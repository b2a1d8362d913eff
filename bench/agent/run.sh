#!/usr/bin/env bash
# bench/agent: `loglake agent` shipping a file to a local `loglake serve` (loopback) — lines/s per
# core of the agent from file to acknowledged, and its CPU share and RSS at a steady 1,000 lines/s
# (bench/agent/agent_bench.mjs). Run once per body compression: gzip (the default) and zstd.
#
#   bench/agent/run.sh [LINES]        # default 500000
# Environment: LOGLAKE_BENCH_SECONDS (steady phase, default 30), LOGLAKE_BENCH_BIN,
# LOGLAKE_BENCH_BUILD (bench/lib.sh). Optional peer: LOGLAKE_BENCH_FLUENTBIT=/path/to/fluent-bit
# runs Fluent Bit (tail -> http, json_lines) on the same file to the same server and prints both
# side by side (bench/agent/fluentbit_run.mjs; Fluent Bit is never part of this repository).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source bench/lib.sh  # sets $bin
if [ -n "${LOGLAKE_BENCH_FLUENTBIT:-}" ] && [ ! -x "$LOGLAKE_BENCH_FLUENTBIT" ]; then
  echo "LOGLAKE_BENCH_FLUENTBIT=$LOGLAKE_BENCH_FLUENTBIT is not an executable (a fluent-bit binary)" >&2
  exit 2
fi
tmp=$(mktemp -d /tmp/loglake-bench-agent.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for compression in gzip zstd; do
  echo "== compression = \"$compression\""
  LOGLAKE_BIN="$bin" LOGLAKE_TEST_TMP="$tmp" LOGLAKE_BENCH_LINES=${1:-500000} \
    LOGLAKE_BENCH_AGENT_SETTINGS="compression = \"$compression\"" \
    node --no-warnings bench/agent/agent_bench.mjs
done
