# Sourced by the benchmark scripts from the project root: installs the reference tools named as arguments
# (Debian packages, root needed once) and the project's packages, builds dpmon, and sets $dpmon.
for p in "$@"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q installed ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
done
bash scripts/setup.sh
[ -f build/CMakeCache.txt ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target dpmon >/dev/null
dpmon="$(pwd)/build/daemon/dpmon"
