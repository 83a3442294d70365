"""The API as a caseload uses it, through the real daemon, a real SQLite file and real HTTP: flags walked in
pages of 7 come each exactly once while new flags are being raised; a reader reads but cannot write, and a
person removed from the users file is refused after a reload (SIGHUP); an account's transactions stream as
chunked CSV holding every row the pages hold; /healthz needs no token and /api/v1 always does."""

import datetime
import json
import os
import signal
import subprocess
import threading
import time

import harness
from harness import Daemon, TempStateTest, curl, wait_for

OFFICER = "o@council.example"


class Api(TempStateTest):
    def setUp(self):
        super().setUp()
        self.config = harness.daemon_config(self.state, self.tmp)
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        r = subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", os.path.join(self.state, "drop"), "--accounts", "12",
                            "--months", "12", "--until", yesterday], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.tokens = {role: self.add_user(f"A {role}", role) for role in ("read", "officer")}

    def add_user(self, name, role):
        r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "users", "add", name, "--email",
                            f"{role}@council.example", "--role", role], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def get(self, d, path, token=None):
        args = ["-H", f"Authorization: Bearer {token}"] if token else []
        code, body = curl(d.url(path), *args)
        self.assertEqual(code, 200, body)
        return json.loads(body)

    def walk(self, d, path, items, limit, between=lambda: None):
        """Every page of a list; returns the items and the number of pages."""
        out, pages, cursor = [], 0, ""
        while True:
            page = self.get(d, f"{path}{'&' if '?' in path else '?'}limit={limit}{cursor}")
            out += page[items]
            pages += 1
            if page["next"] is None:
                return out, pages
            cursor = "&cursor=" + page["next"]
            between()

    def started(self, d):
        wait_for(lambda: len(self.get(d, "/api/v1/flags")["flags"]) > 0, timeout=60, what="flags from the demo data")
        d.wait_for_log("reconciled")

    def test_flags_paged_by_seven_come_each_once_while_new_flags_are_raised(self):
        with Daemon(self.config) as d:
            self.started(d)
            before, _ = self.walk(d, "/api/v1/flags", "flags", 1000)
            self.assertGreater(len(before), 14)
            stop = threading.Event()
            raised = []

            def raise_flags():
                # New accounts whose payments never came: reconciled as they are put, each raises flags.
                n = 0
                while not stop.is_set():
                    n += 1
                    ref = f"DP-0090{n:02d}"
                    account = {"person_ref": f"P-90{n}", "account_type": "dedicated_bank", "finance_officer": OFFICER,
                               "dp_start": "2025-01-06", "bank": {"sort_code": "40-11-22", "account_number": f"7700{n:04d}"},
                               "plans": [{"effective_from": "2025-01-06", "weekly_budget": "300.00",
                                          "council_payment": {"amount": "1200.00", "every": "4w", "first": "2025-01-06",
                                                              "payer": "COUNCIL DP"},
                                          "lines": [{"category": "pa_wages", "amount": "250.00", "per": "week"}]}]}
                    code, body = curl(d.url(f"/api/v1/accounts/{ref}"), "-X", "PUT", "-H", "Content-Type: application/json",
                                      "--data", json.dumps(account))
                    raised.append((code, body))
                    time.sleep(0.05)

            worker = threading.Thread(target=raise_flags)
            worker.start()
            try:
                walked, pages = self.walk(d, "/api/v1/flags", "flags", 7, between=lambda: time.sleep(0.05))
            finally:
                stop.set()
                worker.join(timeout=30)
            self.assertTrue(raised and all(code == 200 for code, _ in raised), raised[:3])
            after, _ = self.walk(d, "/api/v1/flags", "flags", 1000)
            self.assertGreater(len(after), len(before), "new flags were raised during the walk")
            ids = [f["id"] for f in walked]
            self.assertEqual(len(ids), len(set(ids)), "a flag came twice")
            self.assertLessEqual({f["id"] for f in before}, set(ids), "a flag present all along was missed")
            self.assertGreaterEqual(pages, len(before) // 7)
            self.assertEqual(ids, sorted(ids, reverse=True))  # newest first, by id

    def test_a_reader_reads_but_cannot_write_and_a_removed_person_is_refused_after_a_reload(self):
        with Daemon(self.config) as d:
            self.started(d)
            flags = self.get(d, "/api/v1/flags?state=open", self.tokens["read"])["flags"]
            path = f"/api/v1/flags/{flags[0]['id']}/acknowledge"
            body = ["-X", "POST", "-H", "Content-Type: application/json", "--data", json.dumps({"note": "checked"})]
            code, text = curl(d.url(path), *body, "-H", f"Authorization: Bearer {self.tokens['read']}")
            self.assertEqual(code, 403, text)
            self.assertIn("needs officer", json.loads(text)["error"]["message"])
            code, text = curl(d.url("/api/v1/flags"), auth=False)
            self.assertEqual(code, 401)
            self.assertIn("Authorization: Bearer", json.loads(text)["error"]["message"])
            code, text = curl(d.url(path), *body, "-H", f"Authorization: Bearer {self.tokens['officer']}")
            self.assertEqual(code, 200, text)
            self.assertEqual(json.loads(text)["acknowledged"]["by"], "A officer")
            code, text = curl(d.url("/healthz"), auth=False)
            self.assertEqual(code, 200, text)

            r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "users", "remove", "A read"],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            d.signal(signal.SIGHUP)
            d.wait_for_log("config reloaded")
            code, _ = curl(d.url("/api/v1/flags"), "-H", f"Authorization: Bearer {self.tokens['read']}")
            self.assertEqual(code, 401)
            self.assertNotIn(self.tokens["officer"], d.log())  # no token in the log
            self.assertEqual(d.stop()[0], 0)

    def test_transactions_stream_as_chunked_csv_with_every_row_the_pages_hold(self):
        with Daemon(self.config) as d:
            self.started(d)
            ref = self.get(d, "/api/v1/accounts?limit=1")["accounts"][0]["account_ref"]
            path = f"/api/v1/accounts/{ref}/transactions"
            # The demo's statements end yesterday, so how many rows an account holds depends on the day:
            # a limit of a third of them makes at least three pages whatever the day.
            whole = self.get(d, f"{path}?limit=1000")["transactions"]
            self.assertGreater(len(whole), 6)
            rows, pages = self.walk(d, path, "transactions", len(whole) // 3)
            self.assertGreaterEqual(pages, 3)
            self.assertEqual(rows, whole)
            out = subprocess.run(["curl", "-sS", "-D", "-", "--max-time", "20", "-H", f"Authorization: Bearer {harness.CURRENT_TOKEN}",
                                  d.url(f"/api/v1/accounts/{ref}/transactions?format=csv")],
                                 capture_output=True, timeout=30)
            head, _, csv = out.stdout.decode().partition("\r\n\r\n")
            self.assertIn("200 OK", head)
            self.assertIn("transfer-encoding: chunked", head.lower())
            self.assertIn("cache-control: no-store", head.lower())
            lines = csv.rstrip("\r\n").split("\r\n")
            self.assertEqual(lines[0], "date,amount,description,reference,balance,category,rule,file,line")
            self.assertEqual(len(lines) - 1, len(rows))
            self.assertEqual([l.split(",")[0] for l in lines[1:]], [t["date"] for t in rows])


if __name__ == "__main__":
    harness.main()
