#!/usr/bin/env python3
"""A check on target data full of control characters writes reports that strict parsers accept.

Usage: hostile_target_reports.py SMHARDEN PROFILE

Makes a lab whose SmarterMail whitelist descriptions hold C0 and C1 control
characters, an ANSI escape, DEL and U+FFFE/U+FFFF, runs `smharden check` with
the JSON, JUnit XML and text reports, and parses each strictly: xml.etree
(expat: XML 1.0 well-formedness), json with strict=True (no raw control
characters in strings), and the text report and console output byte by byte
(no control character but newline).
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_lab import hostile_lab  # noqa: E402

HOSTILE = "start\x00\x01\x07\x08\x0b\x0c\x1b[2J\x1b]0;owned\x07\x7f\x85\x9b\ufffe\uffff\r\n\tend"


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def no_controls(name, data, allowed=b"\n"):
    for i, b in enumerate(data):
        if (b < 0x20 and bytes([b]) not in allowed) or b == 0x7F:
            fail(f"{name}: raw control byte 0x{b:02x} at offset {i}: {data[max(0, i - 40):i + 20]!r}")
    text = data.decode("utf-8")  # strict: invalid UTF-8 fails here
    for ch in text:
        if 0x80 <= ord(ch) <= 0x9F or ch in "\ufffe\uffff":
            fail(f"{name}: raw U+{ord(ch):04X}")


def main():
    smharden, profile = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="smharden-hostile-") as tmp:
        lab, env = hostile_lab(smharden, tmp, HOSTILE)
        reports = {ext: os.path.join(tmp, "report." + ext) for ext in ("xml", "json", "txt")}
        cmd = [smharden, "check", "--profile", profile, "--target", "lab:" + lab, "--only", "sm-relay"]
        for file in reports.values():
            cmd += ["--report", file]
        run = subprocess.run(cmd, env=env, capture_output=True)
        if run.returncode not in (0, 3):
            fail(f"check exited {run.returncode}: {run.stderr.decode(errors='replace')}")

        with open(reports["xml"], "rb") as f:
            xml = f.read()
        try:
            root = ET.fromstring(xml)
        except ET.ParseError as e:
            fail(f"JUnit report is not well-formed XML: {e}")
        failures = [el for el in root.iter("failure")]
        if not failures or "end" not in (failures[0].text or ""):
            fail("the JUnit report lost the finding text")

        with open(reports["json"], "rb") as f:
            report = json.loads(f.read().decode("utf-8"), strict=True)
        titles = [f["title"] for s in report["steps"] for f in s["findings"]]
        if not any(HOSTILE in t for t in titles):
            fail("the JSON report does not keep the description exactly (it escapes, it does not alter)")

        with open(reports["txt"], "rb") as f:
            no_controls("text report", f.read())
        no_controls("console output", run.stdout)
        no_controls("console errors", run.stderr)
        if b"\\x1b[2J" not in run.stdout:
            fail("the console output does not show the escape as \\x1b")
    print("ok: json, junit xml and text reports parse strictly")


if __name__ == "__main__":
    main()
