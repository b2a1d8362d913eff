#!/usr/bin/env bash
# The full disk-full run of issue 4: mounts a 64 MiB tmpfs (needs root), runs
# tests/interop/full/disk_full.mjs against a release loglake with its lake and WAL there, unmounts.
#
#   scripts/disk-full-test.sh            # LOGLAKE_BIN=... to test another binary
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --npm >/dev/null
if [ -z "${LOGLAKE_BIN:-}" ]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DLOGLAKE_TESTS=OFF >/dev/null
  cmake --build build/release --target loglake >/dev/null
  export LOGLAKE_BIN="$root/build/release/loglake"
fi
mnt=$(mktemp -d /tmp/loglake-disk-full.XXXXXX)
mount -t tmpfs -o size=64m tmpfs "$mnt"
trap 'umount "$mnt"; rmdir "$mnt"' EXIT
LOGLAKE_DISK_DIR="$mnt" node tests/interop/full/disk_full.mjs
