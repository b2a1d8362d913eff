#!/usr/bin/env bash
# The main job: installs what is missing, builds a release loglake (g++, -O2) and runs
# `loglake serve` on its embedded default (lake ./data, http://127.0.0.1:8080) until Ctrl-C or
# SIGTERM. On first start (no ./data/access_log yet) it fills the lake with demo data: a week of
# synthetic access logs ending yesterday (1M records, 0.1% at-least-once duplicates, 0.05% bad
# records), converted into Parquet, and shows what was written.
#
#   scripts/demo.sh                       # lake in ./data
#   LOGLAKE_DEMO_LAKE=/tmp/lake LOGLAKE_DEMO_RECORDS=200000 scripts/demo.sh
#
# An existing table is kept as it is (records ingested earlier stay); delete ./data/access_log to
# start over with fresh demo data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

lake=${LOGLAKE_DEMO_LAKE:-./data}
records=${LOGLAKE_DEMO_RECORDS:-1000000}
days=7
table=access_log
marker=".written-by-scripts-demo"

scripts/install-deps.sh

build=build/release
echo "demo: building loglake (release) in $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DLOGLAKE_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target loglake | tail -n 1
bin="$build/loglake"

table_dir="$lake/$table"
serve() {
  echo
  echo "demo: starting the server (Ctrl-C or SIGTERM drains, flushes and exits). Try, from another shell:"
  echo "  curl -X POST --data-binary @records.ndjson http://127.0.0.1:8080/v1/tables/$table/records"
  echo "  $bin query --lake $lake \"SELECT status, count(*) FROM $table GROUP BY status ORDER BY 2 DESC\""
  echo "  curl http://127.0.0.1:8080/metrics"
  echo
  echo "demo: the search page: open http://127.0.0.1:8080/ in a browser on this machine"
  echo "      (from elsewhere: ssh -L 8080:127.0.0.1:8080 this-host, then the same URL)"
  echo
  exec "$bin" serve --lake "$lake"
}
if [ -d "$table_dir" ]; then
  echo "demo: $table_dir exists; serving it as it is"
  serve
fi
mkdir -p "$table_dir"
touch "$table_dir/$marker"

start=$(date -u -d "$days days ago" +%F)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo
echo "demo: loglake gen --records $records --start $start --days $days --dup-rate 0.001 --bad-rate 0.0005 \\"
echo "        | loglake convert --lake $lake --table $table --verbose"
echo
t0=$(date +%s.%N)
"$bin" gen --records "$records" --start "$start" --days "$days" --dup-rate 0.001 --bad-rate 0.0005 2>"$tmp/gen.err" |
  "$bin" convert --lake "$lake" --table "$table" --verbose
t1=$(date +%s.%N)
cat "$tmp/gen.err"
# "loglake gen: N lines (...), B bytes": the size of the NDJSON that went through the pipe.
ndjson_bytes=$(sed -n 's/.*, \([0-9]*\) bytes$/\1/p' "$tmp/gen.err")

echo
echo "What is in $table_dir:"
printf '  %-12s %6s %14s\n' "day" "files" "parquet bytes"
total_files=0
total_bytes=0
while IFS= read -r day_dir; do
  day=${day_dir#"$table_dir"/}
  n=$(find "$day_dir" -maxdepth 1 -name '*.parquet' | wc -l)
  b=$(find "$day_dir" -maxdepth 1 -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  printf '  %-12s %6d %14d\n' "${day//\//-}" "$n" "$b"
  total_files=$((total_files + n))
  total_bytes=$((total_bytes + b))
done < <(find "$table_dir" -name '*.parquet' -not -path '*/_errors/*' -printf '%h\n' | sort -u)
printf '  %-12s %6d %14d\n' "total" "$total_files" "$total_bytes"

errors=$(find "$table_dir/_errors" -name '*.ndjson' 2>/dev/null | xargs -r cat | wc -l)
echo
awk -v p="$total_bytes" -v n="$ndjson_bytes" -v t0="$t0" -v t1="$t1" -v r="$records" 'BEGIN {
  printf "NDJSON in: %.1f MB; Parquet out: %.1f MB = %.1f%% of the NDJSON (%.1fx smaller)\n",
         n / 1e6, p / 1e6, 100 * p / n, n / p
  printf "gen | convert took %.1f s (%.0f records/s end to end)\n", t1 - t0, r / (t1 - t0)
}'
echo "rejected records kept in $table_dir/_errors/: $errors (each with its reason and original text)"

first=$(find "$table_dir" -name '*.parquet' -not -path '*/_errors/*' | sort | head -n 1)
echo
echo "One of the files, as 'loglake inspect' shows it (head):"
"$bin" inspect "$first" | head -n 24 | sed 's/^/  /'
echo
echo "Query it with any Parquet reader, e.g. DuckDB:"
echo "  SELECT status, count(*) FROM read_parquet('$table_dir/*/*/*/*.parquet') GROUP BY status;"
serve
