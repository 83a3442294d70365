"""GET /metrics on the real daemon with the demo data: open without a token, in the Prometheus text format
(promtool check metrics passes), carrying the status counts and the requests just made, and no personal data
(no account reference, no email address, no name)."""

import datetime
import json
import os
import re
import shutil
import subprocess

import harness
from harness import Daemon, TempStateTest, curl


class Metrics(TempStateTest):
    def test_metrics_are_open_valid_for_promtool_and_hold_counts_but_no_personal_data(self):
        config = harness.daemon_config(self.state, self.tmp)
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", os.path.join(self.state, "drop"), "--accounts", "6",
                        "--months", "6", "--until", yesterday], check=True, capture_output=True, timeout=60)
        with Daemon(config) as d:
            d.wait_for_log("reconciled", timeout=60)
            for _ in range(3):
                self.assertEqual(curl(d.url("/healthz"), auth=False)[0], 200)
            self.assertEqual(curl(d.url("/api/v1/accounts/DP-000101"))[0], 200)
            status = json.loads(curl(d.url("/api/v1/status"))[1])
            code, text = curl(d.url("/metrics"), auth=False)
            self.assertEqual(code, 200, text)

            samples = {}
            for line in text.splitlines():
                if line and not line.startswith("#"):
                    name, value = line.rsplit(" ", 1)
                    samples[name] = float(value)
            self.assertGreaterEqual(samples['dpmon_http_requests_total{route="/healthz",method="GET",status="200"}'], 3)
            self.assertEqual(samples['dpmon_http_requests_total{route="/api/v1/accounts/{ref}",method="GET",status="200"}'], 1)
            for code_name, n in status["open_flags"].items():
                self.assertEqual(samples[f'dpmon_flags_open{{code="{code_name}"}}'], n)
            self.assertEqual(samples['dpmon_reviews{state="overdue"}'], status["reviews"]["overdue"])
            self.assertGreaterEqual(samples['dpmon_reconciliation_duration_seconds_count{scope="full"}'], 1)
            self.assertGreater(samples["process_resident_memory_bytes"], 1_000_000)
            self.assertGreater(samples["dpmon_database_size_bytes"], 10_000)
            self.assertIsNone(re.search(r"DP-\d|@|officer", text), "no references, addresses or names in /metrics")

            promtool = shutil.which("promtool")
            if not promtool:
                self.skipTest("promtool (Debian prometheus) is not installed: the format check did not run")
            check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            self.assertEqual(d.stop()[0], 0)


if __name__ == "__main__":
    harness.main()
