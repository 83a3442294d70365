"""Retention against the real binaries: an account closed more than [policy] retention_years ago is purged
with everything that names it (its rows, its archived statement, the rejected file and report quoting its
values, the messages about it in the maildir), a bulk statement and the plan file that also hold a live
account stay, the purge changes nothing in a dry run, and the canary text is gone from the database file
and its WAL. The clock is injected with --today."""

import glob
import json
import os
import subprocess

import harness
from harness import Daemon, daemon_config, TempStateTest, deliver, lloyds_rows, sql, wait_for

CANARY = "CANARYPAYEE QZX"
CLOSED = ("DP-000777", "30-91-77", "87654321")
LIVE = ("DP-000001", "30-91-01", "11112222")


def account(ref, sort, number, status, closed_on=None):
    a = {"account_ref": ref, "person_ref": "P-" + ref[-6:], "account_type": "dedicated_bank",
         "finance_officer": "officer@council.example", "status": status, "dp_start": "2025-01-06",
         "bank": {"sort_code": sort, "account_number": number}, "plans": []}
    if closed_on:
        a["closed_on"] = closed_on
    return a


class Retention(TempStateTest):
    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.state, "dpmon.db")
        self.drop = os.path.join(self.state, "drop")
        self.config = daemon_config(self.state, self.tmp, daemon="settle_seconds = 0\nrescan_seconds = 1",
                                    extra='[alerts]\nimmediate_flags = ["OVERDRAWN"]\ngroup_wait = "1s"\n')

    def dpmon(self, *args):
        return subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, text=True,
                              timeout=120)

    def files_holding(self, text):
        found = []
        for path in [self.db, self.db + "-wal"] + glob.glob(os.path.join(self.state, "archive", "**", "*"), recursive=True) \
                + glob.glob(os.path.join(self.state, "rejected", "*")) \
                + glob.glob(os.path.join(self.state, "maildir", "**", "*"), recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    if text.encode() in f.read():
                        found.append(os.path.relpath(path, self.state))
        return found

    def test_a_closed_account_past_retention_is_purged_with_its_files_and_the_canary_is_gone(self):
        ref, sort, number = CLOSED
        with Daemon(self.config) as d:
            deliver("accounts.json", json.dumps({"accounts": [account(*CLOSED, "closed", "2025-06-30"),
                                                              account(*LIVE, "active")]}),
                    os.path.join(self.drop, "plans"))
            d.wait_for_log("applied plan file accounts.json")
            statements = os.path.join(self.drop, "statements")
            # Its own statement, with the canary; it goes overdrawn, so a message about it is written.
            deliver("closed.csv", lloyds_rows(sort, number, [("02/06/2025", CANARY, 10000),
                                                             ("10/06/2025", "SHOP", -15000)]), statements)
            d.wait_for_log("imported closed.csv")
            # A bulk statement holding it and the live account (no canary): it stays while one remains.
            bulk = lloyds_rows(sort, number, [("20/06/2025", "BULK ROW", 100)]) + \
                lloyds_rows(LIVE[1], LIVE[2], [("20/06/2025", "BULK ROW", 100)]).split("\n", 1)[1]
            deliver("bulk.csv", bulk, statements)
            d.wait_for_log("imported bulk.csv")
            # A rejected file whose report quotes the canary.
            deliver("bad.csv", harness.LLOYDS_HEADER + f"03/06/2025,DEB,'{sort},{number},{CANARY},twelve,,1.00\n", statements)
            d.wait_for_log("rejected bad.csv")
            # Another message (the onboarding summary) may come first: wait for one that names the account.
            wait_for(lambda: [p for p in self.files_holding(ref) if p.startswith("maildir")], timeout=30,
                     what="a message naming the closed account in the maildir")
            self.assertEqual(d.stop()[0], 0)
        before = self.files_holding(CANARY) + self.files_holding(ref)
        self.assertTrue(any(p.startswith("archive") for p in before), before)
        self.assertTrue(any(p.startswith("rejected") for p in before), before)
        self.assertTrue(any(p.startswith("maildir") for p in before), before)

        # Not yet past seven years: nothing to purge.
        r = self.dpmon("purge", "--dry-run", "--today", "2032-06-29")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 account(s) closed on or before 2025-06-29 would be purged", r.stdout)
        # Past it, but its final audit is still to do: it waits.
        r = self.dpmon("purge", "--dry-run", "--today", "2032-07-01")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 account(s) closed on or before 2025-07-01 would be purged", r.stdout)
        self.assertIn("1 account(s) past the retention period wait for an open recovery or final audit", r.stdout)
        audit = sql(self.db, "SELECT v.id FROM reviews v JOIN accounts a ON a.id = v.account_id"
                             f" WHERE a.account_ref = '{ref}' AND v.kind = 'FINAL_AUDIT' AND v.state = 'scheduled'")
        r = self.dpmon("review", "complete", audit, "--on", "2025-08-15", "--by", "auditor",
                       "--outcome", "final audit done; nothing to recover")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.dpmon("purge", "--dry-run", "--today", "2032-07-01")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("1 account(s) closed on or before 2025-07-01 would be purged", r.stdout)
        self.assertIn(ref, r.stdout)
        self.assertEqual(sql(self.db, f"SELECT count(*) FROM accounts WHERE account_ref = '{ref}'"), "1")

        r = self.dpmon("purge", "--today", "2032-07-01")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("purged 1 account(s)", r.stdout)
        self.assertNotIn(CANARY, r.stdout + r.stderr)
        self.assertEqual(sql(self.db, f"SELECT count(*) FROM accounts WHERE account_ref = '{ref}'"), "0")
        self.assertEqual(sql(self.db, "SELECT count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id"
                                      f" WHERE a.account_ref = '{LIVE[0]}'"), "1")
        self.assertEqual(self.files_holding(CANARY), [])
        self.assertEqual([p for p in self.files_holding(ref) if not p.startswith("archive")], [])
        archived = [os.path.basename(p) for p in glob.glob(os.path.join(self.state, "archive", "**", "*"), recursive=True)
                    if os.path.isfile(p)]
        self.assertNotIn("closed.csv", archived)
        self.assertIn("bulk.csv", archived)        # the live account is in it too
        self.assertIn("accounts.json", archived)   # likewise the plan file
        self.assertFalse(os.path.exists(self.db + "-wal") and os.path.getsize(self.db + "-wal") > 0,
                         "the WAL was not emptied")
        self.assertEqual(sql(self.db, "PRAGMA integrity_check"), "ok")

        # Once the live account has closed and passed the period too, the bulk statement and plan file go.
        sql(self.db, f"UPDATE accounts SET status = 'closed', closed_on = '2026-01-31' WHERE account_ref = '{LIVE[0]}'")
        sql(self.db, "DELETE FROM reviews WHERE kind = 'FINAL_AUDIT'")  # none was scheduled: closed by hand here
        r = self.dpmon("purge", "--today", "2033-02-01")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("purged 1 account(s)", r.stdout)
        self.assertEqual(self.files_holding(ref), [])
        self.assertEqual([p for p in glob.glob(os.path.join(self.state, "archive", "**", "*"), recursive=True)
                          if os.path.isfile(p)], [])

    def test_an_account_with_an_open_recovery_waits(self):
        ref = CLOSED[0]
        with open(os.path.join(self.tmp, "plan.json"), "w") as f:
            f.write(json.dumps({"accounts": [account(*CLOSED, "closed", "2025-06-30")]}))
        r = self.dpmon("plans", "import", os.path.join(self.tmp, "plan.json"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        sql(self.db, "UPDATE reviews SET state = 'completed', completed_on = '2025-08-15' WHERE kind = 'FINAL_AUDIT'")
        sql(self.db, "INSERT INTO recoveries (account_id, state, amount_pence, computation, proposed_by, proposed_at)"
                     f" SELECT id, 'notified', 100, '{{}}', 'officer', '2025-07-01T00:00:00Z' FROM accounts WHERE account_ref = '{ref}'")
        r = self.dpmon("purge", "--today", "2033-01-01")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("purged 0 account(s)", r.stdout)
        self.assertIn("1 account(s) past the retention period wait for an open recovery or final audit", r.stdout)
        self.assertEqual(sql(self.db, f"SELECT count(*) FROM accounts WHERE account_ref = '{ref}'"), "1")
        sql(self.db, "UPDATE recoveries SET state = 'recovered'")
        r = self.dpmon("purge", "--today", "2033-01-01")
        self.assertIn("purged 1 account(s)", r.stdout)


if __name__ == "__main__":
    harness.main()
