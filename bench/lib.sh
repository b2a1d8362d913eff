# Sourced by bench/*/run.sh, from the repository root. Sets $bin, the loglake binary under test:
# LOGLAKE_BENCH_BIN if set (used as it is, no build), otherwise a Release build (g++ -O2) in
# LOGLAKE_BENCH_BUILD (default build/release), configured and brought up to date here.
# Installs the npm peers (DuckDB) the benchmarks compare against.
scripts/install-deps.sh --npm >/dev/null
if [ -n "${LOGLAKE_BENCH_BIN:-}" ]; then
  bin=$(realpath "$LOGLAKE_BENCH_BIN")
else
  bench_build=${LOGLAKE_BENCH_BUILD:-build/release}
  cmake -S . -B "$bench_build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DLOGLAKE_TESTS=OFF >/dev/null
  cmake --build "$bench_build" --target loglake >/dev/null
  bin="$(pwd)/$bench_build/loglake"
fi

# min_of A B / max_of A B: the smaller / larger of two numbers; an empty B (no value yet) yields A.
min_of() { awk -v a="$1" -v b="$2" 'BEGIN {print (b == "" || a + 0 < b + 0) ? a : b}'; }
max_of() { awk -v a="$1" -v b="$2" 'BEGIN {print (b == "" || a + 0 > b + 0) ? a : b}'; }
