# Sourced by the benchmark scripts from the project root: installs the reference tools named as arguments
# (Debian packages, root needed once) and the project's packages, builds dpmon, and sets $dpmon.
for p in "$@"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q installed ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
done
bash scripts/setup.sh
[ -f build/CMakeCache.txt ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# DPMON_BUILD: another build directory (say, of an earlier commit) to measure instead, for before/after figures.
build_dir=${DPMON_BUILD:-build}
[ -n "${DPMON_BUILD:-}" ] || cmake --build build --target dpmon dpmond >/dev/null
dpmon="$(cd "$build_dir" && pwd)/daemon/dpmon"
dpmond="$(cd "$build_dir" && pwd)/daemon/dpmond"
