"""dpmon check-config and the two executables' --help and --version."""

import os
import subprocess

import harness
from harness import TempStateTest


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30)


class CheckConfig(TempStateTest):
    def test_a_valid_config_prints_the_effective_config_and_exits_0(self):
        r = run(harness.ARGS.dpmon, "--config", self.config, "check-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f'state_dir = "{self.state}"', r.stdout)
        self.assertIn("surplus_threshold_weeks = 8", r.stdout)  # a default filled in
        self.assertIn("is valid", r.stderr)

    def test_an_unknown_key_exits_2_naming_the_key_and_its_line(self):
        with open(self.config, "a") as f:
            f.write("\n[policy]\nsurplus_treshold_weeks = 6\n")
        lines = open(self.config).read().split("\n")
        line = lines.index("surplus_treshold_weeks = 6") + 1
        r = run(harness.ARGS.dpmon, "--config", self.config, "check-config")
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"{self.config}:{line}:1: key 'policy.surplus_treshold_weeks': unknown key", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_a_wrong_type_exits_2_with_the_expected_form(self):
        with open(self.config, "a") as f:
            f.write("\n[policy]\nreminder_days = \"28, 7\"\n")
        r = run(harness.ARGS.dpmon, "--config", self.config, "check-config")
        self.assertEqual(r.returncode, 2)
        self.assertIn("key 'policy.reminder_days': expected a list of whole numbers", r.stderr)

    def test_a_missing_file_exits_2_and_says_what_to_do(self):
        r = run(harness.ARGS.dpmon, "--config", os.path.join(self.tmp, "absent.toml"), "check-config")
        self.assertEqual(r.returncode, 2)
        self.assertIn("absent.toml", r.stderr)
        self.assertIn("--config", r.stderr)

    def test_both_programs_answer_help_and_version(self):
        for exe in (harness.ARGS.dpmond, harness.ARGS.dpmon):
            r = run(exe, "--help")
            self.assertEqual(r.returncode, 0)
            self.assertIn("--config", r.stdout)
            r = run(exe, "--version")
            self.assertEqual(r.returncode, 0)
            self.assertRegex(r.stdout.strip(), r"^dpmond? \d+\.\d+\.\d+$")

    def test_demo_data_is_written_into_plans_and_statements(self):
        out = os.path.join(self.tmp, "demo")
        r = run(harness.ARGS.dpmon, "demo-data", "--out", out, "--accounts", "3", "--months", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(out, "plans", "demo-accounts.json")))
        statements = os.listdir(os.path.join(out, "statements"))
        self.assertGreaterEqual(len(statements), 3)
        self.assertFalse([n for n in statements if n.startswith(".")])


if __name__ == "__main__":
    harness.main()
