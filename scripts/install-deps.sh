#!/bin/sh
# Installs the Debian packages arclight needs to build, test and draw its reports.
#   scripts/install-deps.sh                     install (as root) or print the apt command
#   scripts/install-deps.sh --check-or-install  install only what is missing; silent when all is there
# Not for: anything outside Debian's archive. Never run through a shell string built from user input.
set -eu

PKGS="build-essential cmake pkg-config libcjson-dev zlib1g-dev gnuplot-nox python3 llvm-16-dev verilator yosys libsystemc-dev libsqlite3-dev sqlite3 openmpi-bin libopenmpi-dev"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    [ "${1:-}" = "--check-or-install" ] || echo "install-deps: all packages present:$PKGS"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root, or run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $missing
