#!/usr/bin/env bash
# bench/convert: `loglake convert` against DuckDB's NDJSON -> Parquet COPY on the same input, in
# the same run, one thread each (both pinned to one CPU with taskset), plus gzip -6 as a size
# reference. Prints a Markdown table for the README's Performance section, then per-column sizes.
# See README.md here.
#
#   bench/convert/run.sh [RECORDS]       # default 10000000; RECORDS=1000000 is a quick run
#
# Environment: LOGLAKE_BENCH_TMP (scratch dir, default a new one under /tmp; about 450 bytes of
# NDJSON per record plus the outputs), LOGLAKE_BENCH_KEEP=1 keeps it afterwards,
# LOGLAKE_BENCH_RUNS (runs of each conversion, default 3: the fastest counts, for a shared machine's
# swings of +-20% from run to run), LOGLAKE_BENCH_BUILD (build directory, default build/release), LOGLAKE_BENCH_CONVERT_ARGS (more
# `loglake convert` flags, e.g. "--row-group-rows 1000000", to compare settings).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
records=${1:-${RECORDS:-10000000}}
runs=${LOGLAKE_BENCH_RUNS:-3}  # each conversion runs this many times; the table shows the fastest

cd "$root"
source bench/lib.sh  # sets $bin

tmp=${LOGLAKE_BENCH_TMP:-$(mktemp -d /tmp/loglake-bench.XXXXXX)}
mkdir -p "$tmp"
[ "${LOGLAKE_BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
input="$tmp/in.ndjson"
core=$(( $(nproc) > 1 ? 1 : 0 ))  # one core, not core 0 when there is a choice
pin=(taskset -c "$core")

echo "bench/convert: generating $records records" >&2
"$bin" gen --quiet --records "$records" --start 2024-05-01 --days 7 --seed 42 --dup-rate 0.001 --output "$input"
input_bytes=$(stat -c %s "$input")

# Runs a command under /usr/bin/time -v, pinned to the CPUs in ${pin[@]}; sets wall and cpu (user +
# system) in seconds, rss in KiB.
measure() {
  local log="$tmp/time.log"
  "${pin[@]}" /usr/bin/time -v "$@" >"$tmp/cmd.out" 2>"$log" || { cat "$log" "$tmp/cmd.out" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}

rows=()
add_row() {  # name wall_seconds cpu_seconds rss_kib output_bytes
  rows+=("$1|$2|$3|$4|$5")
}
column_reports=()

# Three rows: loglake convert, DuckDB's 12-column COPY and DuckDB's all-keys COPY of INPUT with
# CODEC, labelled with SUFFIX (e.g. ", from json.gz"), THREADS threads each (default 1). INPUT is a
# file, or for DuckDB a glob and for loglake DUCK_INPUT's directory. Leaves the outputs in
# $tmp/lake and $tmp/duck-{columns,all-keys}.parquet.
compare() {  # input codec suffix [threads [duck_input]]
  local in=$1 codec=$2 suffix=$3 threads=${4:-1} duck_in=${5:-$1} variant label
  echo "bench/convert: loglake convert --codec $codec --threads $threads$suffix (best of $runs)" >&2
  best_wall=; best_cpu=; best_rss=
  for ((r = 0; r < runs; r++)); do
    rm -rf "$tmp/lake"
    # shellcheck disable=SC2086  # the extra flags are words
    measure "$bin" convert --lake "$tmp/lake" --table access_log --codec "$codec" --threads "$threads" \
      ${LOGLAKE_BENCH_CONVERT_ARGS:-} "$in"
    best_wall=$(min_of "$wall" "$best_wall"); best_cpu=$(min_of "$cpu" "$best_cpu"); best_rss=$(max_of "$rss" "$best_rss")
  done
  out=$(find "$tmp/lake/access_log" -name '*.parquet' -not -path '*/_errors/*' -printf '%s\n' | awk '{s += $1} END {print s}')
  add_row "loglake convert ($codec$suffix)" "$best_wall" "$best_cpu" "$best_rss" "$out"

  # The issue's 12 columns (DuckDB drops the other keys), then the like-for-like variant that also
  # keeps the keys loglake keeps in `extra`, each as a column.
  for variant in columns all-keys; do
    label="DuckDB COPY ($codec$suffix)"
    [ "$variant" = all-keys ] && label="DuckDB COPY, all keys ($codec$suffix)"
    echo "bench/convert: $label (best of $runs)" >&2
    best_wall=; best_cpu=; best_rss=
    for ((r = 0; r < runs; r++)); do
      rm -f "$tmp/duck-$variant.parquet"
      measure node "$root/bench/convert/duckdb_convert.mjs" "$duck_in" "$tmp/duck-$variant.parquet" "$codec" "$variant" "$threads"
      best_wall=$(min_of "$(sed -n 's/.*"seconds":\([0-9.e+-]*\).*/\1/p' "$tmp/cmd.out")" "$best_wall")
      best_cpu=$(min_of "$(sed -n 's/.*"cpu_seconds":\([0-9.e+-]*\).*/\1/p' "$tmp/cmd.out")" "$best_cpu")
      best_rss=$(max_of "$rss" "$best_rss")
    done
    add_row "$label" "$best_wall" "$best_cpu" "$best_rss" "$(stat -c %s "$tmp/duck-$variant.parquet")"
  done
}

for codec in snappy zstd; do
  compare "$input" "$codec" ""
  column_reports+=("$(printf '%s\n\n' "Per column, $codec (compressed bytes from DuckDB's parquet_metadata()):"
    node "$root/bench/convert/column_sizes.mjs" "$tmp/lake/access_log" "DuckDB=$tmp/duck-columns.parquet" \
      "DuckDB all keys=$tmp/duck-all-keys.parquet")")
done
rm -rf "$tmp/lake" "$tmp"/duck-*.parquet

echo "bench/convert: gzip -6" >&2
measure sh -c "gzip -6 -c '$input' > '$tmp/in.ndjson.gz'"
gzip_bytes=$(stat -c %s "$tmp/in.ndjson.gz")
add_row "gzip -6 (size reference)" "$wall" "$cpu" "$rss" "$gzip_bytes"

# Archives as Firehose and log shippers leave them: the same records as json.gz, read by each side
# with its own gzip decompression (DuckDB knows it by the .gz name, loglake by its first bytes).
compare "$tmp/in.ndjson.gz" snappy ", from json.gz"
rm -rf "$tmp/lake" "$tmp"/duck-*.parquet

# Every core, both sides: the same NDJSON file, then cut into 8 files (as an archive is many),
# loglake with --threads (on the folder), DuckDB with as many threads (on the glob). Not the
# issue's one-core target: what a user with this machine gets.
cores=$(nproc)
if ((cores > 1)); then
  pin=(taskset -c "0-$((cores - 1))")
  compare "$input" snappy ", $cores threads" "$cores"
  rm -rf "$tmp/lake" "$tmp"/duck-*.parquet
  mkdir -p "$tmp/split"
  split -n l/8 -d --additional-suffix=.ndjson "$input" "$tmp/split/part-"
  compare "$tmp/split" snappy ", $cores threads, 8 files" "$cores" "$tmp/split/*.ndjson"
  pin=(taskset -c "$core")
  rm -rf "$tmp/lake" "$tmp"/duck-*.parquet "$tmp/split"
fi

cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
echo
echo "$records records, $(awk -v b="$input_bytes" 'BEGIN {printf "%.0f", b / 1e6}') MB of NDJSON from \`loglake gen --records $records --start 2024-05-01 --days 7 --seed 42 --dup-rate 0.001\`;"
echo "one thread each, pinned to one core ($cpu_model), except the rows marked with threads; fastest of $runs runs each; DuckDB $(node -e "
  const r = require('module').createRequire('$root/tests/interop/package.json');
  console.log(r('@duckdb/node-api/package.json').version)") via node; peak RSS from /usr/bin/time -v (DuckDB's includes node, ~90 MB at idle)."
echo
printf '%s\n' "${rows[@]}" | awk -F'|' -v n="$records" -v ib="$input_bytes" -v gz="$gzip_bytes" '
  { name[NR] = $1; wall[NR] = $2; cpu[NR] = $3; rss[NR] = $4; out[NR] = $5 }
  END {
    print "| | records/s | records/CPU-s | MB/s of NDJSON | peak RSS | output | % of NDJSON | % of gzip -6 | speed vs DuckDB (wall / CPU) | size vs DuckDB (12 columns / all keys) |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= NR; i++) {
      speed = ""; size = ""; per_wall = ""; per_cpu = ""
      if (name[i] ~ /^loglake/) {
        # rows i + 1 and i + 2: DuckDB with the 12 columns, DuckDB with all keys
        speed = sprintf("%.2fx / %.2fx", wall[i + 1] / wall[i], cpu[i + 1] / cpu[i])
        size = sprintf("%.2fx / %.2fx", out[i] / out[i + 1], out[i] / out[i + 2])
      }
      if (name[i] !~ /gzip/) {
        per_wall = sprintf("%.0fk", n / wall[i] / 1000)
        per_cpu = sprintf("%.0fk", n / cpu[i] / 1000)
      }
      printf "| %s | %s | %s | %.0f | %.0f MB | %.1f MB | %.1f%% | %.0f%% | %s | %s |\n",
        name[i], per_wall, per_cpu, ib / wall[i] / 1e6, rss[i] / 1024, out[i] / 1e6, 100 * out[i] / ib,
        100 * out[i] / gz, speed, size
    }
  }'
echo
echo "Speed vs DuckDB: ratio of wall times, and of CPU times (user + system; a busy machine distorts these less)."
echo "Size vs DuckDB: against the issue's 12-column COPY (DuckDB drops the keys loglake keeps in \`extra\`),"
echo "and against the COPY that reads those keys too (the same content; like for like)."
for report in "${column_reports[@]}"; do
  echo
  echo "$report"
done
