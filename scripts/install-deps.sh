#!/usr/bin/env bash
# Installs what loglake needs on Debian 12: the packages in deps/debian-packages.txt (apt-get)
# and, with --npm, the test peers of tests/interop (npm). Safe to run repeatedly: it does
# nothing when everything is already present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^\s*$/d' "$root/deps/debian-packages.txt")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "${1:-}" = "--npm" ]; then
  cd "$root/tests/interop"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    echo "install-deps: npm install (tests/interop, versions pinned by package-lock.json)"
    # Not `npm ci`: npm 11 rejects this lock file as out of sync because it lacks the other
    # platforms' optional DuckDB bindings; `npm install --no-save` installs the locked versions.
    npm install --no-save --no-audit --no-fund --loglevel=error
    touch node_modules
  fi
fi
