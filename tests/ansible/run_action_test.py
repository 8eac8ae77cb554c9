#!/usr/bin/env python3
"""The pure parts of the smharden.hardening.run action: the command line never holds a secret's
value, secrets go one per line in the order of their --secret-stdin options, a value with a line
break is refused without showing it, and a failed host's message names the step and the finding.

Usage: run_action_test.py COLLECTION_DIR   (with Debian's python3, which has ansible)
"""
import importlib.util
import os
import sys
import unittest

from ansible.errors import AnsibleActionFail

ACTION = None


def load(collection):
    spec = importlib.util.spec_from_file_location("smharden_run_action",
                                                  os.path.join(collection, "plugins", "action", "run.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def args(**over):
    a = {"binary": "smharden", "profile": "baseline", "target": None, "mode": "apply", "only": [], "skip": [],
         "tags": [], "secrets": {}, "no_restart": False, "wait_lock": 0, "fail_on_drift": False, "report_dir": None}
    a.update(over)
    return a


class RunActionTest(unittest.TestCase):
    def test_secret_values_never_reach_the_command_line(self):
        secrets = {"smartermail_password": "pw-Alpha-1", "iis-pool.password": "pw-Beta-2"}
        argv = ACTION.build_argv(args(secrets=secrets, skip=["a", "b"]), "apply")
        self.assertEqual(argv[:5], ["smharden", "--secret-stdin", "iis-pool.password", "--secret-stdin",
                                    "smartermail_password"])
        self.assertNotIn("pw-Alpha-1", " ".join(argv))
        self.assertNotIn("pw-Beta-2", " ".join(argv))
        self.assertIn("--yes", argv)
        self.assertEqual(argv[argv.index("--skip") + 1], "a,b")
        # stdin: one line per secret, in the order of the options
        self.assertEqual(ACTION.secrets_stdin(secrets), "pw-Beta-2\npw-Alpha-1")
        self.assertIsNone(ACTION.secrets_stdin({}))

    def test_check_has_no_yes(self):
        argv = ACTION.build_argv(args(), "check")
        self.assertIn("check", argv)
        self.assertNotIn("--yes", argv)
        self.assertNotIn("apply", argv)

    def test_a_value_with_a_line_break_is_refused_without_showing_it(self):
        with self.assertRaises(AnsibleActionFail) as e:
            ACTION.secrets_stdin({"smartermail_password": "first\nsecond"})
        self.assertIn("smartermail_password", str(e.exception))
        self.assertNotIn("first", str(e.exception))
        with self.assertRaises(AnsibleActionFail):
            ACTION.secrets_stdin({"--profile": "x"})

    def test_the_failure_names_the_step_and_the_finding(self):
        report = {"mode": "apply", "target": "lab:/l", "steps": [
            {"id": "ok", "status": "applied", "findings": [{"id": "x"}]},
            {"id": "relay", "status": "failed", "reason": "verify: 1 finding(s) remain",
             "findings": [{"id": "waived-one", "waived": {}}, {"id": "open-relay", "title": "relay is open",
                                                                "current": {"open": True}, "desired": "closed"}]},
            {"id": "ids", "status": "error", "reason": "ids-rules.json: line 2"}],
            "restarts": [{"kind": "service", "name": "SmarterMail", "status": "failed", "message": "disabled"}],
            "notices": ["rolled back"]}
        text = ACTION.failure_text(report, 4)
        self.assertIn('step relay failed: finding open-relay: relay is open (current: {"open": true}, desired: closed)',
                      text)
        self.assertIn("step ids error: ids-rules.json: line 2", text)
        self.assertIn("restart of service SmarterMail failed: disabled", text)
        self.assertIn("rolled back", text)
        self.assertEqual([f["step"] for f in ACTION.failed_steps(report)], ["relay", "ids"])

    def test_check_mode_changes_only_for_what_apply_can_fix(self):
        manual = {"steps": [{"status": "drift", "findings": [{"automated": False}]}]}
        waived = {"steps": [{"status": "drift", "findings": [{"automated": True, "waived": {}}]}]}
        fixable = {"steps": [{"status": "drift", "findings": [{"automated": True}]}]}
        self.assertFalse(ACTION.would_change(manual))
        self.assertFalse(ACTION.would_change(waived))
        self.assertTrue(ACTION.would_change(fixable))


if __name__ == "__main__":
    ACTION = load(os.path.abspath(sys.argv.pop(1)))
    unittest.main()
