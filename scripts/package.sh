#!/usr/bin/env bash
# Builds the Debian package from this tree (committed or not): dist/dpmon_<version>_<arch>.deb and its
# debug symbols, then checks it with lintian (an error fails the script). Run as root on a fresh Debian 12:
# it installs the build tools first. Usage: bash scripts/package.sh
# The build runs in a copy under ${DPMON_PACKAGE_DIR:-/tmp/dpmon-package}, so the tree stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/setup.sh --package

version=$(sed -n 's/^project(dpmon VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
changelog_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$version" != "$changelog_version" ]; then
  echo "package: CMakeLists.txt says version $version but debian/changelog says $changelog_version;" >&2
  echo "package: add a debian/changelog entry for $version (dch -v $version) and try again" >&2
  exit 1
fi

work=${DPMON_PACKAGE_DIR:-/tmp/dpmon-package}
src="$work/dpmon-$version"
rm -rf "$work"
mkdir -p "$src"
# The tree as it is, without build output or git's own files.
tar -C "$root" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./dist --exclude=./demo-state -cf - . | tar -C "$src" -xf -

# debhelper gives the build a HOME of its own; keep ccache's cache where the developer builds put theirs.
if command -v ccache >/dev/null; then
  CCACHE_DIR=${CCACHE_DIR:-$(ccache --get-config cache_dir)}
  export CCACHE_DIR
fi
echo "package: building dpmon $version (a Release build of the whole tree: about 10 minutes on 2 cores)" >&2
SECONDS=0
if ! (cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)" >"$work/build.log" 2>&1); then
  tail -n 40 "$work/build.log" >&2
  echo "package: dpkg-buildpackage failed (whole log: $work/build.log)" >&2
  exit 1
fi
echo "package: built in ${SECONDS}s" >&2

mkdir -p dist
rm -f dist/dpmon_*.deb dist/dpmon-dbgsym_*.deb dist/dpmon_*.changes dist/dpmon_*.buildinfo
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo dist/
deb=$(ls dist/dpmon_"$version"_*.deb)

# lintian: an error fails (its exit status), warnings are shown.
if ! lintian --allow-root --fail-on error --display-level '>=warning' "$deb" >"$work/lintian.log" 2>&1; then
  cat "$work/lintian.log" >&2
  echo "package: lintian reports errors (above)" >&2
  exit 1
fi
cat "$work/lintian.log" >&2
echo "$deb"
