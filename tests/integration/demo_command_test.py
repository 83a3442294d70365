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

    def test_the_run_command_serves_health_on_demo_data_and_restarts_on_the_same_state(self):
        for _ in range(2):
            proc, port, lines, t = self.start()
            code, body = curl(f"http://127.0.0.1:{port}/healthz")
            self.assertEqual((code, json.loads(body)["status"]), (200, "ok"), "".join(lines) + body)
            self.assertEqual(self.stop(proc, t), 0, "".join(lines))
        demo = os.path.join(self.tmp, "demo")
        self.assertTrue(os.path.exists(os.path.join(demo, "drop", "plans", "demo-accounts.json")))
        self.assertEqual(os.stat(os.path.join(demo, "api-token")).st_mode & 0o777, 0o600)


if __name__ == "__main__":
    harness.main()
