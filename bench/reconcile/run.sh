#!/usr/bin/env bash
# Reconciliation benchmark (issue: support plans and reconciliation): ACCOUNTS accounts x MONTHS months of
# statements (default 5,000 x 24, about 3.6M transactions). Times, in the same run:
#   - dpmon reconcile of every account from the database (full pass), and of one account (incremental);
#   - hledger balance --budget -M over the same transactions and budgets, for HLEDGER_ACCOUNTS of the accounts
#     (all of them needs more memory than this machine has: hledger took 8 GB for 1M CSV rows).
# Usage: bash bench/reconcile/run.sh [ACCOUNTS] [MONTHS] [HLEDGER_ACCOUNTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
accounts=${1:-5000}
months=${2:-24}
hl_accounts=${3:-250}
work=${BENCH_DIR:-/tmp/dpmon-bench-reconcile}
source bench/common.sh hledger time
rm -rf "$work" && mkdir -p "$work"
echo "generating $accounts accounts x $months months ..."
rows=$(/usr/bin/python3 bench/reconcile/generate.py "$work" "$accounts" "$months" "$hl_accounts")
printf '[daemon]\nstate_dir = "%s/state"\ndrop_dir = "%s/drop"\n[[rules]]\nmatch = "SHOP"\ncategory = "other_agreed"\n' "$work" "$work" >"$work/dpmon.toml"
"$dpmon" --config "$work/dpmon.toml" plans import "$work/plans.json" >/dev/null
echo "importing $rows rows ..."
/usr/bin/time -f "import: %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" import "$work/statements.csv" | tail -1
today=$(/usr/bin/python3 -c "import datetime; print((datetime.date(2024,12,2)+datetime.timedelta(days=int($months*30.44))).isoformat())")
echo "first full reconciliation (categorises every transaction):"
/usr/bin/time -f "  %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" reconcile --today "$today"
echo "full reconciliation, categories already stored:"
/usr/bin/time -f "  %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" reconcile --today "$today"
echo "incremental: DP-000042's next month imported, then that account reconciled:"
"$dpmon" --config "$work/dpmon.toml" import "$work/next-statement.csv" | tail -1
later=$(/usr/bin/python3 -c "import datetime; print((datetime.date.fromisoformat('$today')+datetime.timedelta(days=30)).isoformat())")
/usr/bin/time -f "  %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" reconcile DP-000042 --today "$later"
echo "dpmon, the same $hl_accounts accounts hledger gets, full pass:"
/usr/bin/time -f "  %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" reconcile $(seq -f "DP-%06g" 1 "$hl_accounts") --today "$later"
echo "hledger balance --budget -M, $hl_accounts accounts:"
/usr/bin/time -f "  %e s, %M KB" hledger -f "$work/ledger.journal" balance --budget -M >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
