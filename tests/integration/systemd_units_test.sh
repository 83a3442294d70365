#!/usr/bin/env bash
# The shipped systemd unit passes `systemd-analyze security` with exposure <= 1.5 and `verify` cleanly.
# Usage: systemd_units_test.sh SYSTEMD_DIR DPMOND_BINARY
set -u
dir=$1
binary=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing (install the systemd package)"; exit 1; }

out=$(systemd-analyze security --offline=yes --threshold=15 "$dir/dpmond.service" 2>&1)
rc=$?
echo "$out" | tail -n 1
[ $rc -eq 0 ] || { echo "$out"; echo "FAIL: exposure above 1.5"; exit 1; }

# verify checks that ExecStart exists: check a copy that points at the binary just built.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|^ExecStart=/usr/bin/dpmond|ExecStart=$binary|" "$dir/dpmond.service" >"$tmp/dpmond.service"
verify=$(systemd-analyze verify "$tmp/dpmond.service" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$verify" ]; then
  echo "$verify"
  echo "FAIL: systemd-analyze verify is not clean"
  exit 1
fi

# sysusers.d and tmpfiles.d files parse.
if command -v systemd-sysusers >/dev/null; then
  systemd-sysusers --dry-run "$dir/dpmon.sysusers.conf" >/dev/null 2>"$tmp/sysusers.err" ||
    { cat "$tmp/sysusers.err"; echo "FAIL: sysusers.d file"; exit 1; }
fi
if command -v systemd-tmpfiles >/dev/null; then
  # --root keeps it from touching this machine; it still parses every line.
  mkdir -p "$tmp/root"
  systemd-tmpfiles --root="$tmp/root" --create "$dir/dpmon.tmpfiles.conf" 2>"$tmp/tmpfiles.err"
  if grep -qiE "syntax|unknown|invalid" "$tmp/tmpfiles.err"; then
    cat "$tmp/tmpfiles.err"; echo "FAIL: tmpfiles.d file"; exit 1
  fi
fi
echo "systemd units: 1 passed, 0 failed"
