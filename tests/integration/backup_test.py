"""Backups and restore against the real binaries: `dpmon backup` during a 1M-row import, dpmond's daily
backup and its health check, a restore refused while dpmond runs, and a damaged database refused at start,
named with its newest good backup, restored, and served again."""

import glob
import json
import os
import re
import stat
import subprocess
import time

import harness
from harness import Daemon, daemon_config, TempStateTest, curl, deliver, plan_json, sql, wait_for

SORT, NUMBER = "30-91-23", "12345678"
ROWS = int(os.environ.get("DPMON_BACKUP_TEST_ROWS", "1000000"))


class BackupTest(TempStateTest):
    def setUp(self):
        super().setUp()
        self.drop = os.path.join(self.state, "drop")
        self.db = os.path.join(self.state, "dpmon.db")
        self.backups = os.path.join(self.state, "backups")
        self.config = daemon_config(self.state, self.tmp, daemon="settle_seconds = 0")

    def dpmon(self, *args, timeout=300):
        return subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, text=True,
                              timeout=timeout)

    def add_account(self):
        plan = os.path.join(self.tmp, "plan.json")
        with open(plan, "w") as f:
            f.write(plan_json([("DP-000123", SORT, NUMBER)]))
        r = self.dpmon("plans", "import", plan)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def rows_in(self, output, table):
        m = re.search(rf"^\s+{table}\s+(\d+) rows$", output, re.M)
        self.assertIsNotNone(m, output)
        return int(m.group(1))

    def big_statement(self):
        path = os.path.join(self.tmp, "big.csv")
        with open(path, "w") as f:
            f.write(harness.LLOYDS_HEADER)
            balance = 0
            for i in range(ROWS):
                balance += 1
                f.write(f"{1 + (i * 28) // ROWS:02d}/02/2026,FPI,'{SORT},{NUMBER},PAYMENT {i},,0.01,"
                        f"{balance // 100}.{balance % 100:02d}\n")
        return path


class BackupDuringImport(BackupTest):
    def test_a_backup_taken_during_a_large_import_is_a_checked_snapshot_and_the_daily_backup_is_kept_private(self):
        self.add_account()
        big = self.big_statement()
        with Daemon(self.config) as d:
            # The daily backup is taken at start (none was there) and reported healthy.
            wait_for(lambda: glob.glob(os.path.join(self.backups, "dpmon-*.db")), timeout=30, what="the daily backup")
            daily = glob.glob(os.path.join(self.backups, "dpmon-*.db"))[0]
            self.assertEqual(stat.S_IMODE(os.stat(daily).st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(os.stat(self.backups).st_mode), 0o700)
            d.wait_for_log("daily backup for", timeout=30)
            code, body = curl(d.url("/healthz"), auth=False)
            checks = {c["name"]: c for c in json.loads(body)["checks"]}
            self.assertEqual(checks["backup"]["status"], "ok", body)

            os.makedirs(os.path.join(self.drop, "statements"), exist_ok=True)
            os.rename(big, os.path.join(self.drop, "statements", "big.csv"))
            time.sleep(0.3)
            out = os.path.join(self.tmp, "during.db")
            started = time.monotonic()
            r = self.dpmon("backup", "--out", out)
            took = time.monotonic() - started
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertFalse(any("imported big.csv" in l for l in d.lines),
                             f"the import ended before the backup did ({took:.2f} s): the test shows nothing")
            self.assertIn("integrity ok", r.stdout)
            self.assertEqual(self.rows_in(r.stdout, "accounts"), 1)
            self.assertEqual(self.rows_in(r.stdout, "transactions"), 0)  # the snapshot before the import's commit
            self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
            self.assertEqual(sql(out, "PRAGMA integrity_check"), "ok")
            print(f"backup during the import of {ROWS} rows: {took:.2f} s")

            d.wait_for_log("imported big.csv", timeout=240)
            after = os.path.join(self.tmp, "after.db")
            r = self.dpmon("backup", "--out", after)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(self.rows_in(r.stdout, "transactions"), ROWS)
            r = self.dpmon("backup", "--out", after)
            self.assertEqual(r.returncode, 1)
            self.assertIn("exists already", r.stderr)
            # Not the stop's test (fault_test times a stop mid-import): after the import dpmond reconciles an
            # account that just got a million rows, which under the sanitizers outlasts a 5 s stop.
            self.assertEqual(d.stop(timeout=120)[0], 0)
        r = self.dpmon("backup", "check", after)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.rows_in(r.stdout, "transactions"), ROWS)


class Restore(BackupTest):
    def test_restore_is_refused_while_dpmond_runs_and_sets_the_database_and_its_wal_aside_when_stopped(self):
        self.add_account()
        backup = os.path.join(self.tmp, "one-account.db")
        with Daemon(self.config) as d:
            r = self.dpmon("backup", "--out", backup)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            plan = os.path.join(self.tmp, "more.json")
            with open(plan, "w") as f:
                f.write(plan_json([("DP-000124", "30-91-24", "12345679")]))
            self.assertEqual(self.dpmon("plans", "import", plan).returncode, 0)
            r = self.dpmon("restore", backup)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("dpmond is running", r.stderr)
            self.assertIn("systemctl stop dpmond", r.stderr)
            self.assertEqual(sql(self.db, "SELECT count(*) FROM accounts"), "2")
            self.assertEqual(d.stop()[0], 0)
        # A WAL left beside the database (as after a crash) goes aside with it, never into the restored file.
        with open(self.db + "-wal", "ab"):
            pass
        r = self.dpmon("restore", backup)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        aside = sorted(glob.glob(self.db + ".before-restore-*"))
        self.assertEqual(len(aside), 2, aside)  # the database and its -wal
        self.assertRegex(aside[0], r"\.before-restore-\d{8}T\d{6}Z$")
        self.assertEqual(aside[1], aside[0] + "-wal")
        self.assertFalse(os.path.exists(self.db + "-wal"))
        self.assertEqual(stat.S_IMODE(os.stat(self.db).st_mode), 0o600)
        with Daemon(self.config) as d:
            code, body = curl(d.url("/api/v1/accounts"))
            self.assertEqual(code, 200, body)
            self.assertEqual([a["account_ref"] for a in json.loads(body)["accounts"]], ["DP-000123"])
            self.assertEqual(d.stop()[0], 0)
        self.assertEqual(sql(self.db, "PRAGMA integrity_check"), "ok")


class DamagedDatabase(BackupTest):
    def test_a_damaged_database_is_refused_naming_the_newest_good_backup_which_restores_it(self):
        self.add_account()
        with Daemon(self.config) as d:
            wait_for(lambda: glob.glob(os.path.join(self.backups, "dpmon-*.db")), timeout=30, what="the daily backup")
            d.wait_for_log("daily backup for", timeout=30)
            self.assertEqual(d.stop()[0], 0)
        daily = glob.glob(os.path.join(self.backups, "dpmon-*.db"))[0]
        with open(self.db, "r+b") as f:  # damage every page after the first
            f.seek(4096)
            f.write(b"\x5a" * (os.path.getsize(self.db) - 4096))
        with open(self.db, "rb") as f:
            damaged = f.read()
        with self.assertRaises(AssertionError) as caught:
            Daemon(self.config)
        message = str(caught.exception)
        self.assertIn("exited with 65", message)
        self.assertIn(f"the newest good backup is {daily}", message)
        self.assertIn(f"dpmon restore {daily}", message)
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), damaged, "the damaged database was changed")
        r = self.dpmon("restore", daily)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with Daemon(self.config) as d:
            code, body = curl(d.url("/api/v1/accounts"))
            self.assertEqual([a["account_ref"] for a in json.loads(body)["accounts"]], ["DP-000123"])
            self.assertEqual(d.stop()[0], 0)
        self.assertEqual(sql(self.db, "PRAGMA integrity_check"), "ok")


if __name__ == "__main__":
    harness.main()
