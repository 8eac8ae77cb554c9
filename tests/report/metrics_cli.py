#!/usr/bin/env python3
"""`smharden check --metrics FILE.prom` through the real CLI.

Usage: metrics_cli.py SMHARDEN PROFILE

The file parses line by line as Prometheus text exposition format (HELP, TYPE
gauge, samples with escaped label values, no timestamps), has one compliance
gauge per step agreeing with the JSON report, no byte-order mark and no CR, and
nothing else is left in its folder (written atomically); Prometheus' own Python
client (python3-prometheus-client) reads the same families and samples. A name not ending in
.prom is a usage error (exit 2); an unwritable path is an error naming --metrics.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_lab import check_with_reports, fail  # noqa: E402

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
SAMPLE = re.compile(rf"({NAME})\{{(.*)\}} (-?[0-9]+(?:\.[0-9]+)?)")


def parse(text):
    samples, typed = [], None
    for line in text.split("\n")[:-1]:
        if re.fullmatch(rf"# HELP {NAME} .*", line):
            continue
        m = re.fullmatch(rf"# TYPE ({NAME}) gauge", line)
        if m:
            typed = m.group(1)
            continue
        m = SAMPLE.fullmatch(line)
        if not m:
            fail(f"not a Prometheus text line: {line!r}")
        if m.group(1) != typed:
            fail(f"sample before its TYPE line: {line!r}")
        labels, rest = {}, m.group(2)
        while rest:
            lm = LABEL.match(rest)
            if not lm:
                fail(f"bad labels in {line!r}")
            labels[lm.group(1)] = re.sub(r"\\(.)", lambda e: "\n" if e.group(1) == "n" else e.group(1), lm.group(2))
            rest = rest[lm.end():]
        samples.append((m.group(1), labels, float(m.group(3))))
    return samples


def official_parse(text):
    """The families as Prometheus' own Python client parses them (python3-prometheus-client)."""
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")  # Debian's package, when python3 is another one
        try:
            from prometheus_client.parser import text_string_to_metric_families
        except ImportError:
            if os.environ.get("CI") == "true":
                fail("python3-prometheus-client is not installed (CI=true: it must be)")
            print("note: python3-prometheus-client is not installed; only this test's own parser ran")
            return None
    return {f.name: (f.type, len(f.samples)) for f in text_string_to_metric_families(text)}


def main():
    smharden, profile = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="smharden-metrics-") as tmp:
        out_dir = os.path.join(tmp, "textfile_inputs")
        os.makedirs(out_dir)
        prom = os.path.join(out_dir, "smharden.prom")
        report, run = check_with_reports(smharden, profile, tmp, ["--metrics", prom])
        if os.listdir(out_dir) != ["smharden.prom"]:
            fail(f"the textfile folder holds {os.listdir(out_dir)}")
        with open(prom, "rb") as f:
            raw = f.read()
        if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw or not raw.endswith(b"\n"):
            fail("the file has a BOM, a CR or no final newline")
        samples = parse(raw.decode("utf-8"))
        gauges = {labels["step"]: value for name, labels, value in samples if name == "smharden_step_compliant"}
        expected = {s["id"]: 1.0 if s["status"] in ("compliant", "applied") else 0.0 for s in report["steps"]}
        if gauges != expected:
            fail(f"compliance gauges {gauges} do not match the report {expected}")
        steps = {labels["status"]: value for name, labels, value in samples if name == "smharden_steps"}
        if steps != {k: float(v) for k, v in report["summary"].items()}:
            fail(f"smharden_steps {steps} does not match the summary {report['summary']}")
        official = official_parse(raw.decode("utf-8"))
        ours = {}
        for name, _, _ in samples:
            ours[name] = ("gauge", ours.get(name, ("gauge", 0))[1] + 1)
        if official is not None and official != ours:
            fail(f"prometheus_client reads {official}, this test's parser {ours}")
        exit_codes = [value for name, _, value in samples if name == "smharden_run_exit_code"]
        if exit_codes != [float(run.returncode)]:
            fail(f"smharden_run_exit_code {exit_codes}, the run exited {run.returncode}")

        lab = "lab:" + os.path.join(tmp, "lab")
        env = dict(os.environ, SMHARDEN_STATE_DIR=os.path.join(tmp, "state"))
        wrong = subprocess.run([smharden, "check", "--profile", profile, "--target", lab, "--metrics",
                                os.path.join(out_dir, "smharden.txt")], env=env, capture_output=True)
        if wrong.returncode != 2 or b".prom" not in wrong.stderr:
            fail(f"--metrics smharden.txt: exit {wrong.returncode}, {wrong.stderr!r}")
        missing = subprocess.run([smharden, "check", "--profile", profile, "--target", lab, "--metrics",
                                  os.path.join(tmp, "no-such-folder", "x.prom")], env=env, capture_output=True)
        if missing.returncode != 1 or b"--metrics" not in missing.stderr:
            fail(f"--metrics into a missing folder: exit {missing.returncode}, {missing.stderr!r}")
    print(f"ok: {len(samples)} samples, {len(gauges)} compliance gauges")


if __name__ == "__main__":
    main()
