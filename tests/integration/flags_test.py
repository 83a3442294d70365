"""Reconciliation through the real daemon: demo data dropped in gives flags; HTTP and the CLI show the same;
acknowledging needs the token, is refused twice, and survives a restart."""

import datetime
import json
import os
import subprocess

import harness
from harness import Daemon, TempStateTest, curl, wait_for, write_config


class Flags(TempStateTest):
    def setUp(self):
        super().setUp()
        self.token = "t0ken-for-tests-0123456789abcdef"
        self.config = harness.daemon_config(self.state, self.tmp, self.token)
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        r = subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", os.path.join(self.state, "drop"), "--accounts", "6",
                            "--months", "8", "--until", yesterday], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        # A named officer: what they change is recorded as theirs.
        r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "users", "add", "Asha Patel", "--email",
                            "asha.patel@council.example", "--role", "officer"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.officer_token = r.stdout.strip()
        self.assertRegex(self.officer_token, "^[0-9a-f]{64}$")

    def flags(self, d, query=""):
        code, body = curl(d.url("/api/v1/flags" + query))
        self.assertEqual(code, 200, body)
        return json.loads(body)["flags"]

    def post(self, d, path, body, *headers):
        args = ["-X", "POST", "-H", "Content-Type: application/json", "--data", json.dumps(body)]
        for h in headers:
            args += ["-H", h]
        return curl(d.url(path), *args, auth=False)

    def test_flags_are_raised_shown_alike_by_http_and_cli_and_acknowledged_with_the_token_across_a_restart(self):
        with Daemon(self.config) as d:
            wait_for(lambda: len(self.flags(d)) > 0, timeout=60, what="flags from the demo data")
            d.wait_for_log("reconciled")
            http_flags = self.flags(d, "?state=open")
            cli = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "flags", "--json"], capture_output=True,
                                 text=True, timeout=60)
            self.assertEqual(cli.returncode, 0, cli.stderr)
            cli_flags = json.loads(cli.stdout)["flags"]
            self.assertEqual(sorted((f["id"], f["code"], f["amount"]) for f in http_flags),
                             sorted((f["id"], f["code"], f["amount"]) for f in cli_flags))
            for f in http_flags:
                self.assertTrue(f["reason"])
                self.assertIn("rule", f["inputs"])

            # The account list and each account's own view agree on its balance.
            code, body = curl(d.url("/api/v1/accounts"))
            self.assertEqual(code, 200, body)
            accounts = json.loads(body)["accounts"]
            self.assertEqual(len(accounts), 6)
            for row in accounts:
                code, body = curl(d.url("/api/v1/accounts/" + row["account_ref"]))
                self.assertEqual(code, 200, body)
                detail = json.loads(body)
                self.assertRegex(detail["account_number"], r"^\*\*\*\*\d{4}$")
                self.assertEqual(detail["periods"][-1]["closing_balance"], row["balance"])
                for p in detail["periods"]:
                    spent = sum(float(c["actual"]) for c in p["spend"])
                    self.assertAlmostEqual(spent, float(p["actual_spend"]), places=2)
                self.assertEqual(sorted({f["code"] for f in detail["flags"] if f["state"] != "resolved"}),
                                 row["open_flags"])
            cli_accounts = json.loads(subprocess.run([harness.ARGS.dpmon, "--config", self.config, "accounts", "--json"],
                                                     capture_output=True, text=True, timeout=60).stdout)["accounts"]
            self.assertEqual({a["account_ref"]: (a["balance"], a["open_flags"], a["recoverable_surplus"]) for a in cli_accounts},
                             {a["account_ref"]: (a["balance"], a["open_flags"], a["recoverable_surplus"]) for a in accounts})
            one = accounts[0]["account_ref"]
            cli_one = json.loads(subprocess.run([harness.ARGS.dpmon, "--config", self.config, "account", one, "--json"],
                                                capture_output=True, text=True, timeout=60).stdout)
            http_one = json.loads(curl(d.url("/api/v1/accounts/" + one))[1])
            # The CLI prints the very document the API serves.
            self.assertEqual(cli_one, http_one)
            with_surplus = json.loads(curl(d.url("/api/v1/accounts?flag=SURPLUS"))[1])["accounts"]
            self.assertTrue(all("SURPLUS" in a["open_flags"] for a in with_surplus))
            self.assertEqual(curl(d.url("/api/v1/accounts/DP-999999"))[0], 404)

            target = http_flags[0]["id"]
            path = f"/api/v1/flags/{target}/acknowledge"
            note = {"by": "a.officer@council.example", "note": "PA vacancy; saving agreed"}
            self.assertEqual(self.post(d, path, note)[0], 401)
            self.assertEqual(self.post(d, path, note, "Authorization: Bearer wrong")[0], 401)
            self.assertEqual(self.post(d, path, note, f"Authorization: Bearer {self.token}",
                                       "Origin: http://attacker.example")[0], 403)
            self.assertEqual(self.post(d, path, {"by": "x"}, f"Authorization: Bearer {self.token}")[0], 422)
            code, body = self.post(d, path, note, f"Authorization: Bearer {self.officer_token}")
            self.assertEqual(code, 200, body)
            self.assertEqual(json.loads(body)["state"], "acknowledged")
            self.assertEqual(json.loads(body)["acknowledged"]["by"], "Asha Patel")  # the signed-in person, not the body's "by"
            code, body = self.post(d, path, note, f"Authorization: Bearer {self.token}")
            self.assertEqual(code, 409, body)
            self.assertEqual(json.loads(body)["error"]["code"], "conflict")
            self.assertEqual(self.post(d, "/api/v1/flags/999999/acknowledge", note, f"Authorization: Bearer {self.token}")[0], 404)

            # A plan through the API: token needed, checked like a plan file, applied and reconciled.
            account = {"person_ref": "P-1", "account_type": "dedicated_bank", "finance_officer": "o@council.example",
                       "dp_start": "2026-01-05", "bank": {"sort_code": "11-22-33", "account_number": "44556677"},
                       "plans": [{"effective_from": "2026-01-05", "weekly_budget": "300.00",
                                  "council_payment": {"amount": "1200.00", "every": "4w", "first": "2026-01-05", "payer": "COUNCIL DP"},
                                  "lines": [{"category": "pa_wages", "amount": "250.00", "per": "week", "payees": ["A CARER"]}]}]}
            put = lambda body, *h: curl(d.url("/api/v1/accounts/DP-009999"), "-X", "PUT", "-H", "Content-Type: application/json",
                                        "--data", json.dumps(body), *sum((["-H", x] for x in h), []), auth=False)
            self.assertEqual(put(account)[0], 401)
            self.assertEqual(put(account, f"Authorization: Bearer {self.officer_token}")[0], 403)  # plans are an admin's
            code, body = put(dict(account, dp_start="2026-02-30"), f"Authorization: Bearer {self.token}")
            self.assertEqual(code, 422, body)
            self.assertIn("field 'dp_start'", json.loads(body)["error"]["message"])
            code, body = put(account, f"Authorization: Bearer {self.token}")
            self.assertEqual(code, 200, body)
            code, body = curl(d.url("/api/v1/accounts/DP-009999"))
            self.assertEqual(code, 200, body)
            self.assertEqual(json.loads(body)["plan"]["weekly_budget"], "300.00")
            self.assertEqual(d.stop()[0], 0)

        with Daemon(self.config) as d:
            acked = [f for f in self.flags(d, "?state=acknowledged") if f["id"] == target]
            self.assertEqual(len(acked), 1)
            self.assertEqual(acked[0]["acknowledged"]["by"], "Asha Patel")
            self.assertEqual(d.stop()[0], 0)



class DemoData(TempStateTest):
    def test_the_demo_data_shows_every_reconciliation_flag(self):
        demo = os.path.join(self.tmp, "demo")
        run = lambda *a: subprocess.run([harness.ARGS.dpmon, *a], capture_output=True, text=True, timeout=120)
        self.assertEqual(run("demo-data", "--out", demo, "--until", "2026-11-28").returncode, 0)
        self.assertEqual(run("--config", self.config, "plans", "import", os.path.join(demo, "plans", "demo-accounts.json")).returncode, 0)
        statements = sorted(os.path.join(demo, "statements", n) for n in os.listdir(os.path.join(demo, "statements")))
        r = run("--config", self.config, "import", *statements)
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])
        r = run("--config", self.config, "reconcile", "--today", "2026-11-28")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        flags = json.loads(run("--config", self.config, "flags", "--json").stdout)["flags"]
        codes = {f["code"] for f in flags}
        for code in ("SURPLUS", "CONTRIBUTION_ARREARS", "OVERSPEND", "UNDERSPEND", "OVERDRAWN", "PROJECTED_SHORTFALL",
                     "COUNCIL_PAYMENT_MISSING", "STATEMENT_OVERDUE", "STATEMENT_GAP", "BALANCE_MISMATCH"):
            self.assertIn(code, codes)
        # Reconciling again changes nothing.
        r = run("--config", self.config, "reconcile", "--today", "2026-11-28")
        self.assertIn("0 flag(s) raised, 0 resolved, 0 transaction(s) recategorised, in ", r.stdout)

        # The order does not matter: the statements delivered last month first, each listing its rows newest
        # first (as most UK bank exports do), give the same flags and balances.
        other = write_config(os.path.join(self.tmp, "other-state"), path=os.path.join(self.tmp, "other.toml"))
        self.assertEqual(run("--config", other, "plans", "import", os.path.join(demo, "plans", "demo-accounts.json")).returncode, 0)
        flipped_dir = os.path.join(self.tmp, "newest-first")
        os.makedirs(flipped_dir)
        flipped = []
        for path in reversed(statements):
            with open(path) as f:
                lines = f.read().splitlines(True)
            target = os.path.join(flipped_dir, os.path.basename(path))
            with open(target, "w") as f:
                f.write(lines[0] + "".join(reversed(lines[1:])))
            flipped.append(target)
        r = run("--config", other, "import", *flipped)
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])
        self.assertEqual(run("--config", other, "reconcile", "--today", "2026-11-28").returncode, 0)
        again = json.loads(run("--config", other, "flags", "--json").stdout)["flags"]
        key = lambda fs: sorted((f["account_ref"], f["code"], f["amount"], f["period"]["first"]) for f in fs)
        self.assertEqual(key(again), key(flags))
        balances = lambda cfg: json.loads(run("--config", cfg, "accounts", "--json").stdout)["accounts"]
        self.assertEqual(balances(other), balances(self.config))


if __name__ == "__main__":
    harness.main()
