"""The real dpmond: health and status over HTTP, SIGHUP with a broken and a good config, SIGTERM,
private files, and the sd_notify protocol."""

import json
import os
import signal
import socket
import stat
import subprocess
import time

import harness
from harness import Daemon, TempStateTest, curl


class DaemonLifecycle(TempStateTest):
    def test_serves_health_and_status_reloads_config_on_sighup_and_stops_cleanly_on_sigterm(self):
        with Daemon(self.config) as d:
            code, body = curl(d.url("/healthz"))
            self.assertEqual((code, json.loads(body)["status"]), (200, "ok"), body)

            code, body = curl(d.url("/api/v1/status"))
            self.assertEqual(code, 200)
            status = json.loads(body)
            user_version = subprocess.run(["sqlite3", os.path.join(self.state, "dpmon.db"), "PRAGMA user_version"],
                                          capture_output=True, text=True, timeout=30).stdout.strip()
            self.assertEqual(status["schema_version"], int(user_version))
            self.assertGreaterEqual(status["schema_version"], 1)
            self.assertEqual(status["config_generation"], 1)
            self.assertEqual(status["counts"], {"accounts": 0, "transactions": 0, "imports": 0})
            self.assertRegex(status["version"], r"^\d+\.\d+\.\d+$")
            self.assertRegex(status["started_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

            # A broken config is rejected on SIGHUP; the daemon keeps serving with the old one.
            good = open(self.config).read()
            with open(self.config, "a") as f:
                f.write("\n[policy]\nretained_weeks = \"four\"\n")
            d.signal(signal.SIGHUP)
            d.wait_for_log("config reload rejected")
            self.assertIn("policy.retained_weeks", d.log())
            code, body = curl(d.url("/healthz"))
            self.assertEqual((code, json.loads(body)["status"]), (200, "ok"), body)
            self.assertEqual(json.loads(curl(d.url("/api/v1/status"))[1])["config_generation"], 1)

            # A valid one is taken.
            with open(self.config, "w") as f:
                f.write(good.replace('log_level = "debug"', 'log_level = "info"'))
            d.signal(signal.SIGHUP)
            d.wait_for_log("(generation 2)")
            self.assertEqual(json.loads(curl(d.url("/api/v1/status"))[1])["config_generation"], 2)

            code, seconds = d.stop()
            self.assertEqual(code, 0, d.log())
            self.assertLess(seconds, 5.0)

    def test_stops_within_five_seconds_even_with_connections_open(self):
        with Daemon(self.config) as d:
            idle = [socket.create_connection(("127.0.0.1", d.port)) for _ in range(5)]
            half = socket.create_connection(("127.0.0.1", d.port))
            half.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            time.sleep(0.2)
            code, seconds = d.stop()
            self.assertEqual(code, 0, d.log())
            self.assertLess(seconds, 5.0)
            for s in idle + [half]:
                s.close()

    def test_database_and_state_folder_are_private_after_start(self):
        with Daemon(self.config) as d:
            self.assertEqual(curl(d.url("/healthz"))[0], 200)
            db = os.path.join(self.state, "dpmon.db")
            self.assertEqual(stat.S_IMODE(os.stat(self.state).st_mode), 0o700)
            self.assertEqual(stat.S_IMODE(os.stat(db).st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(os.stat(db + "-wal").st_mode), 0o600)
            self.assertEqual(d.stop()[0], 0)

    def test_an_invalid_config_stops_start_up_with_status_2_and_names_the_key(self):
        with open(self.config, "a") as f:
            f.write("\n[daemon_typo]\nx = 1\n")
        with self.assertRaises(AssertionError) as caught:
            Daemon(self.config)
        self.assertIn("exited with 2", str(caught.exception))
        self.assertIn("daemon_typo", str(caught.exception))

    def test_a_corrupt_database_stops_start_up_and_is_left_untouched(self):
        os.makedirs(self.state, mode=0o700)
        db = os.path.join(self.state, "dpmon.db")
        garbage = b"this is not a database " * 400
        with open(db, "wb") as f:
            f.write(garbage)
        with self.assertRaises(AssertionError) as caught:
            Daemon(self.config)
        self.assertIn("exited with 65", str(caught.exception))
        self.assertIn("is damaged", str(caught.exception))
        with open(db, "rb") as f:
            self.assertEqual(f.read(), garbage)


class SystemdNotify(TempStateTest):
    def test_sends_ready_watchdog_and_stopping_when_run_by_systemd(self):
        sock_path = os.path.join(self.tmp, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        sock.settimeout(0.2)
        messages = []
        try:
            with Daemon(self.config, env={"NOTIFY_SOCKET": sock_path, "WATCHDOG_USEC": "400000"}) as d:
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline:
                    try:
                        messages.append(sock.recv(4096).decode())
                    except socket.timeout:
                        pass
                code, _ = d.stop()
                self.assertEqual(code, 0)
                try:
                    while True:
                        messages.append(sock.recv(4096).decode())
                except socket.timeout:
                    pass
        finally:
            sock.close()
        self.assertTrue(any(m.startswith("READY=1") for m in messages), messages)
        # Half of 400 ms is 200 ms: about 15 pings in 3 s; allow a slow sanitizer build.
        self.assertGreaterEqual(sum(m == "WATCHDOG=1" for m in messages), 5, messages)
        self.assertIn("STOPPING=1", messages)

    def test_logs_carry_no_timestamp_and_a_priority_prefix_under_the_journal(self):
        with Daemon(self.config, env={"JOURNAL_STREAM": "8:12345"}) as d:
            self.assertEqual(d.stop()[0], 0)
            first = d.lines[0]
            self.assertRegex(first, r"^<6>dpmond \d+\.\d+\.\d+ starting")

    def test_sends_nothing_and_needs_no_socket_outside_systemd(self):
        with Daemon(self.config) as d:
            self.assertNotIn("watchdog", d.log())
            self.assertEqual(d.stop()[0], 0)


if __name__ == "__main__":
    harness.main()
