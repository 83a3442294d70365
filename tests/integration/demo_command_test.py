"""The README's run command (scripts/demo.sh) brings dpmond up on demo data, and again on the same state."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import harness
from harness import curl

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DemoCommand(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dpmon-demo-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def start(self):
        build = os.path.dirname(os.path.dirname(harness.ARGS.dpmond))
        env = dict(os.environ, DPMON_DEMO_STATE=os.path.join(self.tmp, "demo"), DPMON_DEMO_LISTEN="127.0.0.1:0",
                   DPMON_BUILD_DIR=build)
        proc = subprocess.Popen(["bash", os.path.join(SOURCE, "scripts", "demo.sh")], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        lines, port = [], []

        def read():
            for line in proc.stdout:
                lines.append(line)
                if "listening on http://" in line and not port:
                    port.append(int(line.rsplit(":", 1)[1]))

        t = threading.Thread(target=read, daemon=True)
        t.start()
        deadline = time.monotonic() + 240
        while not port and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if not port:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            self.fail("the demo never listened:\n" + "".join(lines))
        return proc, port[0], lines, t

    def stop(self, proc, t):
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=5)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        t.join(timeout=2)
        proc.stdout.close()
        return code

    def sign_in_and_acknowledge_a_flag(self, port, lines):
        """What the printed text tells a new user to do: sign in with the printed token, open the account most
        at stake, acknowledge one of its flags."""
        text = "".join(lines)
        self.assertIn("the dashboard is at http://127.0.0.1:0/", text)
        token = text.split("sign in with this token (Demo Officer, a finance officer):\n", 1)[1].split("\n", 1)[0].strip()
        base, jar = f"http://127.0.0.1:{port}", os.path.join(self.tmp, "cookies")
        code, _ = curl(base + "/sign-in", "-c", jar, "--data-urlencode", f"token={token}", "--data", "next=/", auth=False)
        self.assertEqual(code, 303)
        pages = []

        def worklist_has_an_account():
            pages.append(curl(base + "/", "-b", jar, auth=False)[1])
            return '<a href="/accounts/' in pages[-1]

        harness.wait_for(worklist_has_an_account, timeout=60, what="an account on the worklist")
        account = pages[-1].split('<a href="/accounts/', 1)[1].split('"', 1)[0]
        code, page = curl(f"{base}/accounts/{account}", "-b", jar, auth=False)
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        action = page.split('/acknowledge"', 1)[0].rsplit('action="', 1)[1] + "/acknowledge"
        code, _ = curl(base + action, "-b", jar, "--data", f"csrf={csrf}&note=looked+at+it", auth=False)
        self.assertEqual(code, 303)
        flag_id = int(action.split("/flags/", 1)[1].split("/", 1)[0])
        code, body = curl(f"{base}/api/v1/flags?account={account}", "-H", f"Authorization: Bearer {token}")
        flag = next(f for f in json.loads(body)["flags"] if f["id"] == flag_id)
        self.assertEqual(flag["acknowledged"]["by"], "Demo Officer")

    def test_the_run_command_serves_health_on_demo_data_and_restarts_on_the_same_state(self):
        for attempt in range(2):
            proc, port, lines, t = self.start()
            code, body = curl(f"http://127.0.0.1:{port}/healthz")
            self.assertEqual((code, json.loads(body)["status"]), (200, "ok"), "".join(lines) + body)
            if attempt == 0:
                self.sign_in_and_acknowledge_a_flag(port, lines)
            self.assertEqual(self.stop(proc, t), 0, "".join(lines))
        demo = os.path.join(self.tmp, "demo")
        written = [f for _, _, files in os.walk(demo) for f in files if f.endswith("demo-accounts.json")]
        self.assertTrue(written, "the demo's plan file, in the drop folder or archived once imported")
        self.assertEqual(os.stat(os.path.join(demo, "api-token")).st_mode & 0o777, 0o600)


if __name__ == "__main__":
    harness.main()
