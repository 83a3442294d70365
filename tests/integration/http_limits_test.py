"""HTTP abuse against the real dpmond; after each, /healthz still answers."""

import json
import os
import socket
import time

import harness
from harness import Daemon, TempStateTest, curl, raw_exchange, status_of, write_config


class HttpLimits(TempStateTest):
    def setUp(self):
        super().setUp()
        self.config = write_config(self.state, extra_http="max_connections = 8")
        self.daemon = Daemon(self.config)
        self.addCleanup(self.daemon.__exit__)

    def assert_healthy(self):
        code, body = curl(self.daemon.url("/healthz"))
        self.assertEqual((code, json.loads(body)["status"]), (200, "ok"), self.daemon.log() + body)

    def test_a_9_kib_header_gets_431(self):
        req = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 9216 + b"\r\n\r\n"
        raw = raw_exchange(self.daemon.port, req)
        self.assertEqual(status_of(raw), 431, raw[:200])
        self.assertIn(b'"code":"header_too_large"', raw)
        self.assert_healthy()

    def test_a_2_mib_body_gets_413(self):
        big = os.path.join(self.tmp, "big.json")
        with open(big, "wb") as f:
            f.write(b"x" * (2 * 1024 * 1024))
        code, body = curl(self.daemon.url("/healthz"), "-X", "POST", "-H", "Content-Type: application/json",
                          "--data-binary", "@" + big)
        self.assertEqual(code, 413, body)
        self.assertEqual(json.loads(body)["error"]["code"], "body_too_large")
        self.assert_healthy()

    def test_a_malformed_request_line_gets_400(self):
        raw = raw_exchange(self.daemon.port, b"GARBAGE\x01 / HTTP/9.9\r\n\r\n")
        self.assertEqual(status_of(raw), 400, raw[:200])
        self.assertIn(b'"code":"bad_request"', raw)
        self.assert_healthy()

    def test_an_unknown_path_gets_a_json_404(self):
        code, body = curl(self.daemon.url("/api/v1/no-such-thing"))
        self.assertEqual(code, 404)
        self.assertEqual(json.loads(body)["error"]["code"], "not_found")
        self.assert_healthy()

    def test_a_wrong_method_gets_405(self):
        code, body = curl(self.daemon.url("/api/v1/status"), "-X", "DELETE")
        self.assertEqual(code, 405)
        self.assertEqual(json.loads(body)["error"]["code"], "method_not_allowed")
        self.assert_healthy()

    def test_a_wrong_host_is_refused(self):
        code, body = curl(self.daemon.url("/healthz"), "-H", "Host: attacker.example")
        self.assertIn(code, (421, 403))
        self.assertEqual(json.loads(body)["error"]["code"], "misdirected_request")
        self.assert_healthy()

    def test_a_write_with_an_origin_header_is_refused(self):
        code, body = curl(self.daemon.url("/api/v1/status"), "-X", "POST", "-H", "Origin: http://attacker.example",
                          "--data", "{}")
        self.assertEqual(code, 403)
        self.assert_healthy()

    def test_connections_beyond_the_cap_are_refused_except_health_checks_and_service_resumes_when_they_close(self):
        held = [socket.create_connection(("127.0.0.1", self.daemon.port)) for _ in range(8)]
        try:
            time.sleep(0.3)
            raw = raw_exchange(self.daemon.port, b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            self.assertEqual(status_of(raw), 503, raw[:200])
            raw = raw_exchange(self.daemon.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            self.assertEqual(status_of(raw), 200, raw[:200])
        finally:
            for s in held:
                s.close()
        deadline = time.monotonic() + 5
        while True:
            code, _ = curl(self.daemon.url("/healthz"))
            if code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assert_healthy()

    def test_a_client_sending_one_byte_every_second_is_closed_by_the_read_timeout(self):
        s = socket.create_connection(("127.0.0.1", self.daemon.port), timeout=10)
        start = time.monotonic()
        closed_after = None
        try:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 20:
                try:
                    s.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    closed_after = time.monotonic() - start
                    break
                s.settimeout(1.0)
                try:
                    if s.recv(1) == b"":
                        closed_after = time.monotonic() - start
                        break
                except socket.timeout:
                    pass
                except ConnectionResetError:
                    closed_after = time.monotonic() - start
                    break
        finally:
            s.close()
        # read_timeout_seconds = 2 in the test config.
        self.assertIsNotNone(closed_after, "the slow client was never disconnected")
        self.assertLess(closed_after, 6)
        self.assert_healthy()

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        req = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        last = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        raw = raw_exchange(self.daemon.port, req + req + last)
        self.assertEqual(raw.count(b"HTTP/1.1 200 OK"), 3)


if __name__ == "__main__":
    harness.main()
