"""Signal, not noise, through the real daemon, a real SQLite file and a real SMTP server on loopback: the first
start on a caseload writes one onboarding summary per officer and one team digest; five serious flags for one
officer within the group wait arrive as one message, once, across a restart; the demo caseload's planted
conditions each raise their flag and its ordinary accounts none; the worklist from the API and from the CLI
agree and follow the documented formula (docs/worklist.md#priority)."""

import datetime
import json
import os
import shutil
import subprocess
import time

import harness
from harness import Daemon, TempStateTest, curl, deliver, lloyds_rows, wait_for
from smtp_server import SmtpServer

TEAM = "team@council.example"
OFFICERS = [f"officer{i}@council.example" for i in (1, 2, 3)]

# The demo caseload (dpmon demo-data, docs/demo.md): what each planted account must show, and what else it
# may show for a reason a person would accept. The other six accounts behave and must show nothing.
PLANTED = {
    "DP-000102": ({"UNDERSPEND", "SURPLUS"}, set()),
    "DP-000104": ({"OVERDRAWN", "DUPLICATE_PAYMENT", "UNPLANNED_SPEND"}, set()),
    "DP-000106": ({"STATEMENT_GAP", "BALANCE_MISMATCH", "STATEMENT_OVERDUE"}, set()),
    # The household payments, bets and cash are spending over the plan.
    "DP-000108": ({"HOUSEHOLD_MEMBER_PAYMENT", "RESTRICTED_SPEND", "CASH_WITHDRAWAL"}, {"OVERSPEND"}),
    # Without the council's payment the account can run dry.
    "DP-000110": ({"EMPLOYER_OBLIGATION_MISSED", "CONTRIBUTION_ARREARS", "COUNCIL_PAYMENT_MISSING"}, {"OVERDRAWN"}),
    "DP-000112": ({"OVERSPEND", "PROJECTED_SHORTFALL", "UNEXPLAINED_INFLOW", "UNPLANNED_SPEND"}, set()),
}
CLEAN = ["DP-000101", "DP-000103", "DP-000105", "DP-000107", "DP-000109", "DP-000111"]

SEVERITY = {"OVERDRAWN": 9, "HOUSEHOLD_MEMBER_PAYMENT": 9, "UNDERSPEND": 8, "RESTRICTED_SPEND": 8, "BALANCE_MISMATCH": 7,
            "COUNCIL_PAYMENT_MISSING": 7, "CONTRIBUTION_ARREARS": 6, "REVIEW_OVERDUE": 6, "PROJECTED_SHORTFALL": 5,
            "DUPLICATE_PAYMENT": 5, "UNEXPLAINED_INFLOW": 5, "SURPLUS": 4, "EMPLOYER_OBLIGATION_MISSED": 4, "OVERSPEND": 3,
            "STATEMENT_OVERDUE": 3, "STATEMENT_GAP": 3, "CASH_WITHDRAWAL": 2, "UNPLANNED_SPEND": 2}


def pence(text):
    return round(abs(float(text)) * 100)


class Signal(TempStateTest):
    def make_config(self, port, group_wait="1s"):
        smtp = f"""
[smtp]
url = "smtp://127.0.0.1:{port}"
require_tls = false
from = "dp-monitoring@council.example"
team_mailbox = "{TEAM}"
allowed_recipient_domains = ["council.example"]
retry_initial_seconds = 1
retry_max_seconds = 2
digest_at = "00:00"

[alerts]
group_wait = "{group_wait}"
group_interval = "1s"
"""
        self.config = harness.daemon_config(self.state, self.tmp, daemon='settle_seconds = 0\ndaily_at = "00:00"', extra=smtp)

    def dpmon(self, *args):
        r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def outbox(self, d):
        code, body = curl(d.url("/api/v1/outbox"))
        self.assertEqual(code, 200, body)
        return json.loads(body)["messages"]

    def drop_caseload(self):
        """The demo caseload (12 accounts, 3 officers, 14 months to yesterday) in the drop folder, all at once."""
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        out = os.path.join(self.tmp, "demo")
        self.dpmon("demo-data", "--out", out, "--accounts", "12", "--months", "14", "--until", yesterday)
        drop = os.path.join(self.state, "drop")
        shutil.copytree(out, drop, dirs_exist_ok=True)

    def test_the_first_start_on_a_caseload_writes_one_summary_per_officer_and_one_team_digest_and_flags_right(self):
        with SmtpServer() as server:
            self.make_config(server.port)
            self.drop_caseload()
            with Daemon(self.config) as d:
                wait_for(lambda: len([m for m in self.outbox(d) if m["state"] == "sent"]) >= 4, timeout=60,
                         what="the onboarding summaries and the digest")
                time.sleep(3)  # anything else would have been written by now (group_wait is 1 s)
                msgs = self.outbox(d)
                by_recipient = {}
                for m in msgs:
                    by_recipient.setdefault(m["recipient"], []).append(m["key"])
                # Today the code before this issue wrote a flag alert per serious flag and a notice per review.
                self.assertLessEqual(len(msgs), len(OFFICERS) + 1, by_recipient)
                for officer in OFFICERS:
                    self.assertEqual(len(by_recipient.get(officer, [])), 1, by_recipient)
                    self.assertTrue(by_recipient[officer][0].startswith("onboarding:"), by_recipient)
                self.assertEqual(len(by_recipient.get(TEAM, [])), 1, by_recipient)
                self.assertTrue(by_recipient[TEAM][0].startswith("digest:"), by_recipient)
                summary = next(p for _, _, p in server.handler.delivered if str(p["X-Dpmon-Alert-Key"]).startswith("onboarding:officer2"))
                body = summary.get_content()
                self.assertIn("Open flags by code:", body)
                self.assertIn("The accounts most at stake, in worklist order:", body)
                self.assertNotIn("POST ", body)
                self.check_planted_flags(d)
                self.check_worklist(d)
                # Every flag explains itself, and the audit pack shows its history.
                code, body = curl(d.url("/api/v1/accounts/DP-000102/audit-pack"))
                self.assertEqual(code, 200, body)
                pack = json.loads(body)
                surplus = next(f for f in pack["flags"] if f["code"] == "SURPLUS")
                self.assertEqual(surplus["history"][0]["event"], "raised")
                self.assertIn("rule", surplus["inputs"])
                self.assertIn("surplus_threshold_weeks", surplus["inputs"])
                self.assertIn('class="history"', pack["html"])
                # The team with the CLI acknowledges a flag by the id the email and the worklist give.
                out = self.dpmon("flag", "acknowledge", str(surplus["id"]), "--by", "j.officer", "--note", "recovery letter drafted")
                self.assertIn(f"flag {surplus['id']} (DP-000102 SURPLUS) acknowledged by j.officer", out)
                flags = json.loads(curl(d.url("/api/v1/flags?account=DP-000102&code=SURPLUS"))[1])["flags"]
                self.assertEqual(flags[0]["state"], "acknowledged")
                again = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "flag", "acknowledge", str(surplus["id"]),
                                        "--by", "x", "--note", "y"], capture_output=True, text=True, timeout=30)
                self.assertEqual(again.returncode, 1)
                self.assertIn("only an open flag can be acknowledged", again.stderr)
                worklist = json.loads(self.dpmon("worklist", "--json", "--limit", "0"))["accounts"]
                mine = next(a for a in worklist if a["account_ref"] == "DP-000102")
                self.assertNotIn("SURPLUS", [c["code"] for c in mine["concerns"]])  # in hand: no longer a concern
                self.assertEqual(d.stop()[0], 0)

    def check_planted_flags(self, d):
        code, body = curl(d.url("/api/v1/flags?state=open"))
        self.assertEqual(code, 200, body)
        open_by_account = {}
        for f in json.loads(body)["flags"]:
            open_by_account.setdefault(f["account_ref"], []).append(f["code"])
        for ref in CLEAN:
            self.assertEqual(open_by_account.get(ref, []), [], ref)
        for ref, (must, may) in PLANTED.items():
            codes = open_by_account.get(ref, [])
            for c in must:
                self.assertEqual(codes.count(c), 1, (ref, c, codes))  # exactly one open flag per planted condition
            self.assertLessEqual(set(codes), must | may, (ref, codes))
            self.assertEqual(len(codes), len(set(codes)), (ref, codes))  # never two open flags of one code

    def check_worklist(self, d):
        code, body = curl(d.url("/api/v1/worklist?limit=1000"))
        self.assertEqual(code, 200, body)
        api = json.loads(body)
        self.assertIsNone(api.pop("next"))  # one page holds them all; the CLI prints the whole list
        cli = json.loads(self.dpmon("worklist", "--json", "--limit", "0"))
        self.assertEqual(api, cli)  # the CLI and the API read the same worklist the same way
        accounts = api["accounts"]
        self.assertEqual({a["account_ref"] for a in accounts}, set(PLANTED))
        priorities = [a["priority"] for a in accounts]
        self.assertEqual(priorities, sorted(priorities, reverse=True))
        for a in accounts:
            severity = max(SEVERITY[c["code"]] for c in a["concerns"])
            largest = max(pence(c["amount"]) for c in a["concerns"])
            self.assertEqual(a["priority"], 100 * severity + min(99, largest // 10000), a)
            self.assertTrue(a["next_action"])
            for kind in ("recoverable_surplus", "arrears", "overdrawn", "unexplained_inflows"):
                self.assertIn(kind, a["money"])
        # Severity before money: the overdrawn account comes before the (larger) surplus.
        order = [a["account_ref"] for a in accounts]
        self.assertLess(order.index("DP-000104"), order.index("DP-000102"))
        overdrawn = next(a for a in accounts if a["account_ref"] == "DP-000104")
        self.assertTrue(overdrawn["next_action"].startswith("contact the holder today: overdrawn by £"), overdrawn)
        # One officer's view is that officer's accounts, in the same order.
        mine = json.loads(curl(d.url("/api/v1/worklist?officer=OFFICER2@council.example"))[1])["accounts"]
        self.assertEqual([a["account_ref"] for a in mine], [r for r in order if r in {a["account_ref"] for a in accounts
                                                                                       if a["finance_officer"] == OFFICERS[1]}])
        # Pages of two walk the same order, each account once.
        walked, cursor = [], ""
        while True:
            page = json.loads(curl(d.url("/api/v1/worklist?limit=2" + cursor))[1])
            walked += [a["account_ref"] for a in page["accounts"]]
            if page["next"] is None:
                break
            cursor = "&cursor=" + page["next"]
        self.assertEqual(walked, order)

    def young_accounts(self, n):
        """`n` accounts of one officer, two months old (no review due), taken on yesterday with the CLI and their
        onboarding summary sent; for each, a statement that overdraws it, to drop for the daemon."""
        today = datetime.date.today()
        start = today - datetime.timedelta(days=60)
        accounts, statements, first_rows = [], {}, {}
        for i in range(n):
            ref, number = f"DP-00050{i}", f"5050505{i}"
            accounts.append({"account_ref": ref, "person_ref": f"P-50{i}", "account_type": "dedicated_bank",
                             "finance_officer": OFFICERS[0], "dp_start": start.isoformat(),
                             "bank": {"sort_code": "50-51-52", "account_number": number},
                             "plans": [{"effective_from": start.isoformat(), "weekly_budget": "200.00",
                                        "council_payment": {"amount": "800.00", "every": "4w", "first": start.isoformat(),
                                                            "payer": "COUNCIL DP"},
                                        "lines": [{"category": "pa_wages", "amount": "190.00", "per": "week", "payees": ["PA WAGES"]}]}]})
            d1 = (today - datetime.timedelta(days=6)).strftime("%d/%m/%Y")
            d2 = (today - datetime.timedelta(days=5)).strftime("%d/%m/%Y")
            first_rows[ref] = lloyds_rows("50-51-52", number, [(d1, "COUNCIL DP PAYMENT", 10000)])
            statements[ref] = lloyds_rows("50-51-52", number, [(d1, "COUNCIL DP PAYMENT", 10000),
                                                               (d2, "PA WAGES", -(20000 + 1000 * i))])
        plan_file = os.path.join(self.tmp, "plans.json")
        with open(plan_file, "w") as f:
            f.write(json.dumps({"accounts": accounts}))
        self.dpmon("plans", "import", plan_file)
        for ref, rows in first_rows.items():
            path = os.path.join(self.tmp, f"{ref}-first.csv")
            with open(path, "w") as f:
                f.write(rows)
            self.dpmon("import", path)
        self.dpmon("reconcile", "--today", (today - datetime.timedelta(days=1)).isoformat())
        harness.sql(os.path.join(self.state, "dpmon.db"), "UPDATE onboarding SET summarised_on = date('now', '-1 day')")
        return statements

    def test_five_serious_flags_within_the_group_wait_arrive_as_one_message_once_across_a_restart(self):
        with SmtpServer() as server:
            self.make_config(server.port, group_wait="4s")
            statements = self.young_accounts(6)
            later = statements.pop("DP-000505")  # for a second group, once the queue has emptied
            db = os.path.join(self.state, "dpmon.db")
            with Daemon(self.config) as d:
                d.wait_for_log("start-up reconciliation")
                for ref, rows in statements.items():
                    deliver(f"{ref}-recent.csv", rows, os.path.join(self.state, "drop", "statements"))
                wait_for(lambda: harness.sql(db, "SELECT count(*) FROM alert_queue") == "5", timeout=20,
                         what="five serious flags waiting for their group")
                self.assertEqual(d.stop()[0], 0)  # a restart between raise and send
            self.assertEqual([k for _, k, _, _ in server.handler.datas if k.startswith("flags:")], [])
            with Daemon(self.config) as d:
                wait_for(lambda: any(str(p["X-Dpmon-Alert-Key"]).startswith("flags:") for _, _, p in server.handler.delivered),
                         timeout=30, what="the group message")
                time.sleep(2.5)
                groups = [p for _, _, p in server.handler.delivered if str(p["X-Dpmon-Alert-Key"]).startswith("flags:")]
                self.assertEqual(len(groups), 1, [str(p["X-Dpmon-Alert-Key"]) for _, _, p in server.handler.delivered])
                message = groups[0]
                self.assertEqual(message["To"], OFFICERS[0])
                self.assertTrue(str(message["Subject"]).startswith("[dpmon] 5 serious flags: DP-0005"), message["Subject"])
                body = message.get_content()
                self.assertEqual(body.count("Flag id "), 5, body)
                for i in range(5):
                    self.assertIn(f"DP-00050{i} overdrawn: lowest balance", body)
                self.assertNotIn("POST ", body)
                self.assertEqual(harness.sql(db, "SELECT count(*) FROM alert_queue"), "0")
                # A later serious flag makes a group of its own, sent too (the queue's ids start again once it
                # has emptied; the message's key does not).
                deliver("DP-000505-recent.csv", later, os.path.join(self.state, "drop", "statements"))
                wait_for(lambda: len([1 for _, _, p in server.handler.delivered if str(p["X-Dpmon-Alert-Key"]).startswith("flags:")]) == 2,
                         timeout=30, what="the second group message")
                second = [p for _, _, p in server.handler.delivered if str(p["X-Dpmon-Alert-Key"]).startswith("flags:")][1]
                self.assertEqual(str(second["Subject"]).split(" overdrawn")[0], "[dpmon] DP-000505")
                self.assertEqual(d.stop()[0], 0)
            self.assertEqual(len([k for _, k, _, _ in server.handler.datas if k.startswith("flags:")]), 2)


if __name__ == "__main__":
    harness.main()
