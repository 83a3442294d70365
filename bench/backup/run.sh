#!/usr/bin/env bash
# Backup benchmark (issue: operations a council's IT can trust): on the ACCOUNTS x MONTHS database (default
# 5,000 x 24, about 3.6M transactions, built with bench/reconcile's generator), times
#   - dpmon backup --out FILE (VACUUM INTO, then integrity_check of the copy, row counts), and its size;
#   - the same while dpmon reconcile writes to the database beside it (the copy must not restart);
#   - dpmon backup check FILE alone;
#   - dpmon restore FILE (the check, the copy into place, the set-aside, the retention purge after it);
#   - dpmon purge --dry-run.
# Usage: bash bench/backup/run.sh [ACCOUNTS] [MONTHS]
# Environment: BENCH_DIR=DIR (/tmp/dpmon-bench-backup); BACKUP_DB=FILE uses that database (a copy of it)
# instead of building one, e.g. the one bench/http/run.sh built (its BENCH_DIR/base-state/dpmon.db).
set -euo pipefail
cd "$(dirname "$0")/../.."
accounts=${1:-5000}
months=${2:-24}
work=${BENCH_DIR:-/tmp/dpmon-bench-backup}
source bench/common.sh time
rm -rf "$work" && mkdir -p "$work/state"
conf="$work/dpmon.toml"
printf '[daemon]\nstate_dir = "%s/state"\ndrop_dir = "%s/drop"\n[[rules]]\nmatch = "SHOP"\ncategory = "other_agreed"\n' "$work" "$work" >"$conf"
today=$(/usr/bin/python3 -c "import datetime; print((datetime.date(2024,12,2)+datetime.timedelta(days=int($months*30.44))).isoformat())")
if [ -n "${BACKUP_DB:-}" ]; then
  echo "copying $BACKUP_DB ..."
  cp "$BACKUP_DB" "$work/state/dpmon.db"
else
  echo "generating $accounts accounts x $months months ..."
  rows=$(/usr/bin/python3 bench/reconcile/generate.py "$work/gen" "$accounts" "$months" 0)
  "$dpmon" --config "$conf" plans import "$work/gen/plans.json" >/dev/null
  echo "importing $rows rows ..."
  "$dpmon" --config "$conf" import "$work/gen/statements.csv" | tail -n 1
  "$dpmon" --config "$conf" reconcile --today "$today" >/dev/null
fi
db="$work/state/dpmon.db"
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
timed() {  # LABEL COMMAND...: prints the label, seconds and peak memory
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 || { cat "$work/out.txt" >&2; exit 1; }
  read -r s kb <"$work/time.txt"
  printf '  %-58s %8s s  %6d MB peak\n' "$label" "$s" $((kb / 1024))
}
echo "database: $(mb "$db") ($(sqlite3 "$db" 'SELECT count(*) FROM transactions') transactions)"
echo "on $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo):"
timed "dpmon backup --out (nothing else running)" "$dpmon" --config "$conf" backup --out "$work/idle.db"
echo "    the copy: $(mb "$work/idle.db")"
"$dpmon" --config "$conf" reconcile --today "$today" >"$work/reconcile.txt" 2>&1 &
job=$!
sleep 1
timed "dpmon backup --out while dpmon reconcile writes" "$dpmon" --config "$conf" backup --out "$work/busy.db"
if kill -0 "$job" 2>/dev/null; then echo "    (the reconciliation was still running when the copy ended)"; fi
wait "$job"
timed "dpmon backup check" "$dpmon" --config "$conf" backup check "$work/idle.db"
timed "dpmon restore (check, copy, set aside, purge)" "$dpmon" --config "$conf" restore "$work/idle.db"
timed "dpmon purge --dry-run" "$dpmon" --config "$conf" purge --dry-run
