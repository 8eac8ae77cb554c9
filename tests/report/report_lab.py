"""A check on a lab with hostile target text and one waived finding, for the report format tests.

check_with_reports(smharden, profile, tmp, args) makes a lab whose SmarterMail
whitelist descriptions hold markup and control characters, runs a first check to
find a finding, writes a profile extending PROFILE that waives it, and runs
`smharden check` again with ARGS (e.g. --report x.html). Returns the JSON report
of that second run and the completed process.
"""
import json
import os
import subprocess

HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>\x1b[2J\x7f\x85\ufffe end"
WAIVER_REASON = "<b>vendor</b> ticket & co"
WAIVER_EXPIRES = "2099-12-31"


def fail(message):
    print("FAIL: " + message)
    raise SystemExit(1)


def skip(message):
    """Exit 77 (ctest: skipped) outside CI; in CI (CI=true) a missing tool is a failure."""
    if os.environ.get("CI") == "true":
        fail(message + " (CI=true: this test must run in CI)")
    print("SKIP: " + message)
    raise SystemExit(77)


def hostile_lab(smharden, tmp, text):
    """A fresh lab in TMP whose whitelist entries all carry TEXT as description and bypass
    SMTP authentication; returns the lab folder and the environment (its own state folder)."""
    env = dict(os.environ, SMHARDEN_STATE_DIR=os.path.join(tmp, "state"))
    lab = os.path.join(tmp, "lab")
    subprocess.run([smharden, "lab", "init", lab], check=True, env=env, capture_output=True)
    path = os.path.join(lab, "smartermail", "ip-access-whitelist.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for entry in doc["ipAccessList"]:
        entry["description"] = text
        entry["bypass"] = True
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return lab, env


def check_with_reports(smharden, profile, tmp, args):
    lab, env = hostile_lab(smharden, tmp, HOSTILE)

    base = [smharden, "check", "--target", "lab:" + lab]
    first = subprocess.run(base + ["--profile", profile, "--format", "json"], env=env, capture_output=True)
    if first.returncode not in (0, 3):
        fail(f"first check exited {first.returncode}: {first.stderr.decode(errors='replace')}")
    report = json.loads(first.stdout)
    waived = next(((s["id"], f["id"]) for s in report["steps"] for f in s["findings"]), None)
    if waived is None:
        fail("a fresh lab with a hostile whitelist has no finding to waive")
    leaf = os.path.join(tmp, "waived.json")
    with open(leaf, "w", encoding="utf-8") as f:
        json.dump({"name": "waived", "extends": os.path.abspath(profile),
                   "waivers": [{"step": waived[0], "finding": waived[1], "reason": WAIVER_REASON,
                                "expires": WAIVER_EXPIRES}]}, f)
    run = subprocess.run(base + ["--profile", leaf, "--format", "json"] + args, env=env, capture_output=True)
    if run.returncode not in (0, 3):
        fail(f"check exited {run.returncode}: {run.stderr.decode(errors='replace')}")
    report = json.loads(run.stdout)
    if not any("waived" in f for s in report["steps"] for f in s["findings"]):
        fail(f"the waiver of {waived} did not apply")
    return report, run
