"""Statement import against the real binaries: the drop folder, overlapping statements, rejection, refusals,
a storm of files, a lost inotify event, and kill -9 in the middle of a large import."""

import json
import os
import random
import signal
import socket
import subprocess
import time

import harness
from harness import Daemon, TempStateTest, curl, deliver, lloyds_rows, plan_json, sql, wait_for, write_config

SORT, NUMBER = "30-91-23", "12345678"


class ImportTest(TempStateTest):
    def setUp(self):
        super().setUp()
        self.drop = os.path.join(self.state, "drop")
        self.db = os.path.join(self.state, "dpmon.db")

    def config_with(self, **daemon_keys):
        extra = "".join(f"{k} = {v}\n" for k, v in daemon_keys.items())
        path = write_config(self.state)
        with open(path) as f:
            text = f.read().replace('log_level = "debug"\n', 'log_level = "debug"\n' + extra)
        with open(path, "w") as f:
            f.write(text)
        return path

    def dpmon(self, *args):
        return subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, text=True,
                              timeout=300)

    def add_accounts(self, accounts):
        plan = os.path.join(self.tmp, "plan.json")
        with open(plan, "w") as f:
            f.write(plan_json(accounts))
        r = self.dpmon("plans", "import", plan)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def count(self, where="1=1"):
        return int(sql(self.db, f"SELECT count(*) FROM transactions WHERE {where}"))


class DropFolder(ImportTest):
    def test_plans_and_statements_dropped_in_are_imported_once_archived_and_shown_by_the_api(self):
        self.config = self.config_with(settle_seconds=0, rescan_seconds=1)
        with Daemon(self.config) as d:
            deliver("accounts.json", plan_json([("DP-000123", SORT, NUMBER)]), os.path.join(self.drop, "plans"))
            wait_for(lambda: sql(self.db, "SELECT count(*) FROM accounts") == "1", what="the plan file")
            text = lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000), ("07/01/2026", "J BLOGGS WAGES", -25000)])
            deliver("jan.csv", text, os.path.join(self.drop, "statements"))
            wait_for(lambda: self.count() == 2, what="the statement")
            archive = os.path.join(self.state, "archive")
            wait_for(lambda: any("jan.csv" in files for _, _, files in os.walk(archive)), what="archiving")
            self.assertFalse(os.path.exists(os.path.join(self.drop, "statements", "jan.csv")))

            code, body = curl(d.url("/api/v1/imports?status=imported"))
            self.assertEqual(code, 200)
            imports = json.loads(body)["imports"]
            self.assertEqual(len(imports), 1)
            self.assertEqual((imports[0]["file_name"], imports[0]["profile"], imports[0]["accounts"], imports[0]["rows"]),
                             ("jan.csv", "lloyds", ["DP-000123"], 2))
            code, body = curl(d.url("/api/v1/accounts/DP-000123/transactions?from=2026-01-06"))
            self.assertEqual(code, 200)
            txns = json.loads(body)["transactions"]
            self.assertEqual([(t["date"], t["amount"], t["balance"]) for t in txns], [("2026-01-07", "-250.00", "970.00")])
            self.assertEqual(curl(d.url("/api/v1/accounts/DP-999999/transactions"))[0], 404)
            self.assertEqual(curl(d.url("/api/v1/accounts/DP-000123/transactions?from=2026-13-01"))[0], 400)

            # The same bytes again, under another name: recognised by SHA-256, archived as a duplicate.
            deliver("jan-again.csv", text, os.path.join(self.drop, "statements"))
            wait_for(lambda: not os.path.exists(os.path.join(self.drop, "statements", "jan-again.csv")), what="the duplicate")
            self.assertEqual(self.count(), 2)
            dup = json.loads(curl(d.url("/api/v1/imports?status=duplicate"))[1])["imports"]
            self.assertEqual([i["file_name"] for i in dup], ["jan-again.csv"])
            self.assertEqual(d.stop()[0], 0)

    def test_a_malformed_file_is_rejected_whole_with_its_error_file_and_the_next_file_is_imported(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        self.config = self.config_with(settle_seconds=0, rescan_seconds=1)
        with Daemon(self.config) as d:
            bad = lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000), ("06/01/2026", "SHOP", -500)])
            bad = bad.replace(",5.00,", ",5.0O,")  # a letter O in an amount, on line 3
            deliver("bad.csv", bad, os.path.join(self.drop, "statements"))
            rejected = os.path.join(self.state, "rejected")
            wait_for(lambda: os.path.exists(os.path.join(rejected, "bad.csv.error.txt")), what="the rejection")
            self.assertTrue(os.path.exists(os.path.join(rejected, "bad.csv")))
            with open(os.path.join(rejected, "bad.csv.error.txt")) as f:
                report = f.read()
            self.assertIn("bad.csv:3:6: field 'Debit Amount': '5.0O' is not an amount: unexpected character 'O'", report)
            self.assertEqual(self.count(), 0)  # not even the good first row

            deliver("good.csv", lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000)]),
                    os.path.join(self.drop, "statements"))
            wait_for(lambda: self.count() == 1, what="the next file")
            self.assertEqual(curl(d.url("/healthz"))[0], 200)
            self.assertEqual(d.stop()[0], 0)

    def test_links_fifos_folders_hard_links_and_oversized_files_are_refused_and_partial_names_left_alone(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        self.config = self.config_with(settle_seconds=0, rescan_seconds=1, max_file_bytes=2048)
        statements = os.path.join(self.drop, "statements")
        os.makedirs(statements, exist_ok=True)
        outside = self.write("outside.csv", lloyds_rows(SORT, NUMBER, [("05/01/2026", "X", 100)]))
        os.symlink(outside, os.path.join(statements, "link.csv"))
        os.mkfifo(os.path.join(statements, "pipe.csv"))
        os.mkdir(os.path.join(statements, "folder.csv"))
        linked = os.path.join(statements, "linked.csv")
        with open(linked, "w") as f:
            f.write(lloyds_rows(SORT, NUMBER, [("06/01/2026", "Y", 100)]))
        os.link(linked, os.path.join(self.tmp, "other-name.csv"))
        with open(os.path.join(statements, "huge.csv"), "w") as f:
            f.write(lloyds_rows(SORT, NUMBER, [("07/01/2026", "Z" * 50, 100)] * 40))
        for name in (".hidden.csv", "upload.csv.part", "upload.csv.tmp"):
            with open(os.path.join(statements, name), "w") as f:
                f.write(lloyds_rows(SORT, NUMBER, [("08/01/2026", "W", 100)]))
        with Daemon(self.config):
            rejected = os.path.join(self.state, "rejected")
            reasons = {"link.csv": "symbolic links are refused", "pipe.csv": "FIFOs (named pipes) are refused",
                       "folder.csv": "folders are refused", "linked.csv": "hard-linked files are refused",
                       "huge.csv": "over the limit of 2048"}
            for name, reason in reasons.items():
                wait_for(lambda: os.path.exists(os.path.join(rejected, name + ".error.txt")), what=name)
                with open(os.path.join(rejected, name + ".error.txt")) as f:
                    self.assertIn(reason, f.read())
            time.sleep(1.5)  # a rescan or two
            self.assertEqual(sorted(os.listdir(statements)), [".hidden.csv", "upload.csv.part", "upload.csv.tmp"])
            self.assertEqual(self.count(), 0)
            self.assertTrue(os.path.exists(outside))  # the link's target is untouched

    def test_a_file_still_being_written_waits_until_its_writer_closes_it(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        self.config = self.config_with(settle_seconds=2, rescan_seconds=60)
        with Daemon(self.config):
            statements = os.path.join(self.drop, "statements")
            text = lloyds_rows(SORT, NUMBER, [("05/01/2026", "X", 100), ("06/01/2026", "Y", 200)])
            with open(os.path.join(statements, "jan.csv"), "w") as f:
                f.write(text[:len(text) // 2])
                f.flush()
                time.sleep(1.0)
                self.assertEqual(self.count(), 0)
                f.write(text[len(text) // 2:])
            wait_for(lambda: self.count() == 2, timeout=10, what="the closed file")

    def test_files_present_at_start_and_a_lost_inotify_event_are_still_imported_by_the_scans(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        self.config = self.config_with(settle_seconds=0, rescan_seconds=1)
        statements = os.path.join(self.drop, "statements")
        os.makedirs(statements, exist_ok=True)
        deliver("before-start.csv", lloyds_rows(SORT, NUMBER, [("05/01/2026", "X", 100)]), statements)
        with Daemon(self.config, env={"DPMON_TEST_NO_INOTIFY": "1"}) as d:
            wait_for(lambda: self.count() == 1, what="the start-up scan")
            deliver("unannounced.csv", lloyds_rows(SORT, NUMBER, [("06/01/2026", "Y", 200)]), statements)
            wait_for(lambda: self.count() == 2, timeout=10, what="the periodic rescan")
            self.assertIn("inotify disabled", d.log())

    def test_a_storm_of_1000_files_imports_every_row_once(self):
        accounts = [(f"DP-{i:06d}", "30-91-%02d" % (i % 100), "%08d" % (20000000 + i)) for i in range(1, 51)]
        self.add_accounts(accounts)
        self.config = self.config_with(settle_seconds=0, rescan_seconds=5)
        staging = os.path.join(self.tmp, "staging")
        os.makedirs(staging)
        for n in range(1000):
            ref, sort, number = accounts[n % 50]
            day = 1 + n // 50  # each account gets one file a day for 20 days
            rows = [(f"{day:02d}/03/2026", f"ITEM {n} {k}", -(100 + k)) for k in range(3)]
            with open(os.path.join(staging, f"s{n:04d}.csv"), "w") as f:
                f.write(lloyds_rows(sort, number, rows))
        with Daemon(self.config) as d:
            statements = os.path.join(self.drop, "statements")
            for name in sorted(os.listdir(staging)):
                os.rename(os.path.join(staging, name), os.path.join(statements, name))
            wait_for(lambda: sql(self.db, "SELECT count(*) FROM imports WHERE status = 'imported'") == "1000",
                     timeout=240, interval=0.5, what="1000 imports")
            self.assertEqual(self.count(), 3000)
            self.assertEqual(sql(self.db, "SELECT count(DISTINCT fingerprint || account_id) FROM transactions"), "3000")
            wait_for(lambda: os.listdir(statements) == [], timeout=30, what="archiving")
            self.assertEqual(d.stop()[0], 0)


class OverlappingStatements(ImportTest):
    def test_the_same_month_twice_and_a_week_of_overlap_give_each_transaction_once_and_twins_stay_two(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        january = [("05/01/2026", "COUNCIL DP", 122000), ("10/01/2026", "CORNER SHOP", -1000),
                   ("10/01/2026", "CORNER SHOP", -1000),  # two genuine identical payments
                   ("24/01/2026", "J BLOGGS WAGES", -25000), ("28/01/2026", "HMRC PAYE", -8640)]
        first = self.write("jan.csv", lloyds_rows(SORT, NUMBER, january))
        r = self.dpmon("import", first)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("imported 5 rows (5 new, 0 already held) for DP-000123 with profile lloyds", r.stdout)

        # The same month exported again: other bytes (newest first), the same transactions.
        lines = lloyds_rows(SORT, NUMBER, january).splitlines(True)
        again = self.write("jan-export-2.csv", lines[0] + "".join(reversed(lines[1:])))
        r = self.dpmon("import", again)
        self.assertIn("imported 5 rows (0 new, 5 already held)", r.stdout)

        # A statement that overlaps the last week of January.
        feb = january[3:] + [("02/02/2026", "COUNCIL DP", 122000), ("03/02/2026", "CORNER SHOP", -1000)]
        opening = sum(p for _, _, p in january[:3])
        r = self.dpmon("import", self.write("late-jan-feb.csv", lloyds_rows(SORT, NUMBER, feb, opening=opening)))
        self.assertIn("imported 4 rows (2 new, 2 already held)", r.stdout)

        self.assertEqual(self.count(), 7)
        self.assertEqual(self.count("description = 'CORNER SHOP' AND posted_on = '2026-01-10'"), 2)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM import_findings"), "0")

    def test_a_broken_running_balance_is_kept_as_a_balance_mismatch_finding(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        text = lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000), ("06/01/2026", "SHOP", -1000),
                                          ("07/01/2026", "SHOP", -2000)])
        text = text.replace(",1190.00\n", ",1180.00\n")  # the last balance is 10.00 short
        r = self.dpmon("import", self.write("broken.csv", text))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("1 running-balance break(s) recorded", r.stdout)
        self.assertEqual(sql(self.db, "SELECT kind, source_line, expected_pence, actual_pence FROM import_findings"),
                         "BALANCE_MISMATCH|4|119000|118000")

    def test_a_dry_run_reports_profile_rows_and_duplicates_and_writes_nothing(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        path = self.write("jan.csv", lloyds_rows(SORT, NUMBER, [("05/01/2026", "COUNCIL DP", 122000)]))
        r = self.dpmon("import", "--dry-run", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("would import 1 rows (1 new, 0 already held) for DP-000123 with profile lloyds", r.stdout)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM imports"), "0")
        self.dpmon("import", path)
        r = self.dpmon("import", "--dry-run", path)
        self.assertIn("already imported", r.stdout)
        unknown = self.write("stranger.csv", lloyds_rows("11-22-33", "99990000", [("05/01/2026", "X", 1)]))
        r = self.dpmon("import", "--dry-run", unknown)
        self.assertEqual(r.returncode, 1)
        self.assertIn("stranger.csv: no DP account has sort code 11-22-33 account ****0000", r.stdout)


class PlanCsv(ImportTest):
    def test_a_plan_in_the_csv_form_is_applied_and_a_wrong_one_rejected_with_line_and_field(self):
        head = ("account_ref,person_ref,account_type,finance_officer,dp_start,sort_code,account_number,effective_from,"
                "weekly_budget,council_payment_amount,council_payment_first,council_payment_payer,line_category,line_amount,"
                "line_per,line_payees\n")
        good = self.write("plans.csv", head + "DP-000777,P-7,dedicated_bank,o@council.example,2026-01-05,30-91-23,12345678,"
                                              "2026-01-05,300.00,1200.00,2026-01-05,COUNCIL DP,pa_wages,250.00,week,A CARER\n")
        r = self.dpmon("plans", "import", good)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(sql(self.db, "SELECT account_ref FROM accounts"), "DP-000777")
        bad = self.write("bad-plans.csv", head + "DP-000778,P-8,dedicated_bank,o@council.example,2026-01-05,30-91-23,"
                                                 "12345679,2026-01-05,300.00,1200.00,2026-01-05,COUNCIL DP,beer,5.00,week,PUB\n")
        r = self.dpmon("plans", "import", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("field 'plans[0].lines[0].category': 'beer' is not a category", r.stdout)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM accounts"), "1")


class BulkFiles(ImportTest):
    FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "statements")

    def card_accounts(self, cards):
        plan = {"accounts": [{"account_ref": f"DP-2000{i}", "person_ref": f"P-{i}", "account_type": "prepaid_card",
                              "finance_officer": "officer@council.example", "dp_start": "2026-01-01",
                              "bank": {"card_id": card}} for i, card in enumerate(cards)]}
        path = self.write("cards.json", json.dumps(plan))
        r = self.dpmon("plans", "import", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_a_bulk_file_is_split_across_card_accounts(self):
        self.card_accounts(["5301000011112222", "5301000033334444"])
        r = self.dpmon("import", os.path.join(self.FIXTURES, "prepaid-bulk.csv"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("imported 3 rows (3 new, 0 already held) for DP-20000, DP-20001 with profile prepaid-bulk", r.stdout)
        self.assertEqual(sql(self.db, "SELECT a.account_ref, count(*) FROM transactions t JOIN accounts a ON a.id = "
                                      "t.account_id GROUP BY 1 ORDER BY 1"), "DP-20000|2\nDP-20001|1")

    def test_a_bulk_file_with_an_unknown_card_is_rejected_whole_with_the_list(self):
        self.card_accounts(["5301000011112222"])
        r = self.dpmon("import", os.path.join(self.FIXTURES, "prepaid-bulk.csv"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("prepaid-bulk.csv: no DP account has card or sub-account ****4444", r.stdout)
        self.assertNotIn("5301000033334444", r.stdout)  # masked
        self.assertEqual(self.count(), 0)


class KillDuringImport(ImportTest):
    def test_kill_9_at_random_moments_during_a_large_import_imports_it_exactly_once(self):
        self.add_accounts([("DP-000123", SORT, NUMBER)])
        self.config = self.config_with(settle_seconds=0, rescan_seconds=1)
        rows = 300_000
        big = os.path.join(self.tmp, "big.csv")
        with open(big, "w") as f:
            f.write(harness.LLOYDS_HEADER)
            balance = 0
            for i in range(rows):
                day = 1 + (i * 28) // rows
                balance += 1
                f.write(f"{day:02d}/02/2026,FPI,'{SORT},{NUMBER},PAYMENT {i},,0.01,{balance // 100}.{balance % 100:02d}\n")
        statements = os.path.join(self.drop, "statements")
        os.makedirs(statements, exist_ok=True)
        rng = random.Random(20261129)
        # How long one import takes here (into a scratch database), to aim the kills inside it.
        scratch_state = os.path.join(self.tmp, "scratch")
        scratch = write_config(scratch_state, path=os.path.join(self.tmp, "scratch.toml"))
        plan = self.write("plan.json", plan_json([("DP-000123", SORT, NUMBER)]))
        subprocess.run([harness.ARGS.dpmon, "--config", scratch, "plans", "import", plan], check=True,
                       capture_output=True, timeout=60)
        start = time.monotonic()
        r = subprocess.run([harness.ARGS.dpmon, "--config", scratch, "import", big], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        duration = max(time.monotonic() - start, 0.3)

        os.link(big, os.path.join(self.tmp, "keep.csv"))  # our copy; the daemon must see a single link
        os.unlink(big)
        with open(os.path.join(self.tmp, "keep.csv"), "rb") as src, open(os.path.join(statements, "big.csv"), "wb") as dst:
            dst.write(src.read())
        kills = before_commit = 0
        for _ in range(12):
            # Timed from the spawn: the worker starts importing before the HTTP server is up.
            proc = subprocess.Popen([harness.ARGS.dpmond, "--config", self.config], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            # Within the first half of an import's time: once one kill lands after the commit, every later
            # one finds the file imported, so aiming late made the count depend on the machine's speed.
            time.sleep(rng.uniform(0.02, 0.5) * duration)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            kills += 1
            imported = int(sql(self.db, "SELECT count(*) FROM transactions"))
            self.assertIn(imported, (0, rows), "a partial import is visible after kill -9")
            before_commit += imported == 0
        self.assertGreaterEqual(kills, 10)
        # Most kills must land before the commit, or the test would not be testing a crash mid-import.
        self.assertGreaterEqual(before_commit, 10, f"only {before_commit} of {kills} kills came before the commit")
        print(f"kill -9: {kills} kills, {before_commit} before the commit; one import takes about {duration:.2f} s")
        with Daemon(self.config) as d:
            wait_for(lambda: not os.path.exists(os.path.join(statements, "big.csv")), timeout=120, interval=0.2,
                     what="the import after the kills")
            self.assertEqual(d.stop()[0], 0)
        self.assertEqual(self.count(), rows)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM imports WHERE status = 'imported'"), "1")
        self.assertEqual(sql(self.db, "PRAGMA integrity_check"), "ok")


if __name__ == "__main__":
    harness.main()
