#!/usr/bin/env bash
# bench/ingest: what HTTP + WAL cost. On the same `loglake gen` records in the same run:
#   1. `loglake convert` of the NDJSON file (the batch path, one thread): records/s, MB/s;
#   2. `loglake serve` with 8 concurrent clients posting batches of 500 records as fast as the
#      durable acknowledgements come back: records/s, MB/s, p50/p99 acknowledgement latency;
#   3. the same clients paced at 50k records/s: p99 acknowledgement latency at that rate.
# The server flushes into Parquet in the background while it takes requests (buffer hints as
# configured: 64 MiB / 60 s), and at SIGTERM; its throughput is acknowledged records per second.
#
#   bench/ingest/run.sh [RECORDS]        # default 1000000
# Environment: LOGLAKE_BENCH_BIN (a loglake binary as it is), LOGLAKE_BENCH_BUILD (default build/release).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
records=${1:-1000000}
clients=8
batch=500
paced_rate=50000

cd "$root"
source bench/lib.sh  # sets $bin
tmp=$(mktemp -d /tmp/loglake-bench-ingest.XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$bin" gen --quiet --records "$records" --start 2024-05-01 --days 3 --seed 7 >"$tmp/records.ndjson"
input_mb=$(awk -v b="$(stat -c %s "$tmp/records.ndjson")" 'BEGIN {printf "%.1f", b / 1e6}')

t0=$(date +%s.%N)
"$bin" convert --lake "$tmp/convert-lake" --table access_log "$tmp/records.ndjson" >/dev/null
t1=$(date +%s.%N)
convert_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')

# Starts a server on a fresh lake; sets server_pid and url.
start_server() {
  rm -rf "$tmp/lake" && mkdir -p "$tmp/lake"
  "$bin" serve --lake "$tmp/lake" --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server_pid=$!
  for _ in $(seq 1 200); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
    [ -n "$url" ] && return 0
    sleep 0.05
  done
  cat "$tmp/serve.err" >&2
  exit 1
}
stop_server() {
  local t0 t1
  t0=$(date +%s.%N)
  kill -TERM "$server_pid"
  wait "$server_pid"
  t1=$(date +%s.%N)
  server_pid=
  drain_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
}

start_server
node bench/ingest/load.mjs "$url" "$tmp/records.ndjson" "$clients" "$batch" >"$tmp/full.json"
stop_server
full_drain=$drain_s
rows=$("$bin" query --lake "$tmp/lake" --no-dedup --format csv "SELECT count(*) FROM access_log" 2>/dev/null | tail -n 1)

start_server
node bench/ingest/load.mjs "$url" "$tmp/records.ndjson" "$clients" "$batch" "$paced_rate" >"$tmp/paced.json"
stop_server

field() { node -e "console.log(JSON.parse(require('fs').readFileSync('$1', 'utf8')).$2)"; }
echo
echo "$records records (\`loglake gen --records $records --start 2024-05-01 --days 3 --seed 7\`, $input_mb MB of NDJSON) on $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1))."
echo "Server: \`loglake serve\` defaults (Snappy, buffer hints 64 MiB / 60 s, WAL fdatasync per group commit); $clients clients, batches of $batch, keep-alive, node http."
echo
echo "| run | records/s | MB/s | p50 ack | p99 ack | vs convert |"
echo "|---|---:|---:|---:|---:|---:|"
awk -v r="$records" -v s="$convert_s" -v mb="$input_mb" 'BEGIN {
  printf "| `loglake convert` (one thread, file in, Parquet out) | %.0f | %.1f | | | 1.00x |\n", r / s, mb / s }'
full_rate=$(field "$tmp/full.json" records_per_s)
awk -v f="$full_rate" -v mbs="$(field "$tmp/full.json" mb_per_s)" -v p50="$(field "$tmp/full.json" p50_ms)" \
    -v p99="$(field "$tmp/full.json" p99_ms)" -v r="$records" -v s="$convert_s" 'BEGIN {
  printf "| `loglake serve`, %s clients as fast as acks come | %.0f | %.1f | %.1f ms | %.1f ms | %.2fx |\n", 8, f, mbs, p50, p99, f / (r / s) }'
awk -v f="$(field "$tmp/paced.json" records_per_s)" -v mbs="$(field "$tmp/paced.json" mb_per_s)" \
    -v p50="$(field "$tmp/paced.json" p50_ms)" -v p99="$(field "$tmp/paced.json" p99_ms)" -v rate="$paced_rate" 'BEGIN {
  printf "| `loglake serve`, paced at %d records/s | %.0f | %.1f | %.1f ms | %.1f ms | |\n", rate, f, mbs, p50, p99 }'
echo
echo "Failed requests: $(field "$tmp/full.json" failed) + $(field "$tmp/paced.json" failed). Rows in the lake after the first run's SIGTERM: $rows of $records (drain and final flush took ${full_drain} s)."
