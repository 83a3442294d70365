"""Surplus exemptions and recovery, audit packs and the caseload summary through the real daemon on demo
data: the legal order of recovery states (409s), the notice's content (amount, date, reference; no name or
full account number), the audit pack agreeing with the account view, the summary agreeing with the lists."""

import csv
import datetime
import io
import json
import os
import subprocess

import harness
from harness import Daemon, TempStateTest, curl, wait_for, write_config


def pounds(decimal_text):
    """The API's "1212.04" as notices print it: "£1,212.04" ("-£176.00" when negative)."""
    from decimal import Decimal
    value = Decimal(decimal_text)
    return ("-" if value < 0 else "") + f"\u00a3{abs(value):,.2f}"


class Surplus(harness.ApiTest):
    def setUp(self):
        super().setUp()
        self.token = "t0ken-for-surplus-0123456789abcdef"
        self.config = harness.daemon_config(self.state, self.tmp, self.token)
        self.today = datetime.date.today()
        yesterday = (self.today - datetime.timedelta(days=1)).isoformat()
        drop = os.path.join(self.state, "drop")
        r = subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", drop, "--until", yesterday], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(drop, "plans", "demo-accounts.json")) as f:
            self.plans = {a["account_ref"]: a for a in json.load(f)["accounts"]}

    def secrets_of(self, ref):
        """What must never appear in a notice: names (payees, payers) and full bank details."""
        a = self.plans[ref]
        out = [a["bank"].get("account_number", ""), a["bank"].get("sort_code", ""), a["bank"].get("card_id", "")]
        for v in a["plans"]:
            out.append(v.get("contribution_payer", ""))
            for line in v["lines"]:
                out += line.get("payees", [])
        organisations = ("HMRC", "CAREPAY", "EMPLOYERS LIABILITY", "MOBILITY AIDS")
        return [s for s in out if s and len(s) > 3 and s not in organisations]

    def test_recovery_moves_in_legal_order_only_and_its_notice_names_amount_date_and_reference_only(self):
        with Daemon(self.config) as d:
            wait_for(lambda: self.get(d, "/api/v1/accounts?flag=SURPLUS")["accounts"], timeout=60, what="a surplus")
            d.wait_for_log("reconciled")
            row = self.get(d, "/api/v1/accounts?flag=SURPLUS")["accounts"][0]
            ref = row["account_ref"]
            base = f"/api/v1/accounts/{ref}/recoveries"
            self.assertEqual(self.post(d, base, {"by": "x@council.example"}, token=False)[0], 401)
            code, rec = self.post(d, base, {"by": "a.officer@council.example", "liabilities": "10.00", "note": "annual audit"})
            self.assertEqual(code, 201, rec)
            self.assertEqual(rec["state"], "proposed")
            recoverable = float(rec["computation"]["recoverable"])
            self.assertAlmostEqual(recoverable, float(row["recoverable_surplus"]) - 10.0, places=2)
            self.assertEqual(rec["amount"], rec["computation"]["recoverable"])
            self.assertEqual(rec["computation"]["known_liabilities"], "10.00")
            rid = rec["id"]

            # Not recovered before a notice; not notified at short notice.
            code, body = self.post(d, f"{base}/{rid}/recovered", {"by": "a.officer@council.example"})
            self.assertEqual(code, 409, body)
            self.assertIn("must be notified", body["error"]["message"])
            soon = (self.today + datetime.timedelta(days=3)).isoformat()
            code, body = self.post(d, f"{base}/{rid}/notify", {"by": "a.officer@council.example", "recover_on": soon})
            self.assertEqual(code, 422, body)
            self.assertEqual(curl(d.url(f"{base}/{rid}/notice"))[0], 409)
            on = (self.today + datetime.timedelta(days=28)).isoformat()
            code, body = self.post(d, f"{base}/{rid}/notify", {"by": "a.officer@council.example", "recover_on": on})
            self.assertEqual(code, 200, body)
            self.assertEqual(body["state"], "notified")
            self.assertEqual(self.post(d, f"{base}/{rid}/notify", {"by": "x@council.example", "recover_on": on})[0], 409)

            code, text = curl(d.url(f"{base}/{rid}/notice"))
            self.assertEqual(code, 200)
            code, html = curl(d.url(f"{base}/{rid}/notice?format=html"))
            self.assertEqual(code, 200)
            for notice in (text, html):
                self.assertIn(ref, notice)
                self.assertIn(pounds(rec["amount"]), notice)
                self.assertIn(on, notice)
                self.assertIn("Ombudsman", notice)
                for secret in self.secrets_of(ref):
                    self.assertNotIn(secret, notice)
            self.assertIn("<table>", html)

            # Not for more than proposed; then recovered; then nothing more.
            too_much = f"{float(rec['amount']) + 0.01:.2f}"
            code, body = self.post(d, f"{base}/{rid}/recovered", {"by": "a.officer@council.example", "amount": too_much})
            self.assertEqual(code, 409, body)
            code, body = self.post(d, f"{base}/{rid}/recovered", {"by": "a.officer@council.example", "note": "paid back"})
            self.assertEqual(code, 200, body)
            self.assertEqual(body["closed"]["amount"], rec["amount"])
            self.assertEqual(self.post(d, f"{base}/{rid}/waived", {"by": "x@council.example"})[0], 409)
            history = self.get(d, f"{base}/{rid}")["history"]
            self.assertEqual([h["event"] for h in history], ["proposed", "notified", "recovered"])
            self.assertTrue(all(h["by"] for h in history))

            # A second proposal, waived straight away.
            code, rec2 = self.post(d, base, {"by": "a.officer@council.example"})
            self.assertEqual(code, 201, rec2)
            self.assertEqual(self.post(d, f"{base}/{rec2['id']}/waived", {"by": "a.manager@council.example", "note": "hardship"})[0], 200)
            self.assertEqual(self.post(d, f"{base}/{rec2['id']}/offset", {"by": "x@council.example"})[0], 409)

            # No surplus, no recovery: a new account with nothing paid in yet.
            start = (self.today - datetime.timedelta(days=10)).isoformat()
            empty = {"person_ref": "P-9998", "account_type": "dedicated_bank", "finance_officer": "o@council.example",
                     "dp_start": start, "bank": {"sort_code": "99-99-98", "account_number": "99999998"},
                     "plans": [{"effective_from": start, "weekly_budget": "100.00",
                                "council_payment": {"amount": "400.00", "every": "4w", "first": start, "payer": "COUNCIL DP"},
                                "lines": []}]}
            code, body = curl(d.url("/api/v1/accounts/DP-009998"), "-X", "PUT", "-H", "Content-Type: application/json",
                              "-H", f"Authorization: Bearer {self.token}", "--data", json.dumps(empty))
            self.assertEqual(code, 200, body)
            code, body = self.post(d, "/api/v1/accounts/DP-009998/recoveries", {"by": "x@council.example"})
            self.assertEqual(code, 409, body)
            self.assertIn("no surplus", body["error"]["message"])

            # An exemption: checked, then shown on the SURPLUS flag.
            ex = f"/api/v1/accounts/{ref}/exemptions"
            until = (self.today + datetime.timedelta(days=60)).isoformat()
            self.assertEqual(self.post(d, ex, {"reason": "holiday", "until": until, "by": "x@council.example"})[0], 422)
            self.assertEqual(self.post(d, ex, {"reason": "other", "until": until, "by": "x@council.example"})[0], 422)
            code, body = self.post(d, ex, {"reason": "pa_vacancy", "detail": "recruiting a new PA", "until": until,
                                           "by": "a.officer@council.example"})
            self.assertEqual(code, 201, body)
            surplus = [f for f in self.get(d, f"/api/v1/flags?code=SURPLUS&account={ref}&state=open")["flags"]]
            self.assertTrue(surplus)
            self.assertTrue(all(f["exemption"] and f["exemption"]["until"] == until for f in surplus))

            summary = self.get(d, "/api/v1/summary")
            self.assertEqual(summary["recoveries_by_state"]["recovered"], {"count": 1, "amount": rec["amount"]})
            self.assertEqual(summary["recoveries_by_state"]["waived"]["count"], 1)
            accounts = self.get(d, "/api/v1/accounts")["accounts"]
            self.assertEqual(summary["accounts"], len(accounts))
            for code_, n in summary["accounts_by_open_flag"].items():
                self.assertEqual(n, sum(1 for a in accounts if code_ in a["open_flags"]))
            total = sum(float(a["recoverable_surplus"]) for a in accounts)
            self.assertAlmostEqual(float(summary["recoverable_surplus"]) + float(summary["recoverable_surplus_exempt"]), total, places=2)
            self.assertGreater(float(summary["recoverable_surplus_exempt"]), 0)
            self.assertEqual(summary["accounts_without_statement_for_return_period"],
                             sum(1 for a in accounts if "STATEMENT_OVERDUE" in a["open_flags"]))
            self.assertEqual(d.stop()[0], 0)

    def test_the_audit_pack_agrees_with_the_account_view_to_the_penny(self):
        with Daemon(self.config) as d:
            wait_for(lambda: len(self.get(d, "/api/v1/accounts")["accounts"]) == 12 and self.get(d, "/api/v1/flags")["flags"],
                     timeout=60, what="the demo accounts")
            d.wait_for_log("reconciled")
            ref = self.get(d, "/api/v1/accounts?flag=OVERSPEND")["accounts"][0]["account_ref"]
            view = self.get(d, f"/api/v1/accounts/{ref}")
            start = view["periods"][1]["first"]
            end = view["periods"][-2]["last"]
            pack = self.get(d, f"/api/v1/accounts/{ref}/audit-pack?from={start}&to={end}")
            in_range = [p for p in view["periods"] if p["last"] >= start and p["first"] <= end]
            self.assertEqual(pack["periods"], in_range)
            self.assertGreaterEqual(len(in_range), 2)
            self.assertEqual([f["id"] for f in pack["flags"]],
                             [f["id"] for f in view["flags"] if f["period"]["last"] >= start and f["period"]["first"] <= end])
            # Each period's spending, summed from the CSV, is the view's actual spend per category.
            rows = list(csv.DictReader(io.StringIO(pack["transactions_csv"])))
            self.assertTrue(rows)
            self.assertTrue(all(start <= r["date"] <= end for r in rows))
            for p in in_range:
                spent = {}
                for r in rows:
                    if p["first"] <= r["date"] <= p["last"] and r["amount"].startswith("-"):
                        spent[r["category"]] = spent.get(r["category"], 0) + round(-float(r["amount"]) * 100)
                for c in p["spend"]:
                    self.assertEqual(spent.get(c["category"], 0), round(float(c["actual"]) * 100), (p["first"], c))
            self.assertTrue(all(r["rule"] or r["category"] == "uncategorised" for r in rows))
            code, html = curl(d.url(f"/api/v1/accounts/{ref}/audit-pack?from={start}&to={end}&format=html"))
            self.assertEqual(code, 200)
            self.assertIn(ref, html)
            self.assertEqual(curl(d.url(f"/api/v1/accounts/{ref}/audit-pack?from={end}&to={start}"))[0], 400)
            self.assertEqual(d.stop()[0], 0)

        # The command line writes the same pack, privately.
        out = os.path.join(self.tmp, "pack")
        r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "audit-pack", ref, "--from", start, "--to", end,
                            "--out", out], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(out)), ["flags.csv", "summary.html", "summary.json", "transactions.csv"])
        self.assertEqual(oct(os.stat(out).st_mode & 0o777), "0o700")
        self.assertEqual(oct(os.stat(os.path.join(out, "transactions.csv")).st_mode & 0o777), "0o600")
        with open(os.path.join(out, "transactions.csv"), newline="") as f:
            self.assertEqual(f.read(), pack["transactions_csv"])
        with open(os.path.join(out, "summary.json")) as f:
            self.assertEqual(json.load(f)["periods"], pack["periods"])


if __name__ == "__main__":
    harness.main()
