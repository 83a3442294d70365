"""Reviews through the real daemon: a plan dropped in gets its reviews scheduled, the daily job writes each
overdue reminder once (also across a restart), completion and early reviews over HTTP need the token and are
checked, and the CLI prints the very documents the API serves."""

import datetime
import json
import os
import subprocess

import harness
from harness import Daemon, TempStateTest, curl, deliver, wait_for, write_config





add_months = harness.add_months


class Reviews(harness.ApiTest):
    def setUp(self):
        super().setUp()
        self.token = "t0ken-for-reviews-0123456789abcdef"
        # The daily job at 00:00 local time: it has always come by when the test runs.
        self.config = harness.daemon_config(self.state, self.tmp, self.token, daemon='settle_seconds = 0\ndaily_at = "00:00"')
        self.today = datetime.date.today()
        # Started 8 months ago: the initial review (start + 6 months) and the plan review (start + 6 weeks) are
        # overdue; the financial audit (start + 12 months) is 4 months away.
        self.start = add_months(self.today, -8)
        plan = {"accounts": [{
            "account_ref": "DP-000301", "person_ref": "P-301", "account_type": "dedicated_bank",
            "finance_officer": "officer@council.example", "dp_start": self.start.isoformat(),
            "bank": {"sort_code": "30-30-30", "account_number": "30303030"},
            "plans": [{"effective_from": self.start.isoformat(), "weekly_budget": "200.00",
                       "council_payment": {"amount": "800.00", "every": "4w", "first": self.start.isoformat(), "payer": "COUNCIL DP"},
                       "lines": [{"category": "pa_wages", "amount": "150.00", "per": "week", "payees": ["A CARER"]}]}]}]}
        os.makedirs(os.path.join(self.state, "drop", "plans"), exist_ok=True)
        deliver("reviews-plan.json", json.dumps(plan), os.path.join(self.state, "drop", "plans"))

    def cli(self, *args):
        r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, text=True, timeout=60)
        return r

    def test_overdue_reviews_are_reminded_once_across_a_restart_and_completed_with_checks(self):
        with Daemon(self.config) as d:
            wait_for(lambda: len(self.get(d, "/api/v1/reviews?state=overdue")["reviews"]) == 2, timeout=30,
                     what="the overdue reviews")
            d.wait_for_log("daily job for " + self.today.isoformat() + " done")
            overdue = {r["kind"]: r for r in self.get(d, "/api/v1/reviews?state=overdue")["reviews"]}
            self.assertEqual(set(overdue), {"DP_INITIAL_REVIEW", "SUPPORT_PLAN_REVIEW"})
            self.assertTrue(all(r["overdue"] for r in overdue.values()))
            initial = overdue["DP_INITIAL_REVIEW"]
            self.assertLessEqual(initial["due_on"], add_months(self.start, 6).isoformat())
            detail = self.get(d, f"/api/v1/reviews/{initial['id']}")
            # Scheduled today, already overdue: the due notice and the escalation, not the reminders before.
            self.assertEqual(sorted(r["kind"] for r in detail["reminders"]), ["due", "escalation"])
            self.assertEqual({r["kind"]: r["to"] for r in detail["reminders"]}, {"due": "finance_officer", "escalation": "team"})
            self.assertEqual([e["event"] for e in detail["history"]][:1], ["scheduled"])
            # The status counts are gathered each second (counts_as_of says when).
            wait_for(lambda: self.get(d, "/api/v1/status")["reviews"]["overdue"] == 2, timeout=5, what="status counts")
            row = self.get(d, "/api/v1/accounts")["accounts"][0]
            self.assertEqual(row["next_review"]["due_on"], min(r["due_on"] for r in overdue.values()))
            self.assertEqual(d.stop()[0], 0)

        # Restarted the same day: the daily job does not run again, and no reminder is written twice.
        with Daemon(self.config) as d:
            d.wait_for_log("start-up reconciliation")
            detail = self.get(d, f"/api/v1/reviews/{initial['id']}")
            self.assertEqual(len(detail["reminders"]), 2)
            self.assertFalse(any("daily job for" in l for l in d.lines), d.log())

            path = f"/api/v1/reviews/{initial['id']}/complete"
            done = {"completed_on": self.today.isoformat(), "by": "a.officer@council.example", "outcome": "plan still meets needs"}
            self.assertEqual(self.post(d, path, done, token=False)[0], 401)
            tomorrow = (self.today + datetime.timedelta(days=1)).isoformat()
            code, body = self.post(d, path, dict(done, completed_on=tomorrow))
            self.assertEqual(code, 422, body)
            self.assertIn("field 'completed_on'", body["error"]["message"])
            code, body = self.post(d, path, dict(done, completed_on=(self.start - datetime.timedelta(days=1)).isoformat()))
            self.assertEqual(code, 422, body)
            self.assertIn("before the direct payment started", body["error"]["message"])
            code, body = self.post(d, path, done)
            self.assertEqual(code, 200, body)
            self.assertEqual(body["state"], "completed")
            self.assertEqual(self.post(d, path, done)[0], 409)
            # The next DP review is scheduled from the completion: 12 months on, moved back to a working day.
            scheduled = {r["kind"]: r for r in self.get(d, "/api/v1/reviews")["reviews"]}
            annual = scheduled["DP_ANNUAL_REVIEW"]
            year_on = add_months(self.today, 12)
            self.assertEqual(annual["nominal_on"], year_on.isoformat())
            self.assertLessEqual(annual["due_on"], year_on.isoformat())
            self.assertGreaterEqual(annual["due_on"], (year_on - datetime.timedelta(days=4)).isoformat())

            # An early review after a concern.
            code, body = self.post(d, "/api/v1/reviews", {"account_ref": "DP-000301", "reason": "a safeguarding concern",
                                                          "by": "a.officer@council.example"}, token=False)
            self.assertEqual(code, 401)
            code, body = self.post(d, "/api/v1/reviews", {"account_ref": "DP-000301", "by": "a.officer@council.example"})
            self.assertEqual(code, 422, body)
            code, body = self.post(d, "/api/v1/reviews", {"account_ref": "DP-000301", "reason": "a safeguarding concern",
                                                          "by": "a.officer@council.example"})
            self.assertEqual(code, 201, body)
            self.assertEqual(body["kind"], "EARLY_REVIEW")
            self.assertEqual(body["due_on"], (self.today + datetime.timedelta(days=14)).isoformat())
            self.assertEqual(self.post(d, "/api/v1/reviews", {"account_ref": "DP-999999", "reason": "x", "by": "y"})[0], 404)
            self.assertEqual(curl(d.url("/api/v1/reviews?state=later"))[0], 400)

            # The CLI prints the very document the API serves.
            cli = self.cli("reviews", "--json")
            self.assertEqual(cli.returncode, 0, cli.stderr)
            served = self.get(d, "/api/v1/reviews?limit=1000")
            self.assertIsNone(served.pop("next"))  # one page holds them all; the CLI prints the whole list
            self.assertEqual(json.loads(cli.stdout), served)
            self.assertEqual(d.stop()[0], 0)

        # And completes from the command line, with the same checks.
        plan_review = overdue["SUPPORT_PLAN_REVIEW"]["id"]
        r = self.cli("review", "complete", str(plan_review), "--on", tomorrow, "--by", "x@council.example", "--outcome", "ok")
        self.assertEqual(r.returncode, 1)
        self.assertIn("field 'completed_on'", r.stderr)
        r = self.cli("review", "complete", str(plan_review), "--on", self.today.isoformat(), "--by", "x@council.example",
                     "--outcome", "new plan agreed")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("next: SUPPORT_PLAN_REVIEW", r.stdout)
        shown = self.cli("review", "show", str(plan_review))
        self.assertIn("completed by x@council.example", shown.stdout)


if __name__ == "__main__":
    harness.main()
