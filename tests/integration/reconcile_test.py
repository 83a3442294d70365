"""Reconciliation through the real CLI on real SQLite files: the figures and flags do not depend on the order
statements were imported in, a full pass (read on a second connection and thread) gives what reconciling each
account alone gives, and reconciling again changes nothing."""

import json
import os
import random
import subprocess

import harness
from harness import TempStateTest, write_config

TODAY = "2026-11-28"


class Reconcile(TempStateTest):
    def run_cli(self, config, *args):
        r = subprocess.run([harness.ARGS.dpmon, "--config", config, *args], capture_output=True, text=True, timeout=180)
        self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
        return r.stdout

    def make_state(self, name, demo, statements):
        folder = os.path.join(self.tmp, name)
        config = write_config(folder, path=os.path.join(self.tmp, name + ".toml"))
        self.run_cli(config, "plans", "import", os.path.join(demo, "plans", "demo-accounts.json"))
        for chunk in range(0, len(statements), 25):
            self.run_cli(config, "import", *statements[chunk:chunk + 25])
        return config

    def picture(self, config):
        """Everything an officer sees that reconciliation decides, without ids and timestamps."""
        flags = json.loads(self.run_cli(config, "flags", "--state", "", "--json"))["flags"]
        accounts = json.loads(self.run_cli(config, "accounts", "--json"))["accounts"]
        periods = {a["account_ref"]: [json.dumps(p, sort_keys=True) for p in json.loads(self.run_cli(config, "account", a["account_ref"], "--json"))["periods"]]
                   for a in accounts}
        return (sorted((f["account_ref"], f["code"], f["state"], f["amount"], f["reason"]) for f in flags),
                sorted((a["account_ref"], a["balance"], a["open_flags"], a["recoverable_surplus"]) for a in accounts),
                periods)

    def test_import_order_and_one_pass_or_one_account_at_a_time_give_the_same_figures_and_flags(self):
        demo = os.path.join(self.tmp, "demo")
        r = subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", demo, "--until", TODAY], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        statements = sorted(os.path.join(demo, "statements", n) for n in os.listdir(os.path.join(demo, "statements")))
        self.assertGreater(len(statements), 20)

        in_order = self.make_state("in-order", demo, statements)
        shuffled = list(statements)
        random.Random(7).shuffle(shuffled)
        out_of_order = self.make_state("shuffled", demo, shuffled)

        # One full pass over every account here ...
        out = self.run_cli(in_order, "reconcile", "--today", TODAY)
        self.assertIn("reconciled 12 account(s)", out)
        # ... and each account alone there.
        refs = [a["account_ref"] for a in json.loads(self.run_cli(out_of_order, "accounts", "--json"))["accounts"]]
        self.assertEqual(len(refs), 12)
        for ref in refs:
            self.assertIn("reconciled 1 account(s)", self.run_cli(out_of_order, "reconcile", ref, "--today", TODAY))

        first = self.picture(in_order)
        self.assertGreater(len(first[0]), 10, "the demo data raises flags")
        self.assertEqual(first, self.picture(out_of_order))

        # Reconciling again changes nothing: no flag raised or resolved, the same picture.
        out = self.run_cli(in_order, "reconcile", "--today", TODAY)
        self.assertIn("0 flag(s) raised, 0 resolved, 0 transaction(s) recategorised", out)
        self.assertEqual(first, self.picture(in_order))


if __name__ == "__main__":
    harness.main()
