"""Regression tests for defects found in review, one per defect, against the real binaries: plan CSV errors,
long descriptions and slow rules, truncated uploads, personal data in logs, a damaged database, the health
contract and a full disk, log injection, HSBC files from the drop folder, HTTP headers, file modes, and the
health reserve under a connection flood."""

import datetime
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import time

import harness
from harness import (Daemon, TempStateTest, curl, deliver, lloyds_rows, plan_json, raw_exchange, sql, status_of,
                     wait_for, write_config)

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ_PLAN_CSV = os.path.join(SOURCE, "tests", "fixtures", "fuzz", "plan_csv")
SORT, NUMBER = "60-83-71", "31926819"
MISSING_COLUMNS = "account_ref,person_ref\nDP-000001,P-1\n"
HSBC_ROWS = "05/01/2026,COUNCIL DP PAYMENT,1220.00\n07/01/2026,A PENDLEBURY WAGES,-250.00\n"
SLOW_RULE = '\n[[rules]]\nregex = "(a+)+$"\ncategory = "other_agreed"\n'
OFX = ("OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>GBP\n"
       "<BANKACCTFROM><BANKID>200000<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
       "<BANKTRANLIST><DTSTART>20260101<DTEND>20260131\n"
       "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-250.00<FITID>T1<NAME>J BLOGGS<MEMO>WAGES</STMTTRN>\n"
       "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260106<TRNAMT>1220.00<FITID>T2<NAME>COUNCIL DP<MEMO>COUNCIL DP</STMTTRN>\n"
       "</BANKTRANLIST><LEDGERBAL><BALAMT>970.00<DTASOF>20260131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>"
       "</OFX>\n")


def many_rows(n, per_day=2):
    """n Lloyds rows (date, description, pence) in date order from 1 January 2026, `per_day` a day."""
    first = datetime.date(2026, 1, 1)
    return [((first + datetime.timedelta(days=i // per_day)).strftime("%d/%m/%Y"), f"ITEM {i}", -(100 + i))
            for i in range(n)]


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def health(d, timeout=10):
    """(http status, parsed /healthz body or None)."""
    code, body = curl(d.url("/healthz"), timeout=timeout)
    try:
        return code, json.loads(body)
    except ValueError:
        return code, None


def check_named(body, name):
    return next((c for c in (body or {}).get("checks", []) if c.get("name") == name), None)


def wait_health(d, predicate, timeout, what):
    """Polls /healthz until predicate(code, body); the failure shows the last answer."""
    last = [None]

    def check():
        last[0] = health(d, timeout=5)
        return predicate(*last[0])

    try:
        wait_for(check, timeout=timeout, interval=0.3, what=what)
    except AssertionError as e:
        raise AssertionError(f"{e}; the last /healthz answer: {last[0]}") from None


def damage_an_index(db):
    """Makes one index stale behind SQLite's back: PRAGMA quick_check still says ok, integrity_check does not.
    Returns (quick_check, integrity_check) afterwards."""
    c = sqlite3.connect(db, isolation_level=None)
    candidates = []
    for kind, name, table, root, text in c.execute(
            "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"):
        if c.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] > 0:
            candidates.append((table != "imports", table != "accounts", (kind, name, table, root, text)))
    if not candidates:
        c.close()
        return "no index on a table with rows", "?"
    saved = sorted(candidates)[0][2]
    c.execute("PRAGMA writable_schema=ON")
    c.execute("DELETE FROM sqlite_master WHERE type = 'index' AND name = ?", (saved[1],))
    c.execute("PRAGMA writable_schema=OFF")
    c.close()
    c = sqlite3.connect(db, isolation_level=None)  # reopened: the schema no longer knows the index
    c.execute(f'DELETE FROM "{saved[2]}" WHERE rowid = (SELECT min(rowid) FROM "{saved[2]}")')
    c.execute("PRAGMA writable_schema=ON")
    c.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, ?, ?)", saved)
    c.execute("PRAGMA writable_schema=OFF")
    c.close()
    c = sqlite3.connect(db)
    quick = "\n".join(r[0] for r in c.execute("PRAGMA quick_check"))
    full = "\n".join(r[0] for r in c.execute("PRAGMA integrity_check"))
    c.close()
    return quick, full


class DefectTest(TempStateTest):
    def setUp(self):
        super().setUp()
        self.use_state(self.state)

    def use_state(self, state):
        self.state = state
        self.drop = os.path.join(state, "drop")
        self.statements = os.path.join(self.drop, "statements")
        self.plans = os.path.join(self.drop, "plans")
        self.rejected = os.path.join(state, "rejected")
        self.db = os.path.join(state, "dpmon.db")

    def configure(self, daemon="settle_seconds = 0\nrescan_seconds = 1", extra="", extra_http="", token=None):
        """Writes self.config: the harness config with [daemon] lines, [http] lines, a token file, extra sections."""
        if token:
            extra_http += f'\ntoken_file = "{harness.private_file(os.path.join(self.tmp, "api-token"), token)}"'
        path = write_config(self.state, extra_http=extra_http, extra=extra, path=os.path.join(self.tmp, "dpmon.toml"))
        with open(path) as f:
            text = f.read().replace('log_level = "debug"\n', 'log_level = "debug"\n' + daemon + "\n")
        with open(path, "w") as f:
            f.write(text)
        self.config = path
        return path

    def dpmon(self, *args):
        return subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, timeout=120)

    def add_accounts(self, accounts):
        path = self.write("accounts.json", plan_json(accounts))
        r = self.dpmon("plans", "import", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def deliver(self, name, text, folder):
        """harness.deliver (write beside, rename in), creating the drop folder if the daemon has not yet."""
        os.makedirs(folder, exist_ok=True)
        deliver(name, text, folder)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def count(self):
        return int(sql(self.db, "SELECT count(*) FROM transactions"))

    def imports(self):
        """[(status, rows)] from the database, oldest first."""
        out = sql(self.db, "SELECT status, rows FROM imports ORDER BY id")
        return [(s, int(n)) for s, n in (line.split("|") for line in out.splitlines())]

    def rejection(self, name, timeout=15):
        path = os.path.join(self.rejected, name + ".error.txt")
        wait_for(lambda: os.path.exists(path), timeout=timeout, what=f"the rejection of {name!r}")
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def archived(self, name):
        for folder, _, files in os.walk(os.path.join(self.state, "archive")):
            if name in files:
                return os.path.join(folder, name)
        return None

    def assert_readable(self, raw, name):
        text = raw.decode("utf-8")  # UnicodeDecodeError fails the test: not UTF-8
        controls = sorted({hex(ord(c)) for c in text if c != "\n" and (ord(c) < 32 or 127 <= ord(c) < 160)})
        self.assertEqual(controls, [], f"control bytes in the output: {text!r}")
        self.assertNotIn("\ufffd", text)
        self.assertRegex(text, re.escape(name) + r": \S", text)


class PlanCsvErrors(DefectTest):
    def test_a_plan_csv_with_an_error_prints_a_readable_first_error(self):
        self.configure()
        r = self.dpmon("plans", "import", self.write("p.csv", MISSING_COLUMNS))
        self.assertGreater(r.returncode, 0, "the import of a wrong plan CSV must fail (and not by a signal)")
        self.assertLess(r.returncode, 128, r.stdout + r.stderr)
        self.assert_readable(r.stdout + r.stderr, "p.csv")

    def test_every_plan_csv_fuzz_fixture_exits_0_or_1_and_never_crashes(self):
        self.configure()
        names = sorted(os.listdir(FUZZ_PLAN_CSV))
        self.assertIn("uaf-missing-columns.csv", names)
        with open(os.path.join(FUZZ_PLAN_CSV, "uaf-missing-columns.csv")) as f:
            self.assertEqual(f.read(), MISSING_COLUMNS)
        for name in names:
            r = self.dpmon("plans", "import", os.path.join(FUZZ_PLAN_CSV, name))
            self.assertIn(r.returncode, (0, 1), f"{name}: exit {r.returncode}\n{(r.stdout + r.stderr)[-2000:]!r}")

    def test_a_plan_csv_with_an_error_dropped_in_is_rejected_with_an_error_file_naming_it(self):
        self.configure()
        with Daemon(self.config) as d:
            self.deliver("p.csv", MISSING_COLUMNS, self.plans)
            text = self.rejection("p.csv")
            self.assertTrue(os.path.exists(os.path.join(self.rejected, "p.csv")))
            self.assert_readable(text.encode(), "p.csv")
            self.assertIsNone(d.proc.poll(), d.log())
            self.assertEqual(health(d)[0], 200)


class LongDescriptions(DefectTest):
    def test_a_60000_character_description_is_rejected_over_the_4096_limit_and_the_daemon_stays_up(self):
        self.configure(extra=SLOW_RULE)
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        with Daemon(self.config) as d:
            text = lloyds_rows(SORT, NUMBER, [("05/01/2026", "a" * 59999 + "b", -100)])
            self.deliver("long.csv", text, self.statements)
            text = self.rejection("long.csv")
            self.assertIn("long.csv:2", text)
            self.assertIn("over the limit of 4096", text)
            time.sleep(1.5)  # a rescan and a reconciliation
            self.assertIsNone(d.proc.poll(), d.log())
            self.assertEqual(health(d)[0], 200)
            self.assertEqual(self.count(), 0)
            self.assertEqual(d.stop()[0], 0, d.log())
        with Daemon(self.config) as d:
            d.wait_for_log("reconciled", timeout=15)
            time.sleep(1.5)
            self.assertIsNone(d.proc.poll(), d.log())
            self.assertEqual(health(d)[0], 200)

    def test_a_rule_regex_re2_refuses_fails_check_config_naming_regex(self):
        self.configure(extra="\n[[rules]]\nregex = '(a)\\1'\ncategory = \"other_agreed\"\n")
        r = self.dpmon("check-config")
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(b"regex", r.stderr)

    def test_a_4000_character_description_against_a_nested_quantifier_rule_imports_and_reconciles_quickly(self):
        self.configure(extra=SLOW_RULE)
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        with Daemon(self.config) as d:
            d.wait_for_log("reconciled", timeout=15)  # the start-up reconciliation
            start = len(d.lines)
            text = lloyds_rows(SORT, NUMBER, [("05/01/2026", "a" * 4000 + "b", -100)])
            self.deliver("a4000.csv", text, self.statements)

            def reconciled_after_import():
                lines = d.lines[start:]
                at = next((i for i, l in enumerate(lines) if "imported a4000.csv" in l), None)
                return at is not None and any(re.search(r"reconciled [1-9]\d* account", l) for l in lines[at:])

            wait_for(reconciled_after_import, timeout=10, what="the import and its reconciliation")
            self.assertEqual(self.count(), 1)
            self.assertIsNone(d.proc.poll(), d.log())


class TruncatedUploads(DefectTest):
    def setUp(self):
        super().setUp()
        self.configure(daemon="settle_seconds = 1\nrescan_seconds = 1")
        self.add_accounts([("DP-000123", SORT, NUMBER), ("DP-000200", "20-00-00", "12345678")])
        os.makedirs(self.statements, exist_ok=True)

    def assert_waiting(self, path, seconds):
        """For `seconds`: the file stays in the drop folder and nothing is imported."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.assertTrue(os.path.exists(path), "the file was taken while still being written")
            self.assertEqual(self.count(), 0, "a partial file was imported")
            time.sleep(0.25)

    def test_a_file_held_open_past_three_settle_times_is_imported_whole_once_after_it_is_closed(self):
        lines = lloyds_rows(SORT, NUMBER, many_rows(40)).splitlines(True)
        path = os.path.join(self.statements, "slow.csv")
        with Daemon(self.config):
            with open(path, "w") as f:
                f.write("".join(lines[:21]))
                f.flush()
                self.assert_waiting(path, 3.0)
                f.write("".join(lines[21:]))
            wait_for(lambda: self.count() == 40, timeout=15, what="the whole file")
            time.sleep(1.5)
            self.assertEqual(self.count(), 40)
            self.assertEqual(self.imports(), [("imported", 40)])

    def test_without_inotify_a_file_appended_to_every_half_second_waits_until_it_stops_changing(self):
        lines = lloyds_rows(SORT, NUMBER, many_rows(18)).splitlines(True)
        path = os.path.join(self.statements, "growing.csv")
        with Daemon(self.config, env={"DPMON_TEST_NO_INOTIFY": "1"}) as d:
            d.wait_for_log("inotify disabled")
            with open(path, "w") as f:
                f.write("".join(lines[:3]))
            for i in range(8):  # 4 s of appends, two rows each
                self.assert_waiting(path, 0.5)
                with open(path, "a") as f:
                    f.write("".join(lines[3 + 2 * i:5 + 2 * i]))
            wait_for(lambda: self.count() == 18, timeout=15, what="the whole file")
            time.sleep(1.5)
            self.assertEqual(self.imports(), [("imported", 18)])

    def test_a_csv_whose_last_line_has_no_newline_waits_one_more_settle_time_then_is_imported(self):
        # Closed by its writer, a file is ready at once; without its last newline it waits one settle time more.
        with Daemon(self.config):
            start = time.monotonic()
            self.deliver("jan.csv", lloyds_rows(SORT, NUMBER, many_rows(2)).rstrip("\n"), self.statements)
            time.sleep(max(0.0, 0.6 - (time.monotonic() - start)))
            self.assertEqual(self.count(), 0, "a file without its last newline was taken without waiting")
            wait_for(lambda: self.count() == 2, timeout=15, what="the file without a last newline")
            self.assertEqual(self.imports(), [("imported", 2)])

    def test_an_ofx_file_without_its_closing_tag_is_rejected_as_ending_early_and_not_imported(self):
        with Daemon(self.config):
            self.deliver("jan.ofx", OFX.replace("</OFX>\n", ""), self.statements)
            text = self.rejection("jan.ofx")
            self.assertIn("jan.ofx", text)
            self.assertIn("ends before", text)
            self.assertIn("</OFX>", text)
            self.assertEqual(self.count(), 0)
            # The whole file is taken (the fixture itself is fine).
            self.deliver("whole.ofx", OFX, self.statements)
            wait_for(lambda: self.count() == 2, timeout=15, what="the whole OFX file")

    def test_a_part_file_renamed_when_complete_is_imported_once(self):
        lines = lloyds_rows(SORT, NUMBER, many_rows(20)).splitlines(True)
        part = os.path.join(self.statements, "feb.csv.part")
        with Daemon(self.config):
            with open(part, "w") as f:
                f.write("".join(lines[:11]))
            self.assert_waiting(part, 1.5)
            with open(part, "a") as f:
                f.write("".join(lines[11:]))
            os.rename(part, os.path.join(self.statements, "feb.csv"))
            wait_for(lambda: self.count() == 20, timeout=15, what="the renamed file")
            time.sleep(1.5)
            self.assertEqual(self.imports(), [("imported", 20)])


class PersonalData(DefectTest):
    def test_a_payee_in_an_amount_field_stays_out_of_the_log_and_api_but_is_in_the_private_error_file(self):
        self.configure()
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        text = lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000), ("06/01/2026", "SHOP", -500),
                                          ("07/01/2026", "SHOP", -700)])
        self.assertEqual(text.count(",5.00,"), 1)
        text = text.replace(",5.00,", ",MRS CANARY PAYEE,")  # line 3, the Debit Amount
        with Daemon(self.config) as d:
            self.deliver("canary.csv", text, self.statements)
            report = self.rejection("canary.csv")
            time.sleep(0.3)  # the log line follows the move
            code, body = curl(d.url("/api/v1/imports"))
            self.assertEqual(code, 200, body)
            log = d.log()
        for where, out in (("the log", log), ("GET /api/v1/imports", body)):
            for secret in ("CANARY", SORT, SORT.replace("-", "")):
                self.assertNotIn(secret, out, f"{where} shows {secret!r}:\n{out}")
            self.assertRegex(out, r"canary\.csv:3\b", f"{where} must name the file and line:\n{out}")
        self.assertIn("CANARY", report)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.rejected, "canary.csv.error.txt")).st_mode), 0o600)


class DamagedDatabase(DefectTest):
    def test_a_database_failing_integrity_check_stops_start_up_with_status_65_and_is_left_untouched(self):
        self.configure()
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        with Daemon(self.config) as d:
            self.deliver("jan.csv", lloyds_rows(SORT, NUMBER, many_rows(6)), self.statements)
            wait_for(lambda: self.count() == 6, timeout=15, what="the statement")
            d.wait_for_log("reconciled 1 account")
            d.proc.send_signal(signal.SIGKILL)  # unclean
            d.proc.wait(timeout=10)
        quick, full = damage_an_index(self.db)
        if quick != "ok" or full == "ok":
            self.skipTest(f"could not damage the database as intended: quick_check {quick!r}, integrity_check {full!r}")
        before = sha256_of(self.db)
        env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "JOURNAL_STREAM")}
        proc = subprocess.Popen([harness.ARGS.dpmond, "--config", self.config], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, env=env)
        try:
            _, log = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, log = proc.communicate(timeout=10)
            self.fail("dpmond kept running on a database failing integrity_check:\n" + log)
        self.assertEqual(proc.returncode, 65, log)
        self.assertTrue("integrity_check" in log or "damaged" in log, log)
        self.assertEqual(sha256_of(self.db), before, "the damaged database was changed")

    def test_the_service_unit_does_not_restart_after_exit_status_65(self):
        with open(os.path.join(SOURCE, "systemd", "dpmond.service")) as f:
            unit = f.read()
        self.assertTrue(re.search(r"^RestartPreventExitStatus=.*\b65\b", unit, re.M),
                        "systemd/dpmond.service lacks RestartPreventExitStatus=65: systemd would restart dpmond on a "
                        "damaged database every RestartSec")


class HealthContract(DefectTest):
    def test_healthz_answers_ok_with_named_checks_on_a_fresh_daemon(self):
        self.configure()
        with Daemon(self.config) as d:
            code, body = health(d)
            self.assertEqual(code, 200, body)
            self.assertEqual(body["status"], "ok", body)
            self.assertIsInstance(body["checks"], list)
            self.assertTrue(body["checks"], body)
            for check in body["checks"]:
                self.assertLessEqual({"name", "status", "detail", "since"}, set(check), check)
                self.assertIn(check["status"], ("ok", "degraded", "failing"), check)
            names = {c["name"] for c in body["checks"]}
            self.assertLessEqual({"database", "imports", "reconciliation", "outbox", "disk"}, names, body)

    def test_a_full_disk_degrades_health_keeps_the_statement_and_it_is_imported_once_space_returns(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to mount a small tmpfs")
        small = os.path.join(self.tmp, "small")
        os.mkdir(small)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", small], capture_output=True,
                           text=True, timeout=30)
        if r.returncode != 0:
            self.skipTest("cannot mount a tmpfs here: " + (r.stderr.strip() or f"exit {r.returncode}"))
        self.addCleanup(shutil.rmtree, self.tmp, True)  # after the unmount (cleanups run last first)
        self.addCleanup(subprocess.run, ["umount", small], capture_output=True, timeout=30)
        self.use_state(os.path.join(small, "state"))
        self.configure()
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        os.makedirs(self.statements, exist_ok=True)
        with Daemon(self.config) as d:
            # Not "ok" necessarily: a 6 MiB file system may already count as nearly full for the disk check.
            wait_health(d, lambda code, body: code == 200 and body is not None, 15, "health answering 200")
            hidden = os.path.join(self.statements, ".jan.csv.part")  # ignored until renamed
            with open(hidden, "w") as f:
                f.write(lloyds_rows(SORT, NUMBER, many_rows(1500, per_day=10)))
            filler = os.path.join(small, "filler")
            with open(filler, "wb", buffering=0) as f:
                for chunk in (256 * 1024, 4096, 512):
                    try:
                        while True:
                            f.write(b"\0" * chunk)
                    except OSError as e:
                        self.assertEqual(e.errno, errno.ENOSPC)
            os.rename(hidden, os.path.join(self.statements, "jan.csv"))

            def degraded_for_space(code, body):
                imports = check_named(body, "imports")
                return (code == 200 and body is not None and body.get("status") == "degraded" and imports is not None
                        and "space" in str(imports.get("detail", "")).lower())

            wait_health(d, degraded_for_space, 15, "degraded health whose imports check names space")
            time.sleep(1.5)  # a retry or two: still neither imported nor rejected
            self.assertTrue(os.path.exists(os.path.join(self.statements, "jan.csv")))
            self.assertFalse(os.path.exists(os.path.join(self.rejected, "jan.csv")))
            self.assertIsNone(self.archived("jan.csv"))
            os.unlink(filler)
            wait_for(lambda: self.archived("jan.csv"), timeout=30, interval=0.3, what="the import after space returned")
            self.assertEqual(self.count(), 1500)
            wait_health(d, lambda code, body: (check_named(body, "imports") or {}).get("status") == "ok", 30,
                        "the imports check back to ok")


class LogInjection(DefectTest):
    def test_a_file_name_with_a_newline_and_a_priority_prefix_is_logged_escaped_on_one_line(self):
        self.configure()
        name = "bad\n<3>forged.csv"
        with Daemon(self.config, env={"JOURNAL_STREAM": "8:12345"}) as d:
            os.makedirs(self.statements, exist_ok=True)
            self.deliver(name, "Foo,Bar\n1,2\n", self.statements)
            d.wait_for_log("forged", timeout=15)
            time.sleep(0.3)
            lines = list(d.lines)
        self.assertFalse([l for l in lines if l.startswith("<3>forged")], "\n".join(lines))
        mentions = [l for l in lines if "forged" in l]
        self.assertTrue(mentions)
        for line in mentions:
            self.assertIn("\\n", line, f"the newline is not escaped: {line!r}")


class HsbcFromTheDropFolder(DefectTest):
    def test_an_hsbc_file_named_for_its_account_is_imported_and_one_without_a_reference_is_rejected_in_a_sentence(self):
        self.configure()
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        with Daemon(self.config) as d:
            self.deliver("DP-000123-hsbc.csv", HSBC_ROWS, self.statements)

            def seen():
                code, body = curl(d.url("/api/v1/imports"))
                rows = json.loads(body)["imports"] if code == 200 else []
                return [i for i in rows if i["file_name"] == "DP-000123-hsbc.csv"]

            wait_for(seen, timeout=15, what="the HSBC import")
            got = seen()[0]
            self.assertEqual((got["status"], got["profile"], got["accounts"], got["rows"]),
                             ("imported", "hsbc", ["DP-000123"], 2), got)
            self.deliver("mystery-hsbc.csv", HSBC_ROWS.replace("/01/", "/02/"), self.statements)
            text = self.rejection("mystery-hsbc.csv")
            self.assertIn("does not begin with an account reference", text)
            self.assertNotIn("no DP account has no", text)
            self.assertEqual(self.count(), 2)


class HttpHeaders(DefectTest):
    TOKEN = "defects-test-token-0123456789"

    def setUp(self):
        super().setUp()
        self.configure(token=self.TOKEN)
        self.daemon = Daemon(self.config)
        self.addCleanup(self.daemon.__exit__)

    def test_two_host_headers_get_400(self):
        for second in (b"127.0.0.1", b"attacker.example"):
            raw = raw_exchange(self.daemon.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: " + second +
                               b"\r\nConnection: close\r\n\r\n")
            self.assertEqual(status_of(raw), 400, raw[:300])

    def test_an_http_1_1_request_without_host_gets_400(self):
        raw = raw_exchange(self.daemon.port, b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
        self.assertEqual(status_of(raw), 400, raw[:300])

    def test_a_lower_case_bearer_scheme_with_the_right_token_is_accepted(self):
        def ack(auth):
            return curl(self.daemon.url("/api/v1/flags/999999/acknowledge"), "-X", "POST", "-H",
                        "Content-Type: application/json", "-H", auth, "--data", '{"by": "tester", "note": "n"}')

        self.assertEqual(ack("Authorization: bearer wrong-token")[0], 401)  # the route does need the token
        code, body = ack(f"Authorization: bearer {self.TOKEN}")
        self.assertNotEqual(code, 401, body)
        self.assertEqual(code, 404, body)  # no such flag


class FileModes(DefectTest):
    def test_archived_and_rejected_files_are_0600_in_0700_folders_whatever_mode_they_arrived_with(self):
        self.configure()
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        os.makedirs(self.statements, exist_ok=True)
        with Daemon(self.config):
            for name, text in (("good.csv", lloyds_rows(SORT, NUMBER, many_rows(2))), ("bad.csv", "Foo,Bar\n1,2\n")):
                part = os.path.join(self.statements, "." + name + ".part")
                with open(part, "w") as f:
                    f.write(text)
                os.chmod(part, 0o644)
                os.rename(part, os.path.join(self.statements, name))
            wait_for(lambda: self.archived("good.csv"), timeout=15, what="archiving")
            self.rejection("bad.csv")
            bad = os.path.join(self.rejected, "bad.csv")
            wait_for(lambda: os.path.exists(bad), timeout=5, what="the rejected file")
        for path in (self.archived("good.csv"), bad):
            self.assertEqual(oct(stat.S_IMODE(os.stat(path).st_mode)), oct(0o600), path)
            folder = os.path.dirname(path)
            self.assertEqual(oct(stat.S_IMODE(os.stat(folder).st_mode)), oct(0o700), folder)


class HealthReserve(DefectTest):
    def test_healthz_answers_within_2_seconds_while_64_idle_connections_hold_a_cap_of_8(self):
        self.configure(extra_http="max_connections = 8")
        with Daemon(self.config) as d:
            held = []
            self.addCleanup(lambda: [s.close() for s in held])
            for _ in range(64):
                try:
                    held.append(socket.create_connection(("127.0.0.1", d.port), timeout=5))
                except OSError:
                    break
            self.assertGreater(len(held), 8)
            time.sleep(0.3)
            for _ in range(5):
                start = time.monotonic()
                code, body = curl(d.url("/healthz"), timeout=2)
                self.assertEqual(code, 200, f"/healthz under a connection flood: {code} {body}")
                self.assertLess(time.monotonic() - start, 2.5)
                time.sleep(0.2)
            self.assertIn(curl(d.url("/api/v1/status"), timeout=5)[0], (200, 503))  # answered, if only with 503
            self.assertIsNone(d.proc.poll(), d.log())


if __name__ == "__main__":
    harness.main()
