# -*- coding: utf-8 -*-
"""Runs `smharden check` or `smharden apply` on the target host and returns its JSON report.

The controller side of the smharden.hardening.run module (its documentation is in
plugins/modules/run.py). The command runs on the host through ansible.windows.win_command
(PowerShell hosts) or ansible.builtin.command (others); secrets go on its standard input with
`--secret-stdin NAME`, never on its command line.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

ARGUMENT_SPEC = {
    "binary": {"type": "str", "default": "smharden"},
    "profile": {"type": "str", "required": True},
    "target": {"type": "str"},
    "mode": {"type": "str", "default": "apply", "choices": ["check", "apply"]},
    "only": {"type": "list", "elements": "str", "default": []},
    "skip": {"type": "list", "elements": "str", "default": []},
    "tags": {"type": "list", "elements": "str", "default": []},
    "secrets": {"type": "dict", "default": {}, "no_log": True},
    "no_restart": {"type": "bool", "default": False},
    "wait_lock": {"type": "int", "default": 0},
    "fail_on_drift": {"type": "bool", "default": False},
    "report_dir": {"type": "path"},
}

SECRET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Exit codes of smharden (docs/user-guide.md "Statuses and exit codes").
EXIT_OK, EXIT_DRIFT = 0, 3
NOT_OK = ("failed", "error", "blocked")


def short(value, limit=200):
    """A finding's current or desired value on one line."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def build_argv(args, mode):
    """The command line: secret names only, never their values."""
    argv = [args["binary"]]
    for name in sorted(args["secrets"]):
        argv += ["--secret-stdin", name]
    argv += [mode, "--profile", args["profile"], "--format", "json"]
    if args["target"]:
        argv += ["--target", args["target"]]
    for option in ("only", "skip", "tags"):
        if args[option]:
            argv += ["--" + option, ",".join(args[option])]
    if mode == "apply":
        argv.append("--yes")
        if args["no_restart"]:
            argv.append("--no-restart")
        if args["wait_lock"]:
            argv += ["--wait-lock", str(args["wait_lock"])]
    return argv


def secrets_stdin(secrets):
    """One line per secret, in the order of build_argv's --secret-stdin options."""
    lines = []
    for name in sorted(secrets):
        if not SECRET_NAME.match(name):
            raise AnsibleActionFail("secrets: %r is not a secret name (letters, digits, '_', '.', '-')" % name)
        value = to_text(secrets[name])
        if "\n" in value or "\r" in value:
            raise AnsibleActionFail("secrets: the value of %s holds a line break; smharden reads one line per secret" % name)
        lines.append(value)
    return "\n".join(lines) if lines else None


def failed_steps(report):
    """Each step that failed, with the finding that is still open (or the reason when none is)."""
    out = []
    for step in report.get("steps", []):
        if step.get("status") not in NOT_OK:
            continue
        entry = {"step": step.get("id"), "status": step.get("status"), "reason": step.get("reason", "")}
        open_findings = [f for f in step.get("findings", []) if "waived" not in f]
        if open_findings:
            f = open_findings[0]
            entry["finding"] = f.get("id")
            entry["finding_title"] = f.get("title", "")
            entry["current"] = f.get("current")
            entry["desired"] = f.get("desired")
        out.append(entry)
    return out


def failure_text(report, rc):
    """What failed, step and finding first: the message of a failed host."""
    parts = []
    for f in failed_steps(report):
        text = "step %s %s" % (f["step"], f["status"])
        if "finding" in f:
            text += ": finding %s: %s (current: %s, desired: %s)" % (
                f["finding"], f["finding_title"], short(f["current"]), short(f["desired"]))
        elif f["reason"]:
            text += ": " + f["reason"]
        parts.append(text)
    for r in report.get("restarts", []):
        if r.get("status") == "failed":
            parts.append("restart of %s %s failed: %s" % (r.get("kind"), r.get("name"), r.get("message", "")))
    parts += report.get("notices", [])
    detail = "; ".join(parts) if parts else "see the report"
    return "smharden %s on %s exited %d: %s" % (report.get("mode", "?"), report.get("target", "?"), rc, detail)


def would_change(report):
    """Check mode: a step that drifts with an open finding apply can fix."""
    for step in report.get("steps", []):
        if step.get("status") != "drift":
            continue
        for f in step.get("findings", []):
            if "waived" not in f and f.get("automated", True):
                return True
    return False


def write_report(report_dir, host, report):
    """The host's report on the controller, as REPORT_DIR/HOST.json (written atomically)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", host)
    os.makedirs(report_dir, exist_ok=True)
    path = os.path.join(report_dir, name + ".json")
    fd, tmp = tempfile.mkstemp(dir=report_dir, prefix="." + name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def _run_on_host(self, argv, stdin, task_vars):
        powershell = getattr(self._connection._shell, "SHELL_FAMILY", "") == "powershell"
        module = "ansible.windows.win_command" if powershell else "ansible.builtin.command"
        module_args = {"argv": argv}
        if stdin is not None:
            module_args["stdin"] = stdin
        # smharden check changes nothing, so it runs in check mode too; with secrets, the module's
        # own invocation logging (syslog, the Windows event log) is off, as its stdin holds them.
        saved = (self._task.check_mode, self._task.no_log)
        self._task.check_mode = False
        self._task.no_log = saved[1] or stdin is not None
        try:
            return self._execute_module(module_name=module, module_args=module_args, task_vars=task_vars)
        finally:
            self._task.check_mode, self._task.no_log = saved

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        _, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        mode = "check" if self._task.check_mode else args["mode"]
        argv = build_argv(args, mode)
        stdin = secrets_stdin(args["secrets"])
        out = self._run_on_host(argv, stdin, task_vars or {})

        rc = out.get("rc")
        result.update({"rc": rc, "cmd": argv, "mode": mode, "stderr": out.get("stderr", ""), "changed": False})
        try:
            report = json.loads(out.get("stdout", ""))
            if not isinstance(report, dict) or report.get("schema") != "smharden.report/1":
                raise ValueError("not a smharden report")
        except ValueError:
            result["failed"] = True
            result["msg"] = "smharden %s exited %s without a report: %s" % (
                mode, rc, (out.get("stderr") or out.get("msg") or "").strip())
            return result

        result["report"] = report
        result["summary"] = report.get("summary", {})
        result["drift"] = rc == EXIT_DRIFT
        result["failed_steps"] = failed_steps(report)
        if args["report_dir"]:
            host = (task_vars or {}).get("inventory_hostname", "host")
            result["report_file"] = write_report(args["report_dir"], host, report)
        if mode == "apply":
            # A failed apply that smharden rolled back completely left the host as it was.
            rolled_back = report.get("rollback", {}).get("complete") is True
            result["changed"] = not rolled_back and any(step.get("changes") for step in report.get("steps", []))
        elif self._task.check_mode:
            result["changed"] = would_change(report)
        if rc not in (EXIT_OK, EXIT_DRIFT) or (rc == EXIT_DRIFT and args["fail_on_drift"]):
            result["failed"] = True
            result["msg"] = failure_text(report, rc)
            if result["failed_steps"]:
                result["failed_step"] = result["failed_steps"][0]["step"]
                result["failed_finding"] = result["failed_steps"][0].get("finding")
        else:
            result["failed"] = False  # drift (exit 3) is a result, not a failure of the task
            result["msg"] = "smharden %s: %s" % (mode, ", ".join(
                "%d %s" % (n, s) for s, n in sorted(result["summary"].items()) if n))
        return result
