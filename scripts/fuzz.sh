#!/usr/bin/env bash
# Fuzzes what dpmon reads from outside: the CSV reader, CSV statements with each built-in bank profile, OFX,
# plan files (JSON and CSV), the TOML config and the HTTP request path (parse and route). Builds the
# libFuzzer targets in fuzz/ with clang, AddressSanitizer and UndefinedBehaviorSanitizer (build-fuzz/), runs
# each target's kept regression inputs (tests/fixtures/fuzz/<target>/), then fuzzes each for SECONDS from
# its seed corpus (fuzz/corpus/<target>/).
#
# Usage: bash scripts/fuzz.sh [SECONDS]      (default 60; CI runs 30)
# A crash, leak, hang (10 s) or out-of-memory fails the run; the input is left in build-fuzz/findings/ and
# named in the output. Fix it, then keep the input as tests/fixtures/fuzz/<target>/<what-it-was>.
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_TARGETS (all: "csv_reader statement ofx plan_json plan_csv
# config http_request").
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=${FUZZ_TARGETS:-csv_reader statement ofx plan_json plan_csv config http_request}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing; bash scripts/setup.sh --tests installs it (Debian package clang)" >&2
  exit 2
fi
echo "fuzz: building the targets in $build (clang, ASan+UBSan) ..."
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDPMON_FUZZ=ON \
  -DDPMON_BUILD_TESTS=OFF >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" --target fuzzers -j "${FUZZ_JOBS:-2}"

findings="$build/findings"
mkdir -p "$findings"
failed=0
summary=()
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in $targets; do
  bin="$build/fuzz/${t}_fuzz"
  regressions="tests/fixtures/fuzz/$t"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "$regressions"/* >"$build/$t.regressions.log" 2>&1; then
      echo "fuzz: $t fails on a kept regression input:" >&2
      tail -n 40 "$build/$t.regressions.log" >&2
      failed=1
      continue
    fi
  fi
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $t for $seconds s ..."
  rc=0
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$findings/$t-" "$corpus" >"$build/$t.log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$t.log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/$t.log" | tail -n 1)
  if [ "$rc" -ne 0 ]; then
    echo "fuzz: $t FOUND A PROBLEM (exit $rc); the input: $(ls -t "$findings"/"$t"-* 2>/dev/null | head -n 1)" >&2
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$build/$t.log" | head -n 20 >&2 || true
    failed=1
  fi
  summary+=("$(printf '%-14s %12s runs %8s/s  corpus %s' "$t" "${runs:-?}" "${rate:-?}" "$(ls "$corpus" | wc -l)")")
done
echo "fuzz: $seconds s per target"
printf '  %s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED (inputs in $findings)" >&2
  exit 1
fi
echo "fuzz: no crash, leak or hang"
