#!/usr/bin/env bash
# Installs the Debian 12 packages dpmon needs to build, run and test. Idempotent: when everything is
# present it prints nothing and takes about a second; otherwise it runs apt-get unattended (root needed).
# Usage: bash scripts/setup.sh [--tests | --package]   (--tests adds what only the tests use: a browser,
# nginx, promtool, clang for the fuzzers; --package what scripts/package.sh and package-test.sh use)
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config ccache
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libsqlite3-dev libspdlog-dev libtomlplusplus-dev
  libhowardhinnant-date-dev tzdata libsystemd-dev libcli11-dev catch2 libssl-dev libre2-dev
  # what the tests and benchmarks use
  sqlite3 curl python3 python3-aiosmtpd systemd procps
)
if [ "${1:-}" = "--tests" ]; then
  # the dashboard's browser suite, the reverse-proxy test, the metrics check and the fuzzers (libFuzzer)
  packages+=(chromium chromium-driver python3-selenium nginx-light openssl prometheus clang libclang-rt-14-dev)
elif [ "${1:-}" = "--package" ]; then
  # the Debian package: its build, its checker, and the bare Debian 12 it is installed into for its test
  packages+=(debhelper dpkg-dev lintian debootstrap)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]}" >&2
  echo "setup: run this script as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Update the package lists only when an install fails for want of them, so a warm machine stays fast.
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/dpmon-setup.log 2>&1; then
  apt-get update -qq >>/tmp/dpmon-setup.log 2>&1
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/dpmon-setup.log 2>&1 || {
    tail -n 30 /tmp/dpmon-setup.log >&2; echo "setup: apt-get install failed (log: /tmp/dpmon-setup.log)" >&2; exit 1; }
fi
