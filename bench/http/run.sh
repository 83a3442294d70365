#!/usr/bin/env bash
# HTTP API benchmark (issue: the HTTP API: tokens on every route, bounded lists with cursors). Builds the
# ACCOUNTS x MONTHS database (default 5,000 x 24, about 3.6M transactions) with bench/reconcile's generator,
# starts dpmond on it and measures, in the same run:
#   - each route with wrk (16 connections, 2 threads, DURATION s): p99 latency and requests/s; account
#     references and deep flag cursors drawn at random per request (bench/http/wrk.lua), so caches do not
#     flatter. Every request carries the token (Authorization: Bearer).
#   - today's flag volume: the flags table filled to FLAG_VOLUME rows (resolved copies of the real flags)
#     before dpmond starts, so the bound on lists is shown on a big list, not on one that got short.
#   - walking every page of /api/v1/flags?limit=1000 and of one account's 300,000 transactions (DP-000001
#     is given BIG_ACCOUNT_ROWS extra rows): total time, pages, p99 per page (bench/http/walk.py).
#   - the dashboard's pages (/, /accounts/{ref}, /reviews, /imports, /outbox, /help), signed in with a session
#     cookie, at 16 connections like the routes.
#   - /healthz while a full reconciliation runs (dpmon reconcile on the same database), and while dpmond
#     imports a 1M-row statement dropped into its drop folder (extra accounts: every row is new).
#   - dpmond's peak RSS (VmHWM) over the whole run; the import time, full-pass time and size of the database.
# Usage: bash bench/http/run.sh [ACCOUNTS] [MONTHS]     (needs root once, to install wrk and time)
# Environment:
#   DPMON_BUILD=DIR   measure the binaries in DIR (another commit's build) instead, for before/after figures.
#                     A build without pagination answers the whole list: the flag-cursor case is then the
#                     whole /api/v1/flags at 4 connections, timeouts tolerated; the walks are one page.
#   BENCH_DIR=DIR     work folder (/tmp/dpmon-bench-http).
#   BENCH_REUSE=1     keep the database built by an earlier run in BENCH_DIR (same ACCOUNTS, MONTHS and
#                     BIG_ACCOUNT_ROWS; building it at 5,000 takes minutes). Each run works on a copy. A
#                     database built by a newer schema cannot be opened by an older build: give the before
#                     and after builds a BENCH_DIR each, or build it with the older one first.
#   DURATION=10       seconds per wrk run.       FLAG_VOLUME=200000   rows in flags (0: as reconciliation left it).
#   IMPORT_ROWS=1000000  rows of the dropped statement (0: that case skipped).
#   BIG_ACCOUNT_ROWS=300000  extra transactions of DP-000001 (0: none).
#   PORT=18080        first port tried for dpmond.   WRK_TIMEOUT=10   seconds before wrk counts a timeout.
# The table: request | p99 | req/s | errors (wrk's timeouts, answers of 400 and above, socket errors); for a
# walk, p99 is that of its pages and req/s its pages per second.
set -euo pipefail
cd "$(dirname "$0")/../.."
accounts=${1:-5000}
months=${2:-24}
work=${BENCH_DIR:-/tmp/dpmon-bench-http}
duration=${DURATION:-10}
flag_volume=${FLAG_VOLUME:-200000}
import_rows=${IMPORT_ROWS:-1000000}
big_rows=${BIG_ACCOUNT_ROWS:-300000}
wrk_timeout=${WRK_TIMEOUT:-10}
source bench/common.sh wrk time

conf="$work/dpmond.toml"
db="$work/state/dpmon.db"
log="$work/dpmond.log"
daemon_pid=""
job_pid=""      # a background dpmon reconcile
wrk_bg_pid=""   # a background wrk
table=()        # rows of the summary table: the routes, then the walks, then /healthz under load
walk_rows=()
load_rows=()
rss_notes=()    # dpmond's VmHWM after each part

# ---------------------------------------------------------------------------------------------------------
# Helpers

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
thousands() { printf "%'d" "$1" 2>/dev/null || echo "$1"; }

db_mb() {  # the database file and its WAL, in MB
  local total=0 f
  for f in "$1" "$1-wal"; do
    if [ -f "$f" ]; then total=$((total + $(stat -c %s "$f"))); fi
  done
  awk -v b="$total" 'BEGIN { printf "%.0f", b / 1048576 }'
}

peak_rss_mb() {  # dpmond's peak resident set so far (VmHWM), in MB
  awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$daemon_pid/status" 2>/dev/null || echo "?"
}

note_rss() { rss_notes+=("$1: $(peak_rss_mb) MB"); }

running() { kill -0 "$1" 2>/dev/null; }

# Stops the run when dpmond has gone (a crash under load would otherwise read as connection errors).
check_daemon() {
  running "$daemon_pid" && return 0
  echo "dpmond exited during the run; the end of its log ($log):" >&2
  tail -n 20 "$log" >&2
  daemon_pid=""
  exit 1
}

# Whether a line matching the ERE $2 was logged after line $1 of the daemon's log.
logged_after() { awk -v from="$1" -v re="$2" 'NR > from && $0 ~ re { found = 1; exit } END { exit !found }' "$log"; }

# Waits up to $2 s for "$@" (from $3 on) to succeed; returns 1 on timeout.
wait_for() {
  local what=$1 cap=$2 t0
  shift 2
  t0=$(now)
  while ! "$@"; do
    [ -z "$daemon_pid" ] || check_daemon
    if awk -v s="$(since "$t0")" -v c="$cap" 'BEGIN { exit !(s >= c) }'; then
      echo "  (no sign of $what after $cap s; going on)" >&2
      return 1
    fi
    sleep 0.5
  done
}

healthz_answers() { curl -fsS -m 5 -o /dev/null "$base/healthz" 2>/dev/null; }
# Whether the daily job's full integrity check has reported in /healthz: the check is there (older builds add
# it when it first reports) and, where checks carry last_ok, has a last_ok or a state other than ok.
integrity_checked() {
  curl -fsS -m 5 "$base/healthz" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
checks = json.load(sys.stdin).get("checks", [])
sys.exit(not any(c.get("name") == "integrity" and (c.get("last_ok", "") is not None or c.get("status") != "ok")
                 for c in checks))' 2>/dev/null
}

stop_daemon() {  # SIGTERM, at most 20 s, then SIGKILL
  [ -n "$daemon_pid" ] || return 0
  kill -TERM "$daemon_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$daemon_pid" 2>/dev/null; then
    echo "dpmond did not stop within 20 s of SIGTERM; killing it" >&2
    kill -KILL "$daemon_pid" 2>/dev/null || true
  fi
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=""
}

cleanup() {
  local p
  for p in "$wrk_bg_pid" "$job_pid"; do
    if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; fi
  done
  stop_daemon
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One wrk run, output in $work/wrk-NAME.txt. Arguments: NAME CONNECTIONS SECONDS PATH [CURSORS_LUA]
run_wrk() {
  wrk -t2 -c"$2" -d"${3}s" --timeout "${wrk_timeout}s" --latency -H "Authorization: Bearer $token" \
    ${wrk_cookie:+-H "Cookie: $wrk_cookie"} \
    -s "${wrk_script:-bench/http/wrk.lua}" "$base/" -- "$4" "$accounts" "${5:-}" "${wrk_first:-1}" >"$work/wrk-$1.txt" 2>&1 || true
}

# Reads the RESULT line wrk.lua's done() printed into $work/wrk-NAME.txt, prints it and adds a row to the
# array named ROWS (table). Arguments: LABEL NAME [ROWS]
record() {
  local -n rows_ref=${3:-table}
  local label=$1 name=$2 line p99 rps requests errors="" k
  line=$(grep '^RESULT ' "$work/wrk-$name.txt" | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "  $label: wrk gave no result (see $work/wrk-$name.txt)"
    rows_ref+=("| $label | – | – | wrk gave no result |")
    return
  fi
  wrk_field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  p99="$(wrk_field p99_ms) ms"
  rps=$(wrk_field rps)
  requests=$(wrk_field requests)
  [ "$requests" != 0 ] || p99="–"
  for k in timeout status connect read write; do
    local n
    n=$(wrk_field "$k")
    if [ "$n" != 0 ]; then
      case $k in
        timeout) errors+="${errors:+, }$n slower than ${wrk_timeout} s" ;;
        status) errors+="${errors:+, }$n answers ≥ 400" ;;
        *) errors+="${errors:+, }$n $k errors" ;;
      esac
    fi
  done
  [ "$requests" != 0 ] || errors+="${errors:+, }no answer within the run"
  printf '  %-66s p99 %10s %10s req/s  %s requests%s\n' "$label" "$p99" "$rps" "$requests" "${errors:+  ($errors)}"
  rows_ref+=("| $label | $p99 | $rps | ${errors:-none} |")
}

measure() {  # LABEL NAME PATH [CONNECTIONS] [SECONDS] [CURSORS_LUA]
  run_wrk "$2" "${4:-16}" "${5:-$duration}" "$3" "${6:-}"
  check_daemon
  record "$1" "$2"
  sleep 1  # the connections close before the next run
}

# /healthz with wrk for as long as "$@" succeeds (at most CAP s). Arguments: LABEL NAME CAP CONDITION...
healthz_during() {
  local label=$1 name=$2 cap=$3
  shift 3
  wrk -t2 -c16 -d"${cap}s" --timeout "${wrk_timeout}s" --latency -H "Authorization: Bearer $token" \
    -s bench/http/wrk.lua "$base/" -- /healthz >"$work/wrk-$name.txt" 2>&1 &
  wrk_bg_pid=$!
  sleep 0.5  # wrk stops on SIGINT only once it has started its threads
  while running "$wrk_bg_pid" && running "$daemon_pid" && "$@"; do sleep 0.2; done
  condition_ended=$(now)
  # wrk stops and reports on SIGINT; sent again while it runs, since it ignores SIGINT until its threads run.
  for _ in $(seq 1 50); do
    running "$wrk_bg_pid" || break
    kill -INT "$wrk_bg_pid" 2>/dev/null || true
    sleep 0.2
  done
  wait "$wrk_bg_pid" || true
  wrk_bg_pid=""
  check_daemon
  record "$label" "$name" load_rows
}

# Walks every page of PATH with walk.py; a table row with p99 per page and pages/s. Arguments: LABEL PATH [CURSORS_LUA]
walk() {
  local label=$1 out pages items seconds p99 pps
  check_daemon
  if ! out=$(/usr/bin/python3 bench/http/walk.py "$base" "$2" "$work/api-token" ${3:+"$3"}); then
    echo "  $label: the walk failed"
    walk_rows+=("| $label | – | – | the walk failed |")
    return
  fi
  walk_field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$out"; }
  pages=$(walk_field pages)
  items=$(walk_field items)
  seconds=$(walk_field seconds)
  p99=$(walk_field p99_ms)
  pps=$(awk -v p="$pages" -v s="$seconds" 'BEGIN { printf "%.1f", (s > 0 ? p / s : 0) }')
  echo "  $label: $out"
  walk_rows+=("| $label: $(thousands "$pages") pages, $(thousands "$items") items, $seconds s in all | $p99 ms (p99 of the pages) | $pps pages/s | none |")
}

# ---------------------------------------------------------------------------------------------------------
# The database: generated, imported and reconciled once, as bench/reconcile/run.sh does, then DP-000001
# given BIG_ACCOUNT_ROWS more transactions. Kept in $work/base-state; each run works on a copy.

today=$(/usr/bin/python3 -c "import datetime; print((datetime.date(2024,12,2)+datetime.timedelta(days=int($months*30.44))).isoformat())")
base_key="$accounts-$months-$big_rows"

# BIG_ACCOUNT_ROWS transactions for DP-000001 on the days it already has, in pairs that cancel out (a spend
# and its refund on one day), fingerprints at random; the daemon categorises them at its start-up pass.
add_big_account() {
  local state_db="$work/base-state/dpmon.db"
  [ "$big_rows" -gt 0 ] || return 0
  sqlite3 "$state_db" <<SQL
INSERT INTO imports (file_name, sha256, status, rows, accounts, imported_at)
VALUES ('bench-big-account', lower(hex(randomblob(32))), 'imported', $big_rows, 'DP-000001', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
INSERT INTO transactions (account_id, import_id, posted_on, amount_pence, description, balance_pence, fingerprint, source_line)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $big_rows),
     a AS (SELECT t.account_id AS id, min(t.posted_on) AS first,
                  CAST(julianday(max(t.posted_on)) - julianday(min(t.posted_on)) + 1 AS INTEGER) AS days
           FROM transactions t JOIN accounts ac ON ac.id = t.account_id WHERE ac.account_ref = 'DP-000001')
SELECT a.id, (SELECT max(id) FROM imports), date(a.first, '+' || ((n.i + 1) / 2 % a.days) || ' days'),
       CASE WHEN n.i % 2 = 1 THEN -(200 + (n.i + 1) % 1000) ELSE 200 + n.i % 1000 END,
       CASE WHEN n.i % 2 = 1 THEN 'SHOP BENCH ' ELSE 'SHOP REFUND BENCH ' END || n.i,
       NULL, randomblob(16), n.i
FROM a CROSS JOIN n;
SQL
  # The status counter (a build with one counts the rows an import adds at its commit; these came by SQL).
  sqlite3 "$state_db" "UPDATE counters SET n = (SELECT count(*) FROM transactions) WHERE name = 'transactions'" 2>/dev/null || true
}

build_base() {
  rm -rf "$work" && mkdir -p "$work"
  echo "generating $accounts accounts x $months months ..."
  base_rows=$(/usr/bin/python3 bench/reconcile/generate.py "$work/gen" "$accounts" "$months" 0)
  printf '[daemon]\nstate_dir = "%s/base-state"\ndrop_dir = "%s/base-drop"\nmax_file_bytes = 17179869184\n[[rules]]\nmatch = "SHOP"\ncategory = "other_agreed"\n' \
    "$work" "$work" >"$work/base.toml"
  "$dpmon" --config "$work/base.toml" plans import "$work/gen/plans.json" >/dev/null
  echo "importing $base_rows rows ..."
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$dpmon" --config "$work/base.toml" import "$work/gen/statements.csv" | tail -n 1
  read -r import_s import_kb <"$work/time.txt"
  echo "first full reconciliation (categorises every transaction), --today $today ..."
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$dpmon" --config "$work/base.toml" reconcile --today "$today" >/dev/null
  read -r reconcile_s reconcile_kb <"$work/time.txt"
  sqlite3 "$work/base-state/dpmon.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  base_db_mb=$(db_mb "$work/base-state/dpmon.db")
  if [ "$big_rows" -gt 0 ]; then
    echo "adding $big_rows transactions to DP-000001 ..."
    add_big_account
  fi
  sqlite3 "$work/base-state/dpmon.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  rm -rf "$work/gen"
  cat >"$work/base.env" <<EOF
base_key=$base_key
base_rows=$base_rows
import_s=$import_s
import_kb=$import_kb
reconcile_s=$reconcile_s
reconcile_kb=$reconcile_kb
base_db_mb=$base_db_mb
EOF
}

if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$work/base-state/dpmon.db" ] && [ -f "$work/base.env" ] &&
  grep -qx "base_key=$base_key" "$work/base.env"; then
  echo "reusing the database in $work/base-state (BENCH_REUSE=1)"
else
  build_base
fi
source "$work/base.env"

# The run's own copy: the bench's changes (more flags, imports, reconciliations) never reach the base.
rm -rf "$work/state" "$work/drop" "$work"/wrk-*.txt "$work/cursors.lua"
cp -a "$work/base-state" "$work/state"
mkdir -p "$work/drop/statements" "$work/drop/plans"

# ---------------------------------------------------------------------------------------------------------
# Today's flag volume: resolved copies of the real flags (each with a key of its own, so UNIQUE (account_id,
# key) holds; every other column copied as it is, whatever the schema has) until the table has about
# FLAG_VOLUME rows. The copies are spread evenly: every flag once, then every flag again, and so on.

inflate_flags() {
  local have need copies cols exprs
  have=$(sqlite3 "$db" "SELECT count(*) FROM flags")
  need=$((flag_volume - have))
  if [ "$need" -le 0 ] || [ "$have" -eq 0 ]; then return 0; fi
  copies=$(((need + have - 1) / have))
  IFS='|' read -r cols exprs < <(sqlite3 "$db" "
    SELECT group_concat(name, ', '),
           group_concat(CASE name WHEN 'key' THEN 'f.key || ''#bench'' || n.i'
                                  WHEN 'state' THEN '''resolved'''
                                  WHEN 'resolved_on' THEN 'coalesce(f.resolved_on, f.raised_on)'
                                  ELSE 'f.' || name END, ', ')
    FROM (SELECT name FROM pragma_table_info('flags') WHERE name <> 'id' ORDER BY cid)")
  sqlite3 "$db" "INSERT OR IGNORE INTO flags ($cols)
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $copies)
                 SELECT $exprs FROM n CROSS JOIN flags f ORDER BY n.i, f.id LIMIT $need"
}

if [ "$flag_volume" -gt 0 ]; then
  echo "filling the flags table to about $(thousands "$flag_volume") rows (today's flag volume) ..."
  inflate_flags
fi
flag_rows=$(sqlite3 "$db" "SELECT count(*) FROM flags")
echo "flags table: $(thousands "$flag_rows") rows ($(sqlite3 "$db" "SELECT group_concat(state || ' ' || n, ', ') FROM (SELECT state, count(*) AS n FROM flags GROUP BY state)"))"
big_account_tx=$(sqlite3 "$db" "SELECT count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.account_ref = 'DP-000001'")
echo "DP-000001: $(thousands "$big_account_tx") transactions"

# The statement dropped while /healthz is measured: IMPORT_ROWS new rows for extra accounts (DP-9xxxxx).
if [ "$import_rows" -gt 0 ]; then
  if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$work/import/statements.csv" ] && grep -qx "$import_rows $months" "$work/import/made" 2>/dev/null; then
    echo "reusing $work/import/statements.csv"
  else
    echo "generating a $(thousands "$import_rows")-row statement for extra accounts ..."
    rm -rf "$work/import"
    /usr/bin/python3 bench/http/import_file.py "$work/import" "$import_rows" "$months" >/dev/null
    echo "$import_rows $months" >"$work/import/made"
  fi
fi

# ---------------------------------------------------------------------------------------------------------
# dpmond: a token, a free port, its config; started in the background and left to finish its start-up
# (the reconciliation of every account, the first daily job and its integrity check) before measuring.

port=$(/usr/bin/python3 - "${PORT:-18080}" <<'PY'
import socket, sys
first = int(sys.argv[1])
for port in range(first, first + 200):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    sys.exit(f"no free port from {first}")
PY
)
base="http://127.0.0.1:$port"
token=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
(umask 077 && printf '%s\n' "$token" >"$work/api-token")
chmod 600 "$work/api-token"
cat >"$conf" <<EOF
[daemon]
state_dir = "$work/state"
drop_dir = "$work/drop"
daily_at = "23:59"

[http]
listen = "127.0.0.1:$port"
token_file = "$work/api-token"

[[rules]]
match = "SHOP"
category = "other_agreed"

# No daily backup during the measurements (a copy of the whole database at start).
[backup]
enabled = false
EOF
if ! "$dpmon" --config "$conf" check-config >/dev/null 2>&1; then  # a build from before [backup]
  sed -i '/^# No daily backup/,$d' "$conf"
fi
"$dpmon" --config "$conf" check-config >/dev/null

echo "starting dpmond on $base ..."
started=$(now)
"$dpmond" --config "$conf" >"$log" 2>&1 &
daemon_pid=$!
wait_for "/healthz answering" 900 healthz_answers || { echo "dpmond does not answer; its log: $log" >&2; exit 1; }
echo "  serving after $(since "$started") s (pid $daemon_pid)"
wait_for "the first daily job" 900 logged_after 0 "daily job for .* done" || true
wait_for "the integrity check" 900 integrity_checked || true
# A start-up reconciliation that failed (the database busy) is tried again after the daily job: measuring
# while it runs would count its work against the routes.
startup_reconciled() {
  local last
  last=$(grep -E "reconciliation failed|reconciled [0-9]+ account" "$log" | tail -n 1 || true)
  [[ "$last" == *"reconciled "* ]]
}
wait_for "the start-up reconciliation" 900 startup_reconciled || true
echo "  start-up reconciliation, daily job and integrity check done after $(since "$started") s"
note_rss "after start-up"
startup_peak=$(peak_rss_mb)
# From here the peak is the HTTP bench's own: the start-up pass (which holds DP-000001's 300,000 transactions
# in memory to reconcile them) is reported above. Writing 5 to clear_refs resets VmHWM (proc(5)).
echo 5 >"/proc/$daemon_pid/clear_refs" 2>/dev/null && note_rss "peak reset after start-up (the HTTP bench from here)"

# Every route once, to see that the token is taken (a 401 here would make every figure meaningless).
for path in /healthz /api/v1/status /api/v1/accounts/DP-000002 "/api/v1/accounts?flag=SURPLUS&limit=100" \
  "/api/v1/flags?limit=100" "/api/v1/accounts/DP-000002/transactions?limit=1000" "/api/v1/worklist?limit=100"; do
  code=$(curl -sS -m 600 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base$path" || true)
  [ "$code" = 200 ] || echo "  warning: GET $path answered $code" >&2
done

# ---------------------------------------------------------------------------------------------------------
# Walking every page of the flags (also collecting the deep cursors the flag route is measured with).

echo "walks:"
walk "walk every page of GET /api/v1/flags?limit=1000" "/api/v1/flags?limit=1000" "$work/cursors.lua"
cursor_count=$(grep -c '^"' "$work/cursors.lua" 2>/dev/null || true)
note_rss "after walking the flags"

# ---------------------------------------------------------------------------------------------------------
# Each route at 16 connections.

echo "routes ($duration s each, 16 connections, 2 threads):"
measure "GET /healthz" healthz /healthz
# Over the target rate (5,000 req/s): each connection waits 2 ms between requests.
wrk_script=bench/http/wrk-paced.lua measure "GET /healthz, paced (each connection waits 2 ms between requests)" healthz-paced /healthz
measure "GET /api/v1/status" status /api/v1/status
# DP-000001 holds 300,000 extra rows: its view reconciles all of them (measured once, below), so the
# rotation leaves it out and the figure is that of the caseload's ordinary accounts.
wrk_first=2 measure "GET /api/v1/accounts/{ref} (ref at random of DP-000002..$(thousands "$accounts"))" account "/api/v1/accounts/{ref}"
note_rss "after the account views"
measure "GET /api/v1/accounts?flag=SURPLUS&limit=100" accounts-surplus "/api/v1/accounts?flag=SURPLUS&limit=100"
if [ "${cursor_count:-0}" -gt 0 ]; then
  measure "GET /api/v1/flags?limit=100&cursor=… (at random of $(thousands "$cursor_count") deep cursors)" flags-cursor \
    "/api/v1/flags?limit=100&cursor={cursor}" 16 "$duration" "$work/cursors.lua"
else
  # No "next": a build without pagination answers every flag at once. 4 connections, at most 10 s.
  measure "GET /api/v1/flags?limit=100 (no cursor given back: the whole list; 4 connections)" flags-whole \
    "/api/v1/flags?limit=100" 4 "$((duration < 10 ? duration : 10))"
fi
measure "GET /api/v1/accounts/{ref}/transactions (the default page of 100, ref at random)" transactions-100 \
  "/api/v1/accounts/{ref}/transactions"
measure "GET /api/v1/accounts/{ref}/transactions?limit=1000 (ref at random)" transactions \
  "/api/v1/accounts/{ref}/transactions?limit=1000"
measure "GET /api/v1/worklist?limit=100" worklist "/api/v1/worklist?limit=100"
note_rss "after the routes"

# The dashboard's pages (target: p99 < 50 ms), signed in as the token's holder: a session cookie from
# POST /sign-in, sent by every request. A build without the dashboard skips them.
session=$(curl -sS -m 30 -o /dev/null -D - --data-urlencode "token=$token" "$base/sign-in" 2>/dev/null |
  sed -n 's/^[Ss]et-[Cc]ookie: \(dpmon_session=[0-9a-f]*\).*/\1/p' | tr -d '\r' || true)
if [ -n "$session" ]; then
  echo "pages ($duration s each, 16 connections, signed in):"
  wrk_cookie=$session measure "GET / (the worklist page: its first 100 accounts and the totals)" page-worklist "/"
  wrk_cookie=$session wrk_first=2 measure "GET /accounts/{ref} (the account page, ref at random of DP-000002..$(thousands "$accounts"))" \
    page-account "/accounts/{ref}"
  for page in reviews imports outbox help; do
    wrk_cookie=$session measure "GET /$page" "page-$page" "/$page"
  done
  note_rss "after the pages"
else
  echo "  (pages not measured: this build has no dashboard sign-in)"
fi

echo "walks:"
walk "walk every page of GET /api/v1/accounts/DP-000001/transactions?limit=1000" \
  "/api/v1/accounts/DP-000001/transactions?limit=1000"
note_rss "after walking DP-000001's transactions"

# ---------------------------------------------------------------------------------------------------------
# /healthz while a full reconciliation runs: dpmon reconcile on the same database, beside dpmond.

echo "/healthz under load:"
/usr/bin/time -f "%e %M" -o "$work/time-reconcile.txt" \
  "$dpmon" --config "$conf" reconcile --today "$today" >"$work/reconcile-under-load.txt" 2>&1 &
job_pid=$!
healthz_during "GET /healthz during a full reconciliation (dpmon reconcile)" healthz-reconcile 900 running "$job_pid"
if wait "$job_pid"; then
  read -r under_load_s _ <"$work/time-reconcile.txt"
  echo "  that full reconciliation (categories stored) took $under_load_s s beside dpmond and wrk"
else
  under_load_s="failed"
  echo "  warning: that reconciliation failed: $(tail -n 3 "$work/reconcile-under-load.txt")" >&2
fi
job_pid=""
note_rss "after the reconciliation"

# /healthz while dpmond imports a 1M-row statement from its drop folder (its accounts' plans applied first
# with dpmon; the file copied under a name the folder ignores, then renamed in: dpmond takes it at once).
import_s_daemon="?"
if [ "$import_rows" -gt 0 ]; then
  "$dpmon" --config "$conf" plans import "$work/import/plans.json" >/dev/null
  name="bench-import-$import_rows.csv"
  cp "$work/import/statements.csv" "$work/drop/statements/.$name.part"
  from=$(wc -l <"$log")
  dropped=$(now)
  mv "$work/drop/statements/.$name.part" "$work/drop/statements/$name"
  import_done_re="(imported|rejected) $name|$name.* was not taken|$name: already imported"
  import_running() { ! logged_after "$from" "$import_done_re"; }
  healthz_during "GET /healthz during a $(thousands "$import_rows")-row import (drop folder)" healthz-import 1800 import_running
  if wait_for "the end of the import" 1800 logged_after "$from" "$import_done_re"; then
    import_s_daemon=$(awk -v a="$dropped" -v b="$condition_ended" 'BEGIN { printf "%.1f", b - a }')
    echo "  $(grep -E "$import_done_re" "$log" | tail -n 1 | cut -c1-200)"
    echo "  import by dpmond: $import_s_daemon s from the file moved in to the log line"
  fi
  # The reconciliation of the accounts it touched follows; its memory counts too.
  wait_for "the reconciliation after the import" 900 logged_after "$from" "reconciled [0-9]+ account" || true
  note_rss "after the import"
fi

# ---------------------------------------------------------------------------------------------------------
# Peak RSS, stop, summary.

peak=$(peak_rss_mb)
# Last, once: the view of DP-000001, whose 300,000 extra rows are reconciled in memory to draw it.
big_view=$(curl -sS -m 120 -o /dev/null -w '%{http_code} in %{time_total} s' -H "Authorization: Bearer $token" "$base/api/v1/accounts/DP-000001" || true)
note_rss "after GET /api/v1/accounts/DP-000001 (300,000 more rows), once, last: $big_view"
stop_daemon

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "dpmon: $("$dpmon" --version 2>/dev/null | head -n 1 || echo "$dpmon")"
echo "database: $(thousands "$accounts") accounts x $months months, $(thousands "$base_rows") rows"
echo "  import: $import_s s ($((import_kb / 1024)) MB peak); first full reconciliation: $reconcile_s s ($((reconcile_kb / 1024)) MB peak)"
echo "  full reconciliation, categories stored, beside dpmond under wrk: $under_load_s s"
echo "  size after import and reconciliation: $base_db_mb MB; at the end of this run: $(db_mb "$db") MB"
echo "  flags: $(thousands "$flag_rows") rows (FLAG_VOLUME=$flag_volume); DP-000001: $(thousands "$big_account_tx") transactions"
if [ "$import_rows" -gt 0 ]; then
  echo "  dropped $(thousands "$import_rows")-row statement imported by dpmond in: $import_s_daemon s"
fi
echo "dpmond peak RSS (VmHWM): start-up (its full pass) $startup_peak MB; the HTTP bench after it $peak MB (before the one view of DP-000001)"
for n in "${rss_notes[@]}"; do echo "  $n"; done
echo
echo "| request | p99 | req/s | errors |"
echo "| --- | --- | --- | --- |"
for row in "${table[@]}" "${walk_rows[@]}" "${load_rows[@]}"; do echo "$row"; done
