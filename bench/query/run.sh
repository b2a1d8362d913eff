#!/usr/bin/env bash
# bench/query: the searches of issue 3 on `loglake query` and on DuckDB over the same lake, in the
# same run, with the same number of threads, both timed as whole processes. Prints a Markdown
# table for the README's Performance section. See README.md here.
#
#   bench/query/run.sh [RECORDS]     # default 10000000 (10 days x 1M); 1000000 is a quick run
#
# Environment: LOGLAKE_BENCH_TMP (scratch dir, default a new one under /tmp; ~110 bytes of
# Parquet per record), LOGLAKE_BENCH_KEEP=1 keeps it afterwards, LOGLAKE_BENCH_LAKE=DIR reuses a
# lake built by an earlier run (with LOGLAKE_BENCH_KEEP=1), LOGLAKE_BENCH_BUILD (default
# build/release) or LOGLAKE_BENCH_BIN (a loglake binary to use as it is, no build),
# LOGLAKE_BENCH_THREADS (default: all cores), LOGLAKE_BENCH_RUNS (default 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
records=${1:-${RECORDS:-10000000}}
days=10
threads=${LOGLAKE_BENCH_THREADS:-$(nproc)}
runs=${LOGLAKE_BENCH_RUNS:-3}

cd "$root"
source bench/lib.sh  # sets $bin

tmp=${LOGLAKE_BENCH_TMP:-$(mktemp -d /tmp/loglake-bench-query.XXXXXX)}
mkdir -p "$tmp"
[ "${LOGLAKE_BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
lake=${LOGLAKE_BENCH_LAKE:-$tmp/lake}

if [ ! -d "$lake/access_log" ]; then
  echo "bench/query: generating $records records over $days days and converting them" >&2
  "$bin" gen --quiet --records "$records" --start 2024-05-01 --days "$days" --seed 42 --dup-rate 0.001 \
    | "$bin" convert --lake "$lake" --table access_log >&2
fi
lake_bytes=$(find "$lake/access_log" -name '*.parquet' -not -path '*/_errors/*' -printf '%s\n' | awk '{s += $1} END {print s}')

# A uuid of day 5 (2024-05-05) for the needle searches: the first one from '8' on, a fixed choice.
needle=$(node "$root/bench/query/duckdb_query.mjs" "$lake" 1 \
  "SELECT min(uuid) FROM read_parquet('$lake/access_log/2024/05/05/*.parquet') WHERE uuid >= '8'" \
  | sed -n 's/.*"first":"\([^"]*\)".*/\1/p')
[ -n "$needle" ] || { echo "bench/query: could not pick a uuid" >&2; exit 1; }

day5="$lake/access_log/2024/05/05/*.parquet"
every_day="$lake/access_log/*/*/*/*.parquet"
# name | target ratio of time | target ratio of peak RSS (- for none) | loglake SQL | DuckDB SQL (- = the same)
#      | files and columns DuckDB needs (for its bytes read: GLOB COLUMNS)
queries=(
  "uuid needle, 1 day|0.1|-|SELECT * FROM access_log WHERE uuid = '$needle' AND time >= TIMESTAMP '2024-05-05 00:00:00' AND time < TIMESTAMP '2024-05-06 00:00:00'|-|$day5 uuid,time"
  "uuid needle, 10 days|0.1|-|SELECT * FROM access_log WHERE uuid = '$needle'|-|$every_day uuid"
  "support search (tenant + 8 h, time DESC LIMIT 1000)|0.5|-|SELECT time, uuid, user_id, method, path, status, duration_ms FROM access_log WHERE tenant_id = 'globex' AND time >= TIMESTAMP '2024-05-05 09:00:00' AND time < TIMESTAMP '2024-05-05 17:00:00' ORDER BY time DESC LIMIT 1000|-|$day5 time,tenant_id"
  "path prefix LIKE + status >= 500, 10 days|1.0|-|SELECT time, uuid, path, status FROM access_log WHERE path LIKE '/api/%' AND status >= 500 ORDER BY time DESC LIMIT 1000|-|$every_day path,status,time"
  "count by status and hour, 10 days|1.0|-|SELECT status, date_trunc('hour', time) AS hour, count(*) AS n FROM access_log GROUP BY 1, 2 ORDER BY 2, 1|-|$every_day status,time"
  "count(DISTINCT uuid), 10 days|0.5|0.25|SELECT count(DISTINCT uuid) FROM access_log|-|$every_day uuid"
  "deduplicated count, 10 days|0.5|0.25|SELECT count(*) FROM access_log|SELECT count(*) FROM (SELECT DISTINCT CAST(time AS DATE), uuid FROM access_log)|$every_day uuid,time"
  "user_agent contains LIKE, 10 days|1.0|-|SELECT count(*) FROM access_log WHERE user_agent LIKE '%Googlebot%'|-|$every_day user_agent"
)

# Runs a command under /usr/bin/time -v; sets wall (s) and rss (KiB); the command's stdout is in $tmp/cmd.out.
# Runs a command under /usr/bin/time -v; sets wall (seconds, to the microsecond: /usr/bin/time's
# own figure has 10 ms steps, as long as a needle search) and rss (KiB).
measure() {
  local log="$tmp/time.log" start=$EPOCHREALTIME
  /usr/bin/time -v "$@" >"$tmp/cmd.out" 2>"$log" || { cat "$log" >&2; head -c 2000 "$tmp/cmd.out" >&2; exit 1; }
  wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.6f", b - a}')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}

json_field() {  # json_field FILE EXPR: evaluates EXPR on the parsed JSON (variable j) with node
  node -e "const j = JSON.parse(require('fs').readFileSync('$1', 'utf8')); console.log($2)"
}


# best_of CMD...: runs it $runs times; sets best_wall (min), best_rss (max over runs) and, when
# the output has a "seconds" field (duckdb_query.mjs), best_inner (min); the last output is kept.
best_of() {
  best_wall=; best_rss=0; best_inner=
  for ((r = 0; r < runs; r++)); do
    measure "$@"
    best_wall=$(min_of "$wall" "$best_wall")
    [ "$rss" -gt "$best_rss" ] && best_rss=$rss
    if grep -q '"seconds"' "$tmp/cmd.out"; then best_inner=$(min_of "$(json_field "$tmp/cmd.out" 'j.seconds')" "$best_inner"); fi
  done
}

rows=()
for entry in "${queries[@]}"; do
  IFS='|' read -r name target rss_target sql duck_sql duck_reads <<<"$entry"
  [ "$duck_sql" = "-" ] && duck_sql=$sql
  echo "bench/query: $name" >&2
  best_of "$bin" query --lake "$lake" --threads "$threads" --format json "$sql"
  ours_wall=$best_wall; ours_rss=$best_rss
  ours_bytes=$(json_field "$tmp/cmd.out" 'j.stats.bytes_scanned')
  # The result check compares like with like: loglake with --no-dedup (not timed) against DuckDB's
  # raw rows, except for the deduplicated count, whose DuckDB SQL deduplicates.
  if [ "$duck_sql" = "$sql" ]; then
    "$bin" query --lake "$lake" --threads "$threads" --format json --no-dedup "$sql" >"$tmp/cmd.out" 2>/dev/null
  fi
  ours_rows=$(json_field "$tmp/cmd.out" 'j.rows.length')
  ours_first=$(json_field "$tmp/cmd.out" "j.rows.length === 1 && j.rows[0].length === 1 ? String(j.rows[0][0]) : ''")
  best_of node "$root/bench/query/duckdb_query.mjs" "$lake" "$threads" "$duck_sql"
  duck_wall=$best_wall; duck_rss=$best_rss; duck_inner=$best_inner
  read -r duck_glob duck_cols <<<"$duck_reads"
  duck_rows=$(json_field "$tmp/cmd.out" 'j.rows')
  duck_first=$(json_field "$tmp/cmd.out" 'j.first')
  node "$root/bench/query/duckdb_query.mjs" --column-bytes "$duck_glob" "$duck_cols" >"$tmp/cmd.out"
  duck_bytes=$(json_field "$tmp/cmd.out" 'j.bytes')
  same="yes"
  [ "$ours_rows" = "$duck_rows" ] || same="no ($ours_rows vs $duck_rows rows)"
  if [ "$same" = yes ] && [ -n "$ours_first" ] && [ "$ours_first" != "$duck_first" ]; then same="no ($ours_first vs $duck_first)"; fi
  rows+=("$name|$target|$rss_target|$ours_wall|$duck_wall|$ours_bytes|$duck_bytes|$ours_rss|$duck_rss|$same|$duck_inner")
done

cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
duck_version=$(node -e "
  const r = require('module').createRequire('$root/tests/interop/package.json');
  console.log(r('@duckdb/node-api/package.json').version)")
echo
echo "$records records over $days days (\`loglake gen --records $records --start 2024-05-01 --days $days --seed 42 --dup-rate 0.001 | loglake convert\`,"
echo "$(awk -v b="$lake_bytes" 'BEGIN {printf "%.0f", b / 1e6}') MB of Parquet); $threads threads each on $cpu_model; DuckDB $duck_version via node."
echo "Latency: best of $runs, whole process for both (loglake: \`loglake query --format json\`, dedup on;"
echo "DuckDB: \`node duckdb_query.mjs\`, i.e. node + DuckDB start-up, a view over the same files, the query;"
echo "\"DuckDB query alone\" is the query's own time measured inside that process, for reference)."
echo "Bytes: loglake's stats.bytes_scanned (compressed bytes read, footers included); for DuckDB the compressed size of the"
echo "columns the query needs in the files of the days it covers (parquet_metadata), no footers: an upper bound where"
echo "DuckDB skips row groups by statistics or bloom filters (its profiler's total_bytes_read does not count local reads)."
echo "Peak RSS: /usr/bin/time -v, the largest of the runs (DuckDB's includes node, ~90 MB at idle)."
echo "Same result: row counts (and the value of one-value results) agree, loglake run once more with --no-dedup except for the deduplicated count."
echo
printf '%s\n' "${rows[@]}" | awk -F'|' '
  function mb(b) { return b == "null" || b == "" ? "n/a" : (b < 1e6 ? sprintf("%.2f MB", b / 1e6) : sprintf("%.0f MB", b / 1e6)) }
  BEGIN {
    print "| search | loglake | DuckDB | time ratio | target | DuckDB query alone | bytes read (loglake / DuckDB) | peak RSS (loglake / DuckDB) | RSS ratio (target) | same result |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  }
  {
    ratio = $4 / $5
    met = ratio <= $2 ? "met" : "not met"
    rss_ratio = $8 / $9
    rss_cell = sprintf("%.2fx", rss_ratio)
    if ($3 != "-") rss_cell = rss_cell sprintf(" (<= %sx, %s)", $3, rss_ratio <= $3 ? "met" : "not met")
    printf "| %s | %.3f s | %.3f s | %.2fx | <= %sx, %s | %.3f s | %s / %s | %.0f / %.0f MB | %s | %s |\n",
      $1, $4, $5, ratio, $2, met, $11, mb($6), mb($7), $8 / 1024, $9 / 1024, rss_cell, $10
  }'
