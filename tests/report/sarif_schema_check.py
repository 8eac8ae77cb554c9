#!/usr/bin/env python3
"""The SARIF report of a real check, validated against the SARIF 2.1.0 schema.

Usage: sarif_schema_check.py SMHARDEN PROFILE NPM_DIR

Installs Microsoft's SARIF Multitool from the npm registry into NPM_DIR (in the
build tree; reused when already there), runs `smharden check --report x.sarif`
on a lab with hostile target text and a waived finding, and validates the file
twice: with the Multitool's `validate` verb (the schema and the spec's rules; no
error and no warning but the missing informationUri, as smharden has no public
web page) and with python3-jsonschema against the schema the Multitool ships. A
deliberately broken copy must fail both, so a vacuous pass cannot hide. Without
npm or the registry the test is skipped (exit 77), except in CI.
"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_lab import WAIVER_EXPIRES, WAIVER_REASON, check_with_reports, fail, skip  # noqa: E402

MULTITOOL = "@microsoft/sarif-multitool@5.7.0"
ALLOWED_WARNINGS = {"Warning_ProvideToolnformationUri"}


def install(npm_dir):
    package = os.path.join(npm_dir, "node_modules", "@microsoft", "sarif-multitool-linux")
    tool = os.path.join(package, "Sarif.Multitool")
    if not os.path.exists(tool):
        npm = shutil.which("npm")
        if npm is None:
            skip("npm is not installed (Debian packages: nodejs, npm)")
        os.makedirs(npm_dir, exist_ok=True)
        run = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", npm_dir, MULTITOOL],
                             capture_output=True, timeout=600)
        if run.returncode != 0 or not os.path.exists(tool):
            skip(f"npm could not install {MULTITOOL}: {run.stderr.decode(errors='replace')[-2000:]}")
    os.chmod(tool, 0o755)
    return tool, os.path.join(package, "sarif-2.1.0.json")


def multitool_problems(tool, path, tmp):
    """Errors and warnings the Multitool's validate verb reports for `path`."""
    out = os.path.join(tmp, "validation.sarif")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    run = subprocess.run([tool, "validate", path, "--output", out], capture_output=True, env=env, timeout=300)
    if not os.path.exists(out):
        fail(f"the Multitool wrote no validation log (exit {run.returncode}): {run.stdout.decode(errors='replace')}")
    with open(out, encoding="utf-8-sig") as f:
        log = json.load(f)
    problems = []
    for result in log["runs"][0].get("results", []):
        level = result.get("level", "warning")
        message_id = result.get("message", {}).get("id", "")
        if level == "error" or (level == "warning" and message_id not in ALLOWED_WARNINGS):
            problems.append(f"{result.get('ruleId')} {level} {message_id} {result.get('message', {}).get('arguments')}")
    return problems


def schema_problems(schema, document):
    import jsonschema  # python3-jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]


def main():
    smharden, profile, npm_dir = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    tool, schema_path = install(npm_dir)
    with open(schema_path, encoding="utf-8-sig") as f:
        schema = json.load(f)
    with tempfile.TemporaryDirectory(prefix="smharden-sarif-") as tmp:
        path = os.path.join(tmp, "report.sarif")
        report, _ = check_with_reports(smharden, profile, tmp, ["--report", path])
        with open(path, "rb") as f:
            raw = f.read()
        sarif = json.loads(raw.decode("utf-8"))

        problems = multitool_problems(tool, path, tmp) + schema_problems(schema, sarif)
        if problems:
            fail("the SARIF report is not valid SARIF 2.1.0:\n" + "\n".join(problems))

        broken = copy.deepcopy(sarif)
        del broken["runs"][0]["tool"]["driver"]
        broken_path = os.path.join(tmp, "broken.sarif")
        with open(broken_path, "w", encoding="utf-8") as f:
            json.dump(broken, f)
        if not multitool_problems(tool, broken_path, tmp) or not schema_problems(schema, broken):
            fail("a SARIF file without tool.driver passed validation: the validators do not validate")

        run = sarif["runs"][0]
        rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
        missing = [s["id"] for s in report["steps"] if s["id"] not in rules]
        if missing:
            fail(f"steps without a rule: {missing}")
        suppressed = [r for r in run["results"] if r.get("suppressions")]
        if len(suppressed) != 1 or suppressed[0]["suppressions"][0] != {
                "kind": "external", "status": "accepted", "justification": WAIVER_REASON,
                "properties": {"expires": WAIVER_EXPIRES}}:
            fail(f"the waived finding is not one accepted suppression: {suppressed}")
        open_findings = sum(1 for s in report["steps"] if s["status"] not in ("compliant", "applied", "skipped")
                            for f in s["findings"] if "waived" not in f)
        if sum(1 for r in run["results"] if not r.get("suppressions")) < open_findings:
            fail("an open finding of the JSON report is not a SARIF result")
    print(f"ok: SARIF 2.1.0 valid ({len(run['results'])} results, {len(rules)} rules)")


if __name__ == "__main__":
    main()
