"""A real SMTP server on loopback (aiosmtpd) with a scriptable handler, for the alert tests. It can answer
250, 451 or 550 at RCPT or at DATA, hang after DATA, or be down (stopped). It records every RCPT and DATA it
sees, with times, so a test can count attempts and compare copies."""

import asyncio
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Script:
    """What to answer. Each rule is a function of (phase, recipient or key, attempt number) returning an
    SMTP reply, a number of seconds to hang before accepting, or None for the default 250."""

    def __init__(self):
        self.rcpt_rule = lambda address, attempt: None
        self.data_rule = lambda key, attempt: None


class Handler:
    def __init__(self, script):
        self.script = script
        self.lock = threading.Lock()
        self.rcpts = []      # (time, address, reply)
        self.datas = []      # (time, key, message, reply): every DATA seen, accepted or not
        self.delivered = []  # parsed messages the server accepted
        self.rcpt_attempts = {}
        self.data_attempts = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            n = self.rcpt_attempts[address] = self.rcpt_attempts.get(address, 0) + 1
        reply = self.script.rcpt_rule(address, n)
        with self.lock:
            self.rcpts.append((time.monotonic(), address, reply or "250"))
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        key = str(message.get("X-Dpmon-Alert-Key", ""))
        with self.lock:
            n = self.data_attempts[key] = self.data_attempts.get(key, 0) + 1
        reply = self.script.data_rule(key, n)
        with self.lock:
            self.datas.append((time.monotonic(), key, message, reply if isinstance(reply, str) else "250"))
        if isinstance(reply, (int, float)):
            await asyncio.sleep(reply)  # hangs, then accepts (the client has given up by then)
            reply = None
        if reply:
            return reply
        with self.lock:
            self.delivered.append((envelope.rcpt_tos[:], envelope.content, message))
        return "250 Message accepted for delivery"


class Authenticator:
    """Accepts one user and password (AUTH PLAIN or LOGIN) and records what was tried."""

    def __init__(self, user, password):
        self.user, self.password, self.tried = user, password, []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.tried.append((mechanism, login, password))
        return AuthResult(success=login == self.user and password == self.password)


class SmtpServer:
    def __init__(self, port=None, auth=None):
        self.port = port or free_port()
        self.script = Script()
        self.handler = Handler(self.script)
        self.controller = None
        self.auth = auth  # an Authenticator: AUTH required (over plain TCP on loopback, for the test)

    def start(self):
        extra = {}
        if self.auth:
            extra = {"authenticator": self.auth, "auth_required": True, "auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10, **extra)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
