"""Email alerts through the real daemon and a real SMTP server on loopback (aiosmtpd, scripted): exactly-once
delivery, retries with backoff after 451, no retry after 550, restarts while the server is down, a server that
hangs after DATA, and the event loop answering /healthz meanwhile."""

import datetime
import http.client
import json
import os
import subprocess
import time

import harness
from harness import Daemon, TempStateTest, curl, deliver, lloyds_rows, wait_for, write_config
from smtp_server import Authenticator, SmtpServer

CANARIES = ["ZEPHYRINA", "QUILLFEATHER", "40404040", "40-41-42", "404142"]
OFFICER = "officer@council.example"
TEAM = "team@council.example"





add_months = harness.add_months


class Email(TempStateTest):
    def make_config(self, port, timeout=5):
        smtp = f"""
[smtp]
url = "smtp://127.0.0.1:{port}"
require_tls = false
from = "dp-monitoring@council.example"
team_mailbox = "{TEAM}"
allowed_recipient_domains = ["council.example"]
connect_timeout_seconds = 2
timeout_seconds = {timeout}
retry_initial_seconds = 1
retry_max_seconds = 2
digest_at = "23:59"

[alerts]
group_wait = "1s"
group_interval = "1s"
"""
        self.config = harness.daemon_config(self.state, self.tmp, daemon='settle_seconds = 0\ndaily_at = "00:00"', extra=smtp)

    def deliver_account(self):
        """An account 8 months old (its initial and plan reviews overdue), taken on yesterday with the dpmon CLI,
        whose statement of the last days, dropped for the daemon, goes overdrawn (a serious flag). Once the daemon
        runs: the flag group and the day's review notices (one message) to the officer, the escalations to the
        team in one. The PA's name and the bank details are canaries: they must appear in no message."""
        today = datetime.date.today()
        start = add_months(today, -8)
        plan = {"accounts": [{
            "account_ref": "DP-000401", "person_ref": "P-401", "account_type": "dedicated_bank",
            "finance_officer": OFFICER, "dp_start": start.isoformat(),
            "bank": {"sort_code": "40-41-42", "account_number": "40404040"},
            "plans": [{"effective_from": start.isoformat(), "weekly_budget": "200.00",
                       "council_payment": {"amount": "800.00", "every": "4w", "first": start.isoformat(), "payer": "COUNCIL DP"},
                       "lines": [{"category": "pa_wages", "amount": "150.00", "per": "week",
                                  "payees": ["ZEPHYRINA QUILLFEATHER"]}]}]}]}
        drop = os.path.join(self.state, "drop")
        os.makedirs(os.path.join(drop, "plans"), exist_ok=True)
        os.makedirs(os.path.join(drop, "statements"), exist_ok=True)
        plan_file = os.path.join(self.tmp, "plan.json")
        with open(plan_file, "w") as f:
            f.write(json.dumps(plan))
        d1 = (today - datetime.timedelta(days=6)).strftime("%d/%m/%Y")
        first = os.path.join(self.tmp, "DP-000401-first.csv")
        with open(first, "w") as f:
            f.write(lloyds_rows("40-41-42", "40404040", [(d1, "COUNCIL DP PAYMENT", 10000)]))
        yesterday = (today - datetime.timedelta(days=1)).isoformat()
        for args in (["plans", "import", plan_file], ["import", first], ["reconcile", "--today", yesterday]):
            r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, *args], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # Its onboarding summary went yesterday (signal_test covers onboarding): from today alerts flow as usual.
        harness.sql(os.path.join(self.state, "dpmon.db"), "UPDATE onboarding SET summarised_on = date('now', '-1 day')")
        self.pending_statement = lloyds_rows("40-41-42", "40404040", [(d1, "COUNCIL DP PAYMENT", 10000),
                                                                      ((today - datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
                                                                       "ZEPHYRINA QUILLFEATHER WAGES", -25000)])

    def drop_statement(self, d):
        """The statement that overdraws the account, for the running daemon `d`."""
        d.wait_for_log("start-up reconciliation")
        deliver("DP-000401-recent.csv", self.pending_statement, os.path.join(self.state, "drop", "statements"))

    def outbox(self, d, state=""):
        code, body = curl(d.url("/api/v1/outbox" + (f"?state={state}" if state else "")))
        self.assertEqual(code, 200, body)
        return json.loads(body)["messages"]

    def settled(self, d, minimum=3):
        msgs = self.outbox(d)
        return len(msgs) >= minimum and not any(m["state"] == "pending" for m in msgs)

    def check_message(self, raw, parsed, key):
        text = raw.decode("utf-8", "replace")
        body = parsed.get_content()
        for canary in CANARIES:
            self.assertNotIn(canary, text, key)
            self.assertNotIn(canary, body, key)
            self.assertNotIn(canary, str(parsed["Subject"]), key)
        self.assertIn("DP-000401", body)
        self.assertNotIn("POST ", body)  # officers have no shell on the server: no HTTP verbs
        if not key.startswith("onboarding:"):
            self.assertIn("****4040", body)
        self.assertIn("DP-000401", str(parsed["Subject"]))
        self.assertTrue(parsed["Date"])
        self.assertEqual(str(parsed["MIME-Version"]), "1.0")
        self.assertEqual(parsed.get_content_type(), "text/plain")
        self.assertEqual(parsed.get_content_charset(), "utf-8")

    def test_a_flag_and_reminders_arrive_once_to_the_right_people_without_names_or_account_numbers(self):
        with SmtpServer() as server:
            self.make_config(server.port)
            self.deliver_account()
            with Daemon(self.config) as d:
                self.drop_statement(d)
                wait_for(lambda: self.settled(d), timeout=40, what="every alert delivered")
                sent = self.outbox(d, "sent")
                keys = [m["key"] for m in sent]
                self.assertEqual(len([k for k in keys if k.startswith("flags:")]), 1, keys)
                self.assertEqual(len([k for k in keys if k.endswith(":due")]), 1, keys)  # both notices, one message
                self.assertEqual(len([k for k in keys if k.endswith(":escalation")]), 1, keys)
                self.assertEqual(len(server.handler.delivered), len(sent))
                by_key = {}
                for rcpts, raw, parsed in server.handler.delivered:
                    key = str(parsed["X-Dpmon-Alert-Key"])
                    self.assertNotIn(key, by_key, "delivered twice")
                    by_key[key] = (rcpts, raw, parsed)
                self.assertEqual(set(by_key), set(keys))
                for m in sent:
                    rcpts, raw, parsed = by_key[m["key"]]
                    self.assertEqual(str(parsed["Message-ID"]), m["message_id"])
                    self.assertEqual(rcpts, [TEAM if m["key"].endswith(":escalation") else OFFICER])
                    self.check_message(raw, parsed, m["key"])
                flag = next(p for r, raw, p in by_key.values() if str(p["X-Dpmon-Alert-Key"]).startswith("flags:"))
                self.assertEqual(str(flag["Subject"]), "[dpmon] DP-000401 overdrawn: lowest balance -£150.00")
                self.assertIn("Flag id ", flag.get_content())
                self.assertIn(b"=?UTF-8?B?", next(raw for r, raw, p in by_key.values() if p is flag))
                # Nothing more on the next daily run or a restart: one email per state change.
                self.assertEqual(d.stop()[0], 0)
            with Daemon(self.config) as d:
                d.wait_for_log("start-up reconciliation")
                time.sleep(1.5)
                self.assertEqual(len(server.handler.delivered), len(sent))
                self.assertEqual(d.stop()[0], 0)

    def test_a_statement_waiting_at_start_is_imported_before_the_days_digest_which_counts_its_flag(self):
        with SmtpServer() as server:
            self.make_config(server.port)
            # Files found at start settle for 2 s (they could still be being written); the digest is due at once.
            with open(self.config) as f:
                text = f.read()
            with open(self.config, "w") as f:
                f.write(text.replace("settle_seconds = 0", "settle_seconds = 2").replace('digest_at = "23:59"', 'digest_at = "00:00"'))
            self.deliver_account()
            # It came while dpmond was down.
            deliver("DP-000401-recent.csv", self.pending_statement, os.path.join(self.state, "drop", "statements"))
            with Daemon(self.config) as d:
                def digest():
                    return next((p for _, _, p in server.handler.delivered if str(p["X-Dpmon-Alert-Key"]).startswith("digest:")), None)
                wait_for(lambda: digest() is not None, timeout=40, what="the day's digest")
                body = digest().get_content()
                self.assertIn("DP-000401", body)
                self.assertIn("overdrawn", body.lower())
                self.assertNotIn("Nothing open", body)
                log = d.log()
                self.assertLess(log.index("imported DP-000401-recent.csv"), log.index("start-up reconciliation"))
                self.assertEqual(d.stop()[0], 0)

    def test_451_for_a_while_then_250_delivers_each_alert_once_with_growing_backoff_up_to_the_cap(self):
        with SmtpServer() as server:
            server.script.data_rule = lambda key, attempt: "451 4.3.0 try again later" if attempt <= 3 else None
            self.make_config(server.port)
            self.deliver_account()
            with Daemon(self.config) as d:
                self.drop_statement(d)
                wait_for(lambda: self.settled(d), timeout=60, what="every alert delivered after the 451s")
                sent = self.outbox(d, "sent")
                self.assertTrue(all(m["attempts"] == 4 for m in sent), sent)
                keys = [str(p["X-Dpmon-Alert-Key"]) for _, _, p in server.handler.delivered]
                self.assertEqual(sorted(keys), sorted(m["key"] for m in sent))
                self.assertEqual(len(keys), len(set(keys)))
                for m in sent:
                    times = [t for t, k, _, _ in server.handler.datas if k == m["key"]]
                    self.assertEqual(len(times), 4)
                    gaps = [b - a for a, b in zip(times, times[1:])]
                    # 1 s, then 2 s (the cap) and no more: each spread by up to 20 % (never above the cap),
                    # then rounded up to the next whole second, as the outbox stores times.
                    self.assertGreaterEqual(gaps[0], 0.7, gaps)
                    self.assertLessEqual(gaps[0], 2.6, gaps)
                    for g in gaps[1:]:
                        self.assertGreaterEqual(g, 1.5, gaps)
                        self.assertLessEqual(g, 3.4, gaps)
                self.assertEqual(d.stop()[0], 0)

    def test_550_at_rcpt_and_at_data_fail_once_for_good_and_show_in_status_then_retry_on_request(self):
        with SmtpServer() as server:
            server.script.rcpt_rule = lambda address, attempt: "550 5.1.1 no such mailbox" if address == OFFICER else None
            server.script.data_rule = lambda key, attempt: "550 5.7.1 rejected by policy" if key.endswith(":escalation") else None
            self.make_config(server.port)
            self.deliver_account()
            with Daemon(self.config) as d:
                self.drop_statement(d)
                wait_for(lambda: self.settled(d), timeout=40, what="every alert tried")
                time.sleep(3)  # longer than the backoff: nothing is retried
                msgs = self.outbox(d)
                failed = [m for m in msgs if m["state"] == "failed_permanent"]
                self.assertEqual(len(failed), len(msgs))
                self.assertTrue(all(m["attempts"] == 1 and m["reply_code"] == 550 for m in failed), failed)
                officer = [m for m in msgs if m["recipient"] == OFFICER]
                team = [m for m in msgs if m["recipient"] == TEAM]
                self.assertTrue(officer and team)
                self.assertEqual(server.handler.rcpt_attempts.get(OFFICER), len(officer))
                self.assertEqual(sum(1 for _, k, _, _ in server.handler.datas if k.endswith(":escalation")), len(team))
                self.assertEqual(server.handler.delivered, [])
                status = json.loads(curl(d.url("/api/v1/status"))[1])
                self.assertEqual(status["outbox"]["failed"], len(msgs))
                code, body = curl(d.url("/healthz"))
                self.assertEqual(code, 200)
                self.assertEqual(json.loads(body)["status"], "degraded")
                # Fixed on the server's side; an officer asks for one again.
                server.script.rcpt_rule = lambda address, attempt: None
                r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "outbox", "retry", str(officer[0]["id"])],
                                   capture_output=True, text=True, timeout=30)
                self.assertEqual(r.returncode, 0, r.stderr)
                wait_for(lambda: len(server.handler.delivered) == 1, timeout=70, what="the retried message")
                self.assertEqual(d.stop()[0], 0)

    def test_nothing_is_lost_when_the_server_is_down_across_a_restart(self):
        server = SmtpServer()  # not started: the port refuses connections
        self.make_config(server.port)
        self.deliver_account()
        with Daemon(self.config) as d:
            self.drop_statement(d)
            # Every message queued (the onboarding summary can come after the alerts) and each tried twice.
            wait_for(lambda: (lambda msgs: len(msgs) >= 3 and all(m["attempts"] >= 2 for m in msgs))(self.outbox(d)),
                     timeout=40, what="every message queued and failed twice")
            pending = self.outbox(d, "pending")
            self.assertTrue(pending)
            self.assertTrue(all("onnect" in m["last_error"] or "refused" in m["last_error"] for m in pending), pending)
            self.assertEqual(d.stop()[0], 0)
        with Daemon(self.config) as d:
            time.sleep(1)
            # What waits for the server is exactly what was pending before the restart.
            self.assertEqual(sorted(m["key"] for m in self.outbox(d, "pending")), sorted(m["key"] for m in pending))
            self.assertEqual(d.stop()[0], 0)
        with server:
            with Daemon(self.config) as d:
                wait_for(lambda: self.settled(d), timeout=40, what="delivery after the server came back")
                keys = [str(p["X-Dpmon-Alert-Key"]) for _, _, p in server.handler.delivered]
                self.assertEqual(sorted(keys), sorted(m["key"] for m in self.outbox(d, "sent")))
                self.assertEqual(len(keys), len(set(keys)))
                self.assertEqual(sorted(keys), sorted(m["key"] for m in pending))
                self.assertEqual(d.stop()[0], 0)

    def test_a_server_hanging_after_data_is_given_up_within_the_timeout_and_the_retry_has_the_same_message_id(self):
        hung = []

        def data_rule(key, attempt):
            if not hung:
                hung.append(key)
                return 6  # seconds: beyond the 2-second timeout
            return None

        with SmtpServer() as server:
            server.script.data_rule = data_rule
            self.make_config(server.port, timeout=2)
            self.deliver_account()
            with Daemon(self.config) as d:
                self.drop_statement(d)
                wait_for(lambda: hung, timeout=40, what="the first DATA")
                started = time.monotonic()
                # Meanwhile the event loop answers at once.
                worst = 0.0
                while time.monotonic() - started < 1.5:
                    conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=2)
                    t = time.monotonic()
                    conn.request("GET", "/healthz")
                    resp = conn.getresponse()
                    resp.read()
                    worst = max(worst, time.monotonic() - t)
                    conn.close()
                    self.assertEqual(resp.status, 200)
                    time.sleep(0.05)
                self.assertLess(worst, 0.1)
                wait_for(lambda: any(m["key"] == hung[0] and m["attempts"] >= 1 and m["last_error"]
                                     for m in self.outbox(d)), timeout=10, what="the attempt given up")
                gave_up = time.monotonic() - started
                self.assertLess(gave_up, 4.5, d.log()[-3000:])
                message = next(m for m in self.outbox(d) if m["key"] == hung[0])
                self.assertIn("imeout", message["last_error"])
                wait_for(lambda: self.settled(d), timeout=40, what="every alert delivered")
                copies = [p for _, k, p, _ in server.handler.datas if k == hung[0]]
                self.assertGreaterEqual(len(copies), 2)
                self.assertEqual(len({str(p["Message-ID"]) for p in copies}), 1)
                self.assertEqual(str(copies[0]["Message-ID"]), message["message_id"])
                self.assertEqual(d.stop(timeout=10)[0], 0)

    def test_smtp_auth_uses_the_password_from_the_credentials_file(self):
        auth = Authenticator("dpmon", "s3cret-relay-password")
        with SmtpServer(auth=auth) as server:
            self.make_config(server.port)
            password_file = os.path.join(self.tmp, "smtp-password")
            with open(password_file, "w") as f:
                f.write("s3cret-relay-password\n")
            os.chmod(password_file, 0o600)
            with open(self.config) as f:
                text = f.read().replace("require_tls = false\n",
                                        f'require_tls = false\nusername = "dpmon"\npassword_file = "{password_file}"\n')
            with open(self.config, "w") as f:
                f.write(text)
            self.deliver_account()
            with Daemon(self.config) as d:
                self.drop_statement(d)
                wait_for(lambda: self.settled(d), timeout=40, what="every alert delivered")
                self.assertEqual(len(server.handler.delivered), len(self.outbox(d, "sent")))
                self.assertTrue(auth.tried)
                self.assertTrue(all(login == "dpmon" and password == "s3cret-relay-password" for _, login, password in auth.tried))
                self.assertNotIn("s3cret-relay-password", d.log())
                self.assertEqual(d.stop()[0], 0)

    def test_starttls_is_required_by_default_so_a_server_without_it_gets_nothing(self):
        with SmtpServer() as server:  # no STARTTLS offered
            self.make_config(server.port)
            with open(self.config) as f:
                text = f.read().replace("require_tls = false\n", "")
            with open(self.config, "w") as f:
                f.write(text)
            self.deliver_account()
            with Daemon(self.config) as d:
                self.drop_statement(d)
                wait_for(lambda: any(m["attempts"] >= 1 for m in self.outbox(d)), timeout=40, what="an attempt")
                time.sleep(0.5)
                self.assertEqual(server.handler.delivered, [])
                self.assertEqual(server.handler.datas, [])
                pending = self.outbox(d, "pending")
                self.assertTrue(pending)
                self.assertTrue(all("SSL" in m["last_error"] or "TLS" in m["last_error"] for m in pending if m["attempts"]),
                                pending)
                self.assertEqual(d.stop()[0], 0)

    def test_without_smtp_every_alert_and_the_digest_go_to_the_maildir(self):
        # No [smtp]: the digest comes at the default 08:00, or at once when the test runs later.
        self.config = harness.daemon_config(self.state, self.tmp, daemon='settle_seconds = 0\ndaily_at = "00:00"',
                                            extra='[alerts]\ngroup_wait = "1s"\n')
        self.deliver_account()
        with Daemon(self.config) as d:
            self.drop_statement(d)
            wait_for(lambda: self.settled(d), timeout=40, what="every alert written")
            sent = self.outbox(d, "sent")
            maildir = os.path.join(self.state, "maildir", "new")
            files = sorted(os.listdir(maildir))
            self.assertEqual(len(files), len(sent))
            self.assertEqual(oct(os.stat(os.path.join(self.state, "maildir")).st_mode & 0o777), "0o700")
            import email
            import email.policy
            keys = set()
            for name in files:
                with open(os.path.join(maildir, name), "rb") as f:
                    raw = f.read()
                parsed = email.message_from_bytes(raw, policy=email.policy.default)
                keys.add(str(parsed["X-Dpmon-Alert-Key"]))
                for canary in CANARIES:
                    self.assertNotIn(canary, raw.decode("utf-8", "replace"))
                    self.assertNotIn(canary, parsed.get_content())
            self.assertEqual(keys, {m["key"] for m in sent})
            import zoneinfo
            digest = [m for m in sent if m["key"].startswith("digest:")]
            if datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")).hour >= 9:  # well after 08:00 London
                self.assertEqual(len(digest), 1)
            for m in digest:
                self.assertEqual(m["recipient"], "dp-team@localhost")
            self.assertEqual(d.stop()[0], 0)


if __name__ == "__main__":
    harness.main()
