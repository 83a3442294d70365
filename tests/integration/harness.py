"""Shared helpers for dpmon's integration tests: start the real dpmond with a temporary config and
state folder, find its port from the log, talk HTTP with curl, and always stop it again."""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ARGS = None
# Every /api/v1 route needs a bearer token: configs written here hold DEFAULT_TOKEN (an admin) unless a test
# names its own, and curl() sends the token of the config written last unless told auth=False.
DEFAULT_TOKEN = "default-admin-token-for-tests-0123456789"
CURRENT_TOKEN = DEFAULT_TOKEN


def parse_args():
    """Reads --dpmond/--dpmon and leaves the rest to unittest."""
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--dpmond", required=True)
    parser.add_argument("--dpmon", required=True)
    ARGS, rest = parser.parse_known_args()
    return [sys.argv[0]] + rest


def write_config(state_dir, extra_http="", extra="", path=None):
    """Writes a test config beside state_dir (or at `path`) and returns its path. Without a token_file in
    extra_http, the API token is DEFAULT_TOKEN."""
    global CURRENT_TOKEN
    path = path or os.path.normpath(os.path.join(state_dir, "..", "dpmon.toml"))
    if "token_file" not in extra_http:
        token_path = os.path.join(os.path.dirname(path), "default-api-token")
        extra_http += f'\ntoken_file = "{private_file(token_path, DEFAULT_TOKEN)}"'
        CURRENT_TOKEN = DEFAULT_TOKEN
    else:
        token_path = extra_http.split('token_file = "', 1)[1].split('"', 1)[0]
        with open(token_path) as f:
            CURRENT_TOKEN = f.read().strip()
    if "users_file" not in extra_http:
        extra_http += f'\nusers_file = "{os.path.join(os.path.dirname(path), "users.toml")}"'
    with open(path, "w") as f:
        f.write(f"""[daemon]
state_dir = "{state_dir}"
drop_dir = "{state_dir}/drop"
log_level = "debug"

[http]
listen = "127.0.0.1:0"
read_timeout_seconds = 2
idle_timeout_seconds = 5
{extra_http}
{extra}
""")
    return path


def private_file(path, text):
    """Writes a secret (a token, a password) readable by its owner only; returns the path."""
    with open(path, "w") as f:
        f.write(text + "\n")
    os.chmod(path, 0o600)
    return path


def daemon_config(state_dir, tmp, token=None, daemon="settle_seconds = 0", extra=""):
    """A test config with [daemon] lines added (settle time 0 by default) and, given a token, [http]
    token_file pointing at a private file holding it. Returns the config's path."""
    extra_http = f'token_file = "{private_file(os.path.join(tmp, "api-token"), token)}"' if token else ""
    config = write_config(state_dir, extra_http=extra_http, extra=extra)
    with open(config) as f:
        text = f.read().replace('log_level = "debug"\n', 'log_level = "debug"\n' + daemon + "\n")
    with open(config, "w") as f:
        f.write(text)
    return config


class Daemon:
    """A running dpmond. Use as a context manager; it is killed on exit if still running."""

    def __init__(self, config, env=None):
        self.config = config
        self.lines = []
        self.port = None
        full_env = dict(os.environ)
        full_env.pop("NOTIFY_SOCKET", None)
        full_env.pop("WATCHDOG_USEC", None)
        full_env.pop("JOURNAL_STREAM", None)
        if env:
            full_env.update(env)
        self.proc = subprocess.Popen([ARGS.dpmond, "--config", config], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=full_env)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 20
        while self.port is None:
            if self.proc.poll() is not None:
                self._reader.join(timeout=2)
                raise AssertionError("dpmond exited with %s:\n%s" % (self.proc.returncode, self.log()))
            if time.monotonic() > deadline:
                raise AssertionError("dpmond did not start listening within 20 s:\n" + self.log())
            time.sleep(0.02)

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            if self.port is None and "listening on http://" in line:
                self.port = int(line.rsplit(":", 1)[1])

    def log(self):
        return "\n".join(self.lines)

    def wait_for_log(self, text, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in l for l in self.lines):
                return True
            time.sleep(0.02)
        raise AssertionError(f"log never showed {text!r}:\n" + self.log())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def signal(self, signo):
        self.proc.send_signal(signo)

    def stop(self, timeout=5):
        """SIGTERM, then the exit status and the seconds it took."""
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        return code, time.monotonic() - start

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self._reader.join(timeout=2)
        self.proc.stderr.close()


def curl(url, *args, timeout=10, auth=True):
    """Runs curl; returns (http_status, body). Sends the current config's token unless auth=False or the
    arguments carry an Authorization header."""
    if auth and not any(str(a).lower().startswith("authorization:") for a in args):
        args = (*args, "-H", f"Authorization: Bearer {CURRENT_TOKEN}")
    out = subprocess.run(["curl", "-sS", "--max-time", str(timeout), "-o", "-", "-w", "\n%{http_code}", *args, url],
                         capture_output=True, text=True, timeout=timeout + 5)
    body, _, code = out.stdout.rpartition("\n")
    return int(code or 0), body


class TempStateTest(unittest.TestCase):
    """A test with a fresh folder holding the config and the state folder."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dpmon-it-")
        self.state = os.path.join(self.tmp, "state")
        self.config = write_config(self.state)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class ApiTest(TempStateTest):
    """A TempStateTest talking to a running daemon's API: get() expects 200 and returns the JSON; post() sends
    JSON with the bearer token (self.token) unless token=False, and returns (status, JSON or text)."""

    token = None

    def get(self, d, path):
        code, body = curl(d.url(path))
        self.assertEqual(code, 200, body)
        return json.loads(body)

    def post(self, d, path, body, token=True):
        args = ["-X", "POST", "-H", "Content-Type: application/json", "--data", json.dumps(body)]
        if token and self.token:
            args += ["-H", f"Authorization: Bearer {self.token}"]
        code, text = curl(d.url(path), *args, auth=token)
        return code, (json.loads(text) if text.startswith("{") else text)


def raw_exchange(port, data, timeout=5, chunks=None):
    """Sends bytes, returns everything the server answers until it closes or `timeout`."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        for c in chunks or []:
            s.sendall(c)
        out = b""
        while True:
            try:
                part = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not part:
                break
            out += part
        return out
    finally:
        s.close()


def status_of(raw):
    line = raw.split(b"\r\n", 1)[0].decode(errors="replace")
    return int(line.split()[1]) if line.startswith("HTTP/1.1 ") else None


def add_months(d, n):
    """The date n months after d, the day clamped to the month's end (as dpmon's core does)."""
    import calendar
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return type(d)(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def main():
    argv = parse_args()
    unittest.main(argv=argv, verbosity=2)


LLOYDS_HEADER = ("Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
                 "Debit Amount,Credit Amount,Balance\n")


def plan_json(accounts):
    """A plan file for [(ref, sort_code, account_number)] with invented details."""
    import json as _json
    return _json.dumps({"accounts": [{
        "account_ref": ref, "person_ref": "P-" + ref[-6:], "account_type": "dedicated_bank",
        "finance_officer": "officer@council.example", "status": "active", "dp_start": "2026-01-05",
        "bank": {"sort_code": sort, "account_number": number}, "plans": []} for ref, sort, number in accounts]})


def lloyds_rows(sort, number, rows, opening=0):
    """CSV text for rows [(date 'dd/mm/yyyy', description, pence)], oldest first, with running balances."""
    out, balance = [LLOYDS_HEADER], opening
    for day, desc, pence in rows:
        balance += pence
        debit = "%d.%02d" % (-pence // 100, -pence % 100) if pence < 0 else ""
        credit = "%d.%02d" % (pence // 100, pence % 100) if pence >= 0 else ""
        sign = "-" if balance < 0 else ""
        out.append(f"{day},DEB,'{sort},{number},{desc},{debit},{credit},{sign}{abs(balance) // 100}.{abs(balance) % 100:02d}\n")
    return "".join(out)


def deliver(path, text, folder):
    """Writes beside the drop folder, then renames in: the safe way to deliver."""
    tmp = os.path.join(folder, "." + os.path.basename(path) + ".part")
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, os.path.join(folder, os.path.basename(path)))


def wait_for(predicate, timeout=30, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def sql(db_path, query):
    """Runs a query with the sqlite3 shell (a separate reader of the real database file)."""
    out = subprocess.run(["sqlite3", db_path, query], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise AssertionError(f"sqlite3 failed: {out.stderr}")
    return out.stdout.strip()
