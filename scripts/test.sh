#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages, npm test peers), builds loglake with
# AddressSanitizer + UndefinedBehaviorSanitizer (clang, -Werror, libFuzzer targets included) and
# runs the whole suite with ctest: unit tests, interop tests against DuckDB and hyparquet, and
# short fuzz runs over the seed corpora.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --npm
build=${LOGLAKE_TEST_BUILD:-build/test}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DLOGLAKE_SANITIZE=ON -DLOGLAKE_WERROR=ON -DLOGLAKE_FUZZ=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
rm -rf "$build/test-tmp" && mkdir -p "$build/test-tmp"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
