"""Faults against the real binaries: another process holding the database's write lock for 30 s while a
statement arrives, and SIGTERM in the middle of a large import. (A full disk, kill -9 during an import and a
damaged database restored from the daily backup are in defects_test, import_test and backup_test.)"""

import os
import sqlite3
import subprocess
import threading
import time

import harness
from harness import Daemon, daemon_config, TempStateTest, curl, deliver, lloyds_rows, plan_json, sql, wait_for

SORT, NUMBER = "30-91-23", "12345678"


class FaultTest(TempStateTest):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.state, "dpmon.db")
        self.statements = os.path.join(self.state, "drop", "statements")
        self.config = daemon_config(self.state, self.tmp, daemon="settle_seconds = 0\nrescan_seconds = 1")
        plan = os.path.join(self.tmp, "plan.json")
        with open(plan, "w") as f:
            f.write(plan_json([("DP-000123", SORT, NUMBER)]))
        subprocess.run([harness.ARGS.dpmon, "--config", self.config, "plans", "import", plan], check=True,
                       capture_output=True, timeout=60)

    def count(self):
        return int(sql(self.db, "SELECT count(*) FROM transactions"))

    def big(self, rows):
        text = [harness.LLOYDS_HEADER]
        balance = 0
        for i in range(rows):
            balance += 1
            text.append(f"{1 + (i * 28) // rows:02d}/02/2026,FPI,'{SORT},{NUMBER},PAYMENT {i},,0.01,"
                        f"{balance // 100}.{balance % 100:02d}\n")
        return "".join(text)


class HeldLock(FaultTest):
    def test_a_write_lock_held_30_s_by_another_process_delays_the_import_which_then_completes_once(self):
        with Daemon(self.config) as d:
            d.wait_for_log("reconciled", timeout=30)
            holder = sqlite3.connect(self.db, timeout=30, isolation_level=None, check_same_thread=False)
            holder.execute("BEGIN IMMEDIATE")
            released = threading.Event()

            def release_after(seconds):
                time.sleep(seconds)
                holder.execute("ROLLBACK")
                holder.close()
                released.set()

            t = threading.Thread(target=release_after, args=(30,))
            t.start()
            try:
                deliver("jan.csv", lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000),
                                                              ("09/01/2026", "PA WAGES", -25000)]), self.statements)
                time.sleep(12)  # past two busy timeouts: the import has failed at least once and waits
                code, body = curl(d.url("/healthz"), auth=False)
                self.assertEqual(code, 200, body)
                self.assertTrue(os.path.exists(os.path.join(self.statements, "jan.csv")), "the file was lost")
                self.assertIsNone(d.proc.poll(), "dpmond stopped:\n" + d.log())
            finally:
                t.join(timeout=40)
            self.assertTrue(released.is_set())
            wait_for(lambda: not os.path.exists(os.path.join(self.statements, "jan.csv")), timeout=330, interval=0.5,
                     what="the import after the lock was released")
            d.wait_for_log("imported jan.csv", timeout=30)
            self.assertEqual(d.stop()[0], 0)
        self.assertEqual(self.count(), 2)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM imports WHERE status = 'imported'"), "1")


class TermDuringImport(FaultTest):
    def test_sigterm_in_the_middle_of_a_large_import_stops_within_5_s_and_the_file_is_imported_once_after(self):
        rows = 400_000
        os.makedirs(self.statements, exist_ok=True)
        text = self.big(rows)
        with Daemon(self.config) as d:
            d.wait_for_log("reconciled", timeout=30)
            deliver("big.csv", text, self.statements)
            time.sleep(0.5)  # inside the import (it takes seconds)
            self.assertFalse(any("imported big.csv" in l for l in d.lines), "the import ended before SIGTERM")
            code, took = d.stop(timeout=10)
            self.assertEqual(code, 0, d.log())
            self.assertLess(took, 5.0)
        self.assertEqual(self.count(), 0, "a partial import is visible after SIGTERM")
        self.assertTrue(os.path.exists(os.path.join(self.statements, "big.csv")))
        with Daemon(self.config) as d:
            d.wait_for_log("imported big.csv", timeout=240)
            self.assertEqual(d.stop()[0], 0)
        self.assertEqual(self.count(), rows)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM imports WHERE status = 'imported'"), "1")
        print(f"SIGTERM mid-import: stopped in {took:.2f} s")


if __name__ == "__main__":
    harness.main()
