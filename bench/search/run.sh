#!/usr/bin/env bash
# bench/search: the support search (tenant + one UTC day, every column, ORDER BY time DESC
# LIMIT 1000 — the search page's own query) by concurrent users through `loglake serve`'s HTTP
# query API, and the same SQL on DuckDB over the same files with the same number of concurrent
# connections, in the same run. Prints p50/p95 latency and searches/s as a Markdown table for the
# README's Performance section. See README.md here.
#
#   bench/search/run.sh [RECORDS_PER_DAY] [DAYS]    # default 1000000 31 (31M records, ~3.1 GB)
#
# Environment: LOGLAKE_BENCH_USERS (concurrent users, default 8), LOGLAKE_BENCH_SEARCHES (how many
# searches, default 8 per day: every (tenant, day) pair once), LOGLAKE_BENCH_POLL_MS (how often
# a user polls GET /v1/queries/{id}, default 10), LOGLAKE_BENCH_THREADS (DuckDB's threads, default
# all cores: loglake's serve uses all cores by default too), LOGLAKE_BENCH_TMP (scratch dir,
# default a new one under /tmp), LOGLAKE_BENCH_KEEP=1 keeps it, LOGLAKE_BENCH_LAKE=DIR reuses a
# lake built by an earlier run, LOGLAKE_BENCH_BUILD (default build/release) or LOGLAKE_BENCH_BIN
# (a loglake binary as it is, no build), LOGLAKE_BENCH_CONFIG (a serve config file to use; default
# none: every [query] setting at its default).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
per_day=${1:-1000000}
days=${2:-31}
users=${LOGLAKE_BENCH_USERS:-8}
poll_ms=${LOGLAKE_BENCH_POLL_MS:-10}
threads=${LOGLAKE_BENCH_THREADS:-$(nproc)}
count=${LOGLAKE_BENCH_SEARCHES:-$((8 * days))}
start=2024-05-01

cd "$root"
source bench/lib.sh  # sets $bin

tmp=${LOGLAKE_BENCH_TMP:-$(mktemp -d /tmp/loglake-bench-search.XXXXXX)}
mkdir -p "$tmp"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ "${LOGLAKE_BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT
lake=${LOGLAKE_BENCH_LAKE:-$tmp/lake}

build_note="reused"
if [ ! -d "$lake/access_log" ]; then
  records=$((per_day * days))
  echo "bench/search: generating $records records over $days days and converting them" >&2
  t0=$(date +%s.%N)
  "$bin" gen --quiet --records "$records" --start "$start" --days "$days" --seed 42 --dup-rate 0.001 \
    | "$bin" convert --lake "$lake" --table access_log >&2
  t1=$(date +%s.%N)
  build_note=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "built in %.0f s", b - a}')
fi
lake_days=$(find "$lake/access_log" -mindepth 3 -maxdepth 3 -type d -not -path '*/_*' | wc -l)
lake_bytes=$(find "$lake/access_log" -name '*.parquet' -not -path '*/_errors/*' -printf '%s\n' | awk '{s += $1} END {print s}')

# The server: the lake read-only in effect (nothing is ingested); its WAL in the scratch dir.
config_args=()
[ -n "${LOGLAKE_BENCH_CONFIG:-}" ] && config_args=(--config "$(realpath "$LOGLAKE_BENCH_CONFIG")")
"$bin" serve --lake "$lake" --wal "$tmp/wal" --listen 127.0.0.1:0 "${config_args[@]}" >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
url=
for _ in $(seq 1 200); do
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { cat "$tmp/serve.err" >&2; exit 1; }

echo "bench/search: loglake, $users users through $url" >&2
node bench/search/load.mjs api "$url" "$start" "$lake_days" "$users" "$poll_ms" true "$count" >"$tmp/api.json"
echo "bench/search: loglake, dedup off" >&2
node bench/search/load.mjs api "$url" "$start" "$lake_days" "$users" "$poll_ms" false "$count" >"$tmp/api-no-dedup.json"
kill "$server_pid" && wait "$server_pid" || true
server_pid=
echo "bench/search: DuckDB, $users connections, $threads threads" >&2
# One libuv worker per connection, so that all of them are in flight at once.
UV_THREADPOOL_SIZE=$((users > 4 ? users : 4)) \
  node bench/search/load.mjs duckdb "$lake" "$start" "$lake_days" "$users" "$threads" "$count" >"$tmp/duckdb.json"

cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
duck_version=$(node -e "
  const r = require('module').createRequire('$root/tests/interop/package.json');
  console.log(r('@duckdb/node-api/package.json').version)")
echo
echo "$lake_days days of $per_day records (\`loglake gen --records $((per_day * days)) --start $start --days $days --seed 42"
echo "--dup-rate 0.001 | loglake convert\`, $(awk -v b="$lake_bytes" 'BEGIN {printf "%.2f", b / 1e9}') GB of Parquet, $build_note); $users concurrent users,"
echo "each search the search page's records query for one tenant (8 tenants) and one UTC day, $count (tenant, day)"
echo "pairs in a fixed shuffled order; $(nproc) cores ($cpu_model); loglake serve with its default [query] settings"
echo "${LOGLAKE_BENCH_CONFIG:+(config $LOGLAKE_BENCH_CONFIG) }and users polling every $poll_ms ms; DuckDB $duck_version via node, $threads threads, one connection per user."
echo
node bench/search/load.mjs report "$tmp/api.json" "$tmp/duckdb.json" "$tmp/api-no-dedup.json"
