"""The dashboard behind the production nginx site (deploy/nginx/dpmon.conf), over real TLS: the site file is
run by the real nginx with only its name, certificate, ports and upstream changed, in front of the real dpmond
whose [http] public_url is the proxy's https address. Through it: /healthz answers; a page without a session
goes to sign-in; signing in sets a Secure, HttpOnly, SameSite=Strict cookie; the worklist shows; an account
page's acknowledge form, sent back with its CSRF token from the proxy's own origin, acknowledges a flag in the
officer's name (the API says so); the same form without the token, or from another site's origin, is refused.
Plain http only redirects to https. nginx and dpmond are always stopped."""

import datetime
import grp
import html
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
import unittest
import urllib.parse

import harness
from harness import Daemon, TempStateTest

NGINX = "/usr/sbin/nginx"
HOST = "dpmon.test"
OFFICER = "Olive Officer"
SITE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "deploy", "nginx", "dpmon.conf")


def free_ports(n):
    """n loopback ports free now (bound together, so distinct, then released for nginx to take)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def replace(text, pattern, repl, count):
    """re.sub that insists the site file still has `count` matches, so a changed file fails clearly."""
    out, n = re.subn(pattern, repl, text, flags=re.MULTILINE)
    if n != count:
        raise AssertionError(f"{SITE} should have {count} match(es) of {pattern!r}, has {n}")
    return out


class NginxProxy(TempStateTest):
    def setUp(self):
        missing = [what for what, ok in (("nginx (/usr/sbin/nginx, Debian's nginx-light)", os.access(NGINX, os.X_OK)),
                                         ("openssl", shutil.which("openssl") is not None),
                                         ("curl", shutil.which("curl") is not None)) if not ok]
        if missing:
            raise unittest.SkipTest("needs " + " and ".join(missing) + " to run the production proxy in front of dpmond")
        super().setUp()
        self.addCleanup(shutil.rmtree, self.tmp, True)  # also when the rest of setUp fails
        self.ngx = os.path.join(self.tmp, "nginx")
        os.mkdir(self.ngx)
        self.cert, self.key = os.path.join(self.ngx, "dpmon.test.pem"), os.path.join(self.ngx, "dpmon.test.key")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                            "-keyout", self.key, "-out", self.cert, "-days", "2", "-subj", f"/CN={HOST}",
                            "-addext", f"subjectAltName=DNS:{HOST}"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.http_port, self.https_port = free_ports(2)
        self.origin = f"https://{HOST}:{self.https_port}"
        self.config = harness.daemon_config(self.state, self.tmp, extra=f'public_url = "{self.origin}"')
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        r = subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", os.path.join(self.state, "drop"), "--accounts", "6",
                            "--months", "6", "--until", yesterday], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run([harness.ARGS.dpmon, "--config", self.config, "users", "add", OFFICER, "--email",
                            "olive.officer@council.example", "--role", "officer"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = r.stdout.splitlines()[0].strip()

    # --- nginx -------------------------------------------------------------------------------------------------

    def site(self, upstream_port):
        """deploy/nginx/dpmon.conf with the test's name, certificate, loopback ports and dpmond's port."""
        with open(SITE) as f:
            text = "".join(l for l in f if not l.lstrip().startswith("#"))
        text = replace(text, r"^\s*listen \[::\]:\d+[^;]*;\n", "", 2)  # IPv6: this test uses 127.0.0.1 only
        text = replace(text, r"\blisten 80;", f"listen 127.0.0.1:{self.http_port};", 1)
        text = replace(text, r"\blisten 443 (ssl[^;]*);", rf"listen 127.0.0.1:{self.https_port} \1;", 1)
        text = replace(text, r"\bserver_name dpmon\.council\.example;", f"server_name {HOST};", 2)
        text = replace(text, r"\bssl_certificate\s+\S+;", f"ssl_certificate {self.cert};", 1)
        text = replace(text, r"\bssl_certificate_key\s+\S+;", f"ssl_certificate_key {self.key};", 1)
        return replace(text, r"\bproxy_pass http://127\.0\.0\.1:\d+;", f"proxy_pass http://127.0.0.1:{upstream_port};", 1)

    def nginx_log(self):
        out = []
        for name in ("stderr.log", "error.log"):
            path = os.path.join(self.ngx, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    out.append(f"--- nginx {name}:\n" + f.read())
        return "\n".join(out)

    def start_nginx(self, upstream_port):
        site = os.path.join(self.ngx, "dpmon.conf")
        with open(site, "w") as f:
            f.write(self.site(upstream_port))
        # As root, nginx's workers would otherwise run as nobody; run them as whoever runs the test.
        user = (f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};\n"
                if os.geteuid() == 0 else "")
        temp = "".join(f"    {kind}_temp_path {self.ngx}/{kind}_temp;\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = os.path.join(self.ngx, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""{user}worker_processes 1;
error_log {self.ngx}/error.log info;
lock_file {self.ngx}/nginx.lock;
events {{ worker_connections 64; }}
http {{
    access_log {self.ngx}/access.log;
{temp}    include {site};
}}
""")
        stderr = open(os.path.join(self.ngx, "stderr.log"), "w")
        proc = subprocess.Popen([NGINX, "-p", self.ngx + "/", "-c", conf, "-e", os.path.join(self.ngx, "error.log"),
                                 "-g", f"daemon off; pid {self.ngx}/nginx.pid;"],
                                stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, start_new_session=True)
        stderr.close()
        try:
            deadline = time.monotonic() + 15
            while True:
                if proc.poll() is not None:
                    raise AssertionError(f"nginx exited with {proc.returncode}:\n" + self.nginx_log())
                try:
                    socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                    socket.create_connection(("127.0.0.1", self.http_port), timeout=1).close()
                    return proc
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError("nginx did not listen within 15 s:\n" + self.nginx_log())
                time.sleep(0.05)
        except BaseException:
            self.stop_nginx(proc)
            raise

    def stop_nginx(self, proc):
        """SIGQUIT (finish the requests in hand), then SIGTERM, then SIGKILL to nginx's own process group."""
        for signo, wait in ((signal.SIGQUIT, 5), (signal.SIGTERM, 5)):
            if proc.poll() is None:
                proc.send_signal(signo)
                try:
                    proc.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the master's group (start_new_session): any worker left behind
        except ProcessLookupError:
            pass
        if proc.poll() is None:
            proc.wait(timeout=5)

    # --- HTTP through nginx -------------------------------------------------------------------------------------

    def fetch(self, path, method="GET", headers=(), form=None, scheme="https"):
        """curl to https://dpmon.test:<port> (resolved to 127.0.0.1, the test certificate trusted); returns
        (status, {lower-case header: [values]}, body, HTTP version)."""
        port = self.https_port if scheme == "https" else self.http_port
        head = os.path.join(self.tmp, "headers")
        args = ["curl", "-sS", "--max-time", "10", "--resolve", f"{HOST}:{port}:127.0.0.1", "--cacert", self.cert,
                "-D", head, "-o", "-", "-w", "\n%{http_version}", "-X", method]
        for h in headers:
            args += ["-H", h]
        if form is not None:
            args += ["-H", "Content-Type: application/x-www-form-urlencoded", "--data-raw", urllib.parse.urlencode(form)]
        out = subprocess.run(args + [f"{scheme}://{HOST}:{port}{path}"], capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, f"curl {method} {path}: {out.stderr}\n" + self.nginx_log())
        body, _, version = out.stdout.rpartition("\n")
        with open(head) as f:
            lines = f.read().splitlines()
        status = int(lines[0].split()[1])
        fields = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                fields.setdefault(name.strip().lower(), []).append(value.strip())
        return status, fields, body, version

    def api(self, path):
        status, _, body, _ = self.fetch(path, headers=[f"Authorization: Bearer {self.token}"])
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def flag(self, ref, flag_id):
        flags = self.api(f"/api/v1/flags?account={urllib.parse.quote(ref)}&limit=1000")["flags"]
        return next(f for f in flags if f["id"] == flag_id)

    # --- the test -----------------------------------------------------------------------------------------------

    def test_signing_in_and_acknowledging_a_flag_through_the_production_nginx_site_over_tls(self):
        with Daemon(self.config) as d:
            nginx = self.start_nginx(d.port)
            try:
                self.walk_through(d)
            finally:
                self.stop_nginx(nginx)
            self.assertEqual(d.stop()[0], 0, d.log())
        self.assertIsNotNone(nginx.returncode)

    def walk_through(self, d):
        status, fields, body, version = self.fetch("/healthz")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["status"], "ok")
        self.assertTrue(fields.get("strict-transport-security", [""])[0].startswith("max-age="), fields)
        curl_features = subprocess.run(["curl", "-V"], capture_output=True, text=True, timeout=10).stdout
        if "HTTP2" in curl_features:
            self.assertEqual(version, "2", "the site should speak HTTP/2 (listen ... ssl http2)")

        # Plain http only redirects to https.
        status, fields, _, _ = self.fetch("/healthz", scheme="http")
        self.assertEqual(status, 301)
        self.assertEqual(fields["location"], [f"https://{HOST}/healthz"])

        # The demo's statements are imported and reconciled: open flags to act on.
        harness.wait_for(lambda: len(self.api("/api/v1/flags?state=open")["flags"]) > 0, timeout=60,
                         what="open flags from the demo data")

        # No session: the worklist sends you to sign in, and comes back.
        status, fields, body, _ = self.fetch("/")
        self.assertEqual(status, 303, body)
        self.assertEqual(fields["location"], ["/sign-in?next=%2F"])
        status, _, body, _ = self.fetch("/sign-in?next=%2F")
        self.assertEqual(status, 200, body)
        self.assertIn('name="token"', body)

        # Signing in (the form is sent from the proxy's own origin, as a browser does).
        status, _, body, _ = self.fetch("/sign-in", "POST", [f"Origin: {self.origin}"], {"token": "not-a-token", "next": "/"})
        self.assertEqual(status, 401, body)
        status, fields, body, _ = self.fetch("/sign-in", "POST", [f"Origin: {self.origin}"], {"token": self.token, "next": "/"})
        self.assertEqual(status, 303, body)
        self.assertEqual(fields["location"], ["/"])
        cookies = [c for c in fields.get("set-cookie", []) if c.startswith("dpmon_session=")]
        self.assertEqual(len(cookies), 1, fields)
        attributes = [a.strip().lower() for a in cookies[0].split(";")[1:]]
        for wanted in ("secure", "httponly", "samesite=strict", "path=/"):
            self.assertIn(wanted, attributes, cookies[0])
        session = cookies[0].split(";", 1)[0]
        cookie = f"Cookie: {session}"

        status, fields, body, _ = self.fetch("/", headers=[cookie])
        self.assertEqual(status, 200, body)
        self.assertTrue(fields["content-type"][0].startswith("text/html"), fields)
        self.assertIn("Worklist", body)
        self.assertIn(OFFICER, body)

        # An account with an open flag, and its page's acknowledge form.
        ref = self.api("/api/v1/flags?state=open&limit=1")["flags"][0]["account_ref"]
        page = f"/accounts/{urllib.parse.quote(ref)}"
        status, _, body, _ = self.fetch(page, headers=[cookie])
        self.assertEqual(status, 200, body)
        csrf = re.search(r'<input type="hidden" name="csrf" value="([^"]+)"', body)
        self.assertIsNotNone(csrf, body)
        csrf = html.unescape(csrf.group(1))
        forms = re.findall(r'<form method="post" action="([^"]*/flags/(\d+)/acknowledge)"', body)
        self.assertTrue(forms, "no acknowledge form on " + page)
        action, flag_id = html.unescape(forms[0][0]), int(forms[0][1])
        self.assertEqual(self.flag(ref, flag_id)["state"], "open")
        note = "Checked with the family through the proxy"

        # Refused: the form without its CSRF token, and the form sent from another site.
        status, _, body, _ = self.fetch(action, "POST", [cookie, f"Origin: {self.origin}"], {"note": note})
        self.assertEqual(status, 403, body)
        self.assertIn("CSRF", body)
        status, _, body, _ = self.fetch(action, "POST", [cookie, "Origin: https://evil.example"], {"csrf": csrf, "note": note})
        self.assertEqual(status, 403, body)
        self.assertIn("cross-origin", body)
        self.assertEqual(self.flag(ref, flag_id)["state"], "open", "a refused form changed the flag")

        # Sent as the page sends it: acknowledged, in the officer's name.
        status, fields, body, _ = self.fetch(action, "POST", [cookie, f"Origin: {self.origin}"], {"csrf": csrf, "note": note})
        self.assertEqual(status, 303, body)
        self.assertEqual(fields["location"], [f"{page}#flag-{flag_id}"])
        flag = self.flag(ref, flag_id)
        self.assertEqual(flag["state"], "acknowledged", flag)
        self.assertEqual(flag["acknowledged"]["by"], OFFICER, flag)
        self.assertEqual(flag["acknowledged"]["note"], note, flag)
        status, _, body, _ = self.fetch(page, headers=[cookie])
        self.assertEqual(status, 200, body)
        self.assertIn(f"Flag {flag_id} acknowledged.", body)

        # The CSV download comes through whole.
        status, fields, body, _ = self.fetch(f"/api/v1/accounts/{urllib.parse.quote(ref)}/transactions?format=csv",
                                             headers=[f"Authorization: Bearer {self.token}"])
        self.assertEqual(status, 200, body)
        self.assertTrue(body.startswith("date,amount,description,"), body[:200])

        self.assertNotIn(self.token, d.log())


if __name__ == "__main__":
    harness.main()
