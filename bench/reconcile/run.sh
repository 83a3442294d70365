#!/usr/bin/env bash
# Reconciliation benchmark (issue: support plans and reconciliation): ACCOUNTS accounts x MONTHS months of
# statements (default 5,000 x 24, about 3.6M transactions). Times, in the same run:
#   - dpmon reconcile of every account from the database (full pass), and of one account (incremental);
#   - hledger balance --budget -M over the same transactions and budgets, for HLEDGER_ACCOUNTS of the accounts
#     (all of them needs more memory than this machine has: hledger took 8 GB for 1M CSV rows).
#   - the open flags by code, per account, and accounts with two open flags of one code;
#   - the first start of dpmond on that database with an empty outbox: the messages it writes.
# Usage: bash bench/reconcile/run.sh [ACCOUNTS] [MONTHS] [HLEDGER_ACCOUNTS]
# DPMON_BUILD=DIR measures the binaries in DIR (another commit's build) instead; HLEDGER_ACCOUNTS=0 skips hledger.
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
db="$work/state/dpmon.db"
echo "open flags by code:"
sqlite3 "$db" "SELECT '  ' || code || ': ' || count(*) FROM flags WHERE state = 'open' GROUP BY code ORDER BY count(*) DESC"
sqlite3 "$db" "SELECT '  open flags: ' || count(*) || ', per account: ' || printf('%.2f', count(*) * 1.0 / (SELECT count(*) FROM accounts))
               FROM flags WHERE state = 'open'"
sqlite3 "$db" "SELECT '  accounts with two open flags of one code (COUNCIL_PAYMENT_MISSING and BALANCE_MISMATCH aside): ' || count(DISTINCT account_id)
               FROM (SELECT account_id, code FROM flags WHERE state = 'open' AND code NOT IN ('COUNCIL_PAYMENT_MISSING', 'BALANCE_MISMATCH')
                     GROUP BY account_id, code HAVING count(*) > 1)"
echo "incremental: DP-000042's next month imported, then that account reconciled:"
"$dpmon" --config "$work/dpmon.toml" import "$work/next-statement.csv" | tail -1
later=$(/usr/bin/python3 -c "import datetime; print((datetime.date.fromisoformat('$today')+datetime.timedelta(days=30)).isoformat())")
/usr/bin/time -f "  %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" reconcile DP-000042 --today "$later"
if [ "$hl_accounts" -gt 0 ]; then
  echo "dpmon, the same $hl_accounts accounts hledger gets, full pass:"
  /usr/bin/time -f "  %e s, %M KB" "$dpmon" --config "$work/dpmon.toml" reconcile $(seq -f "DP-%06g" 1 "$hl_accounts") --today "$later"
  echo "hledger balance --budget -M, $hl_accounts accounts:"
  /usr/bin/time -f "  %e s, %M KB" hledger -f "$work/ledger.journal" balance --budget -M >/dev/null
fi
echo "first start of dpmond on this database, empty outbox (reviews scheduled, reminders, alerts):"
sqlite3 "$db" "DELETE FROM outbox"
printf '[daemon]\nstate_dir = "%s/state"\ndrop_dir = "%s/drop"\ndaily_at = "00:00"\n[http]\nlisten = "127.0.0.1:0"\n[[rules]]\nmatch = "SHOP"\ncategory = "other_agreed"\n[alerts]\ngroup_wait = "5s"\n' \
  "$work" "$work" >"$work/dpmond.toml"
# A dpmon from before grouped alerts does not know group_wait.
"$dpmon" --config "$work/dpmond.toml" check-config >/dev/null 2>&1 || sed -i '/^\[alerts\]$/,$d' "$work/dpmond.toml"
mkdir -p "$work/drop"
"$dpmond" --config "$work/dpmond.toml" 2>"$work/dpmond.log" &
pid=$!
for _ in $(seq 1 600); do grep -q "daily job for .* done" "$work/dpmond.log" && break; sleep 1; done
sleep 15  # group_wait and a few worker rounds: the onboarding summaries are written by now
kill -TERM $pid; wait $pid || true
sqlite3 "$db" "SELECT '  ' || kind || ' to ' || who || ': ' || n FROM (SELECT kind, CASE WHEN recipient LIKE 'dp-team%' THEN 'the team'
               ELSE 'officers' END AS who, count(*) AS n FROM outbox GROUP BY kind, who) ORDER BY 1"
sqlite3 "$db" "SELECT '  messages written: ' || count(*) || ' (' || (SELECT count(DISTINCT finance_officer) FROM accounts) || ' officers)' FROM outbox"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
