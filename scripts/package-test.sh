#!/usr/bin/env bash
# Installs the Debian package into a bare Debian 12 (a minbase debootstrap in a chroot) the way a council's
# IT would, and checks what they rely on: `apt-get install ./dist/dpmon_*.deb` pulls in only Debian's
# runtime libraries; `dpmon --version` and `dpmon check-config` work; `systemd-analyze verify` accepts the
# installed unit; the dpmon user, the dpmon-upload group and the folders exist with the right owners and
# modes; an uploader in dpmon-upload delivers a statement that dpmond (run as dpmon) imports, while the
# state folder stays closed to them; removing keeps the user and the data; purging removes the
# configuration but keeps the database unless DPMON_PURGE_DATA=yes; lintian reports no error.
#
# Usage (root): bash scripts/package-test.sh [--build]
#   --build   build the package first (bash scripts/package.sh); otherwise dist/ must hold it.
# Needs the network to reach the Debian mirror. The bare system is cached in
# ${DPMON_CHROOT_CACHE:-/var/cache/dpmon-package-test}/bookworm-minbase.tar (about 30 s to make once).
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "package-test: run as root (it makes a chroot)" >&2; exit 1; }
bash scripts/setup.sh --package
[ "${1:-}" = "--build" ] && bash scripts/package.sh >/dev/null
deb=$(ls dist/dpmon_*_*.deb 2>/dev/null | grep -v dbgsym | head -n 1 || true)
[ -n "$deb" ] || { echo "package-test: no dist/dpmon_*.deb: run bash scripts/package.sh first, or pass --build" >&2; exit 1; }
echo "package-test: $deb" >&2

echo "package-test: lintian" >&2
lintian --allow-root --fail-on error --display-level '>=warning' "$deb" >&2 ||
  { echo "FAIL: lintian reports errors" >&2; exit 1; }

cache=${DPMON_CHROOT_CACHE:-/var/cache/dpmon-package-test}
base="$cache/bookworm-minbase.tar"
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -f "$base" ]; then
  echo "package-test: making a bare Debian 12 (debootstrap --variant=minbase bookworm, once)" >&2
  mkdir -p "$cache"
  d=$(mktemp -d /tmp/dpmon-debootstrap.XXXXXX)
  debootstrap --variant=minbase bookworm "$d" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -n 20 "$cache/debootstrap.log" >&2; echo "package-test: debootstrap failed" >&2; rm -rf "$d"; exit 1; }
  tar -C "$d" -cf "$base.partial" . && mv "$base.partial" "$base"
  rm -rf --one-file-system "$d"
fi

root=$(mktemp -d /tmp/dpmon-package-test.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  umount "$root/dev" 2>/dev/null || true
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$base"
chmod 0755 "$root"   # the chroot's / (tar gave it the mode of debootstrap's temporary folder): others traverse it
cp /etc/resolv.conf "$root/etc/resolv.conf"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  rm -f "$root/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp "$deb" "$root/root/"
cp tests/package/checks.sh "$root/root/package_checks.sh"

SECONDS=0
if chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash /root/package_checks.sh "/root/$(basename "$deb")"; then
  echo "package-test: passed in a bare Debian 12 (${SECONDS}s)" >&2
else
  echo "package-test: FAILED (above)" >&2
  exit 1
fi
