#!/usr/bin/env bash
# Statement-import benchmark (issue: statement import). Generates a 1,000,000-row statement and 1,000 files
# of 1,000 rows, then times, in the same run and on the same files:
#   - dpmon import, end to end (hash, parse, dedupe, commit), with peak memory;
#   - hledger print reading the same CSV with a rules file (Debian's hledger);
#   - the sqlite3 shell's .import of the same CSV into a plain table (the floor for SQLite insertion).
# Usage: bash bench/import/run.sh [ROWS]      (needs root once, to install hledger and time)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
work=${BENCH_DIR:-/tmp/dpmon-bench-import}

source bench/common.sh hledger time sqlite3

rm -rf "$work"
mkdir -p "$work"
echo "generating data in $work ..."
/usr/bin/python3 bench/import/generate.py "$work/one" "$rows"
/usr/bin/python3 bench/import/generate.py "$work/many" 1000 1000

# Accounts for dpmon: the big file's, and one per small file.
/usr/bin/python3 - "$work" <<'PY'
import json, sys
accounts = [{"account_ref": "DP-000001", "bank": {"sort_code": "30-91-23", "account_number": "12345678"}}]
for n in range(1000):
    accounts.append({"account_ref": f"DP-1{n:05d}", "bank": {"sort_code": f"40-{n // 100:02d}-{n % 100:02d}",
                                                             "account_number": f"{50000000 + n:08d}"}})
for a in accounts:
    a.update({"person_ref": "P-" + a["account_ref"][3:], "account_type": "dedicated_bank",
              "finance_officer": "bench@council.example", "status": "active", "dp_start": "2025-01-01"})
json.dump({"accounts": accounts}, open(sys.argv[1] + "/plans.json", "w"))
PY

timed() {  # LABEL COMMAND... -> prints "LABEL seconds peak_kb"
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  echo "$label $(cat "$work/time.txt")"
}

fresh_dpmon() {
  rm -rf "$work/state"
  printf '[daemon]\nstate_dir = "%s/state"\ndrop_dir = "%s/drop"\n' "$work" "$work" >"$work/dpmon.toml"
  "$dpmon" --config "$work/dpmon.toml" plans import "$work/plans.json" >/dev/null
}

cat >"$work/lloyds.rules" <<'RULES'
skip 1
fields date, type, sort_code, account_number, description, debit, credit, balance
date-format %d/%m/%Y
currency £
account1 assets:direct payment
amount-in %credit
amount-out %debit
RULES

results=()
for run in 1 2 3; do
  fresh_dpmon
  results+=("$(timed "dpmon-1M-run$run" "$dpmon" --config "$work/dpmon.toml" import "$work/one/big.csv")")
done
fresh_dpmon
results+=("$(timed "dpmon-1000x1000" "$dpmon" --config "$work/dpmon.toml" import "$work"/many/*.csv)")
rm -f "$work/plain.db"
results+=("$(timed "sqlite3-import-1M" sqlite3 "$work/plain.db" ".mode csv" ".import $work/one/big.csv t")")
results+=("$(timed "hledger-print-1M" hledger -f "csv:$work/one/big.csv" --rules-file "$work/lloyds.rules" print)")

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
printf '%-20s %10s %12s %12s\n' "what" "seconds" "rows/s" "peak RSS MB"
for r in "${results[@]}"; do
  set -- $r
  n=$rows
  [ "$1" = "dpmon-1000x1000" ] && n=1000000
  awk -v l="$1" -v s="$2" -v m="$3" -v n="$n" 'BEGIN { printf "%-20s %10.2f %12.0f %12.1f\n", l, s, n / s, m / 1024 }'
done
