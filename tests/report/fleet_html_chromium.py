#!/usr/bin/env python3
"""The fleet report's HTML page, opened in headless Chromium.

Usage: fleet_html_chromium.py SMHARDEN PROFILE ARTIFACT_DIR

Runs a check on a lab with hostile target text (report_lab), keeps its JSON report as two hosts,
one of them with a hostile file name, merges them with `smharden report merge --report
fleet.html` and loads the page in Debian's chromium (--headless --no-sandbox --disable-gpu): the
DOM has a row per host with its status and a row per step across hosts, nothing injected became
an element, and the console shows no message. The page and a screenshot are kept in ARTIFACT_DIR.
Without chromium the test is skipped (exit 77), except in CI.
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless_chromium import Browser, chromium_or_skip  # noqa: E402
from report_lab import check_with_reports, fail  # noqa: E402

HOSTILE_HOST = "web02\"><img src=x onerror=alert(3)><script>alert(4)&amp;"  # no "/": it is a file name


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.host_rows = []
        self.step_rows = []
        self.tags = {}
        self.resource_attrs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        classes = (a.get("class") or "").split()
        if tag == "tr" and "host" in classes:
            self.host_rows.append((a.get("data-host"), a.get("data-status")))
        if tag == "tr" and "fleet-step" in classes:
            self.step_rows.append(a.get("data-step"))
        for name in ("src", "href", "srcset", "action", "formaction", "background", "poster"):
            if name in a:
                self.resource_attrs.append((tag, name, a[name]))


def main():
    smharden, profile, artifacts = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    chromium = chromium_or_skip()
    os.makedirs(artifacts, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="smharden-fleet-html-") as tmp:
        reports = os.path.join(tmp, "reports")
        os.makedirs(reports)
        first = os.path.join(reports, "web01.json")
        report, _ = check_with_reports(smharden, profile, tmp, ["--report", first])
        shutil.copy(first, os.path.join(reports, HOSTILE_HOST + ".json"))
        page = os.path.join(artifacts, "fleet.html")
        merged = subprocess.run([smharden, "report", "merge", first, os.path.join(reports, HOSTILE_HOST + ".json"),
                                 "--report", page, "--format", "json"], capture_output=True)
        if merged.returncode != 0:
            fail(f"report merge exited {merged.returncode}: {merged.stderr.decode(errors='replace')}")
        fleet = json.loads(merged.stdout)

        browser = Browser(chromium, tmp)
        url = "file://" + page
        dom = Dom()
        dom.feed(browser.dom(url, "the fleet page"))
        expected = [(h["host"], h["status"]) for h in fleet["hosts"]]
        if dom.host_rows != expected or [h for h, _ in expected] != ["web01", HOSTILE_HOST]:
            fail(f"the DOM has host rows {dom.host_rows}, the fleet report has hosts {expected}")
        steps = [s["id"] for s in fleet["summary"]["by_step"]]
        if dom.step_rows != steps or len(steps) != len(report["steps"]):
            fail(f"the DOM has step rows {dom.step_rows}, the fleet report has steps {steps}")
        if dom.tags.get("script") != 1 or dom.tags.get("img") or dom.resource_attrs:
            fail(f"injected markup became elements: scripts {dom.tags.get('script')}, img {dom.tags.get('img')}, "
                 f"resource attributes {dom.resource_attrs}")

        shot = os.path.join(artifacts, "fleet.png")
        browser.screenshot(url, shot)
    print(f"ok: {len(expected)} host rows and {len(steps)} step rows in headless chromium, no console message; "
          f"screenshot {shot}")


if __name__ == "__main__":
    main()
