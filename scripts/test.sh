#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: a plain build, then an ASan+UBSan build.
# Usage (as root on a fresh Debian 12, or as any user once the packages are installed):
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --tests

run_suite() {  # NAME BUILD_DIR CMAKE_ARGS...
  local name=$1 dir=$2
  shift 2
  echo "== $name: configure and build ($dir)"
  cmake -S . -B "$dir" -G Ninja "$@" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
  cmake --build "$dir" -j "$(nproc)"
  echo "== $name: tests"
  (cd "$dir" && ctest --output-on-failure --timeout 600 -j "$ctest_jobs" "${ctest_args[@]}")
}
ctest_args=()
ctest_jobs=2

mkdir -p build build-asan build-release
run_suite "plain build" build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDPMON_WERROR=ON

# What users and packagers build: Release, warnings not errors. It must always build (no tests run here:
# the same code is tested above and below).
echo "== Release build (as packagers build it)"
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDPMON_BUILD_TESTS=OFF \
  >build-release/configure.log 2>&1 || { cat build-release/configure.log; exit 1; }
cmake --build build-release -j "$(nproc)"

# The sanitizer build runs the same suite; any report fails the test that caused it.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The browser suite drives the same pages once, in the plain build: not again under the sanitizers.
ctest_args=(-LE browser)
# One test at a time under the sanitizers: two sanitized daemons side by side on 2 cores ran past the tests'
# time bounds (a 5 s stop, a 10 s answer) without any fault of their own.
ctest_jobs=1
run_suite "ASan+UBSan build" build-asan -DCMAKE_BUILD_TYPE=Debug -DDPMON_SANITIZE=ON -DDPMON_WERROR=ON \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"
# The parsers and the HTTP request path fuzzed (libFuzzer, clang, ASan+UBSan), 30 s each; longer runs:
# bash scripts/fuzz.sh SECONDS.
echo "== fuzzing, 30 s per target"
unset ASAN_OPTIONS UBSAN_OPTIONS
bash scripts/fuzz.sh 30
echo "== all tests passed (plain and ASan+UBSan builds; Release builds; fuzzing)"
