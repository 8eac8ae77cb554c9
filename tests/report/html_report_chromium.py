#!/usr/bin/env python3
"""The HTML report of a real check, opened in headless Chromium.

Usage: html_report_chromium.py SMHARDEN PROFILE ARTIFACT_DIR

Runs `smharden check --report report.html` on a lab with hostile target text and
a waived finding, then loads the file in Debian's chromium (--headless
--no-sandbox --disable-gpu): the DOM after scripts ran has a row per step, the
report's script ran (it fills the "N of N steps shown" line, so the
Content-Security-Policy hashes match), nothing injected became an element, and
the console shows no message at all. The report and a screenshot are kept in
ARTIFACT_DIR. Without chromium the test is skipped (exit 77), except in CI.
"""
import base64
import hashlib
import html.parser
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless_chromium import Browser, chromium_or_skip  # noqa: E402
from report_lab import HOSTILE, WAIVER_EXPIRES, check_with_reports, fail  # noqa: E402


class Dom(html.parser.HTMLParser):
    """Counts what the rendered DOM holds."""

    def __init__(self):
        super().__init__()
        self.step_rows = []
        self.hidden_rows = []
        self.tags = {}
        self.resource_attrs = []
        self.in_shown = False
        self.shown = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "tr" and "step" in (a.get("class") or "").split():
            self.step_rows.append((a.get("data-step"), a.get("data-status")))
            if "hidden" in a:
                self.hidden_rows.append(a.get("data-step"))
        for name in ("src", "href", "srcset", "action", "formaction", "background", "poster"):
            if name in a:
                self.resource_attrs.append((tag, name, a[name]))
        self.in_shown = a.get("id") == "steps-shown"

    def handle_endtag(self, tag):
        self.in_shown = False

    def handle_data(self, data):
        if self.in_shown:
            self.shown += data


def main():
    smharden, profile, artifacts = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    chromium = chromium_or_skip()
    os.makedirs(artifacts, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="smharden-html-") as tmp:
        page = os.path.join(artifacts, "report.html")
        report, _ = check_with_reports(smharden, profile, tmp, ["--report", page])
        with open(page, encoding="utf-8") as f:
            source = f.read()

        # The policy allows exactly the inline style and script, by their hashes.
        for tag, kind in (("style", "style-src"), ("script", "script-src")):
            body = re.search(f"<{tag}>(.*?)</{tag}>", source, re.S).group(1)
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            if f"{kind} 'sha256-{digest}'" not in source:
                fail(f"the Content-Security-Policy does not allow the report's own {tag} by its hash")
        if re.search(r"https?://", source):
            fail("the report names a network resource")

        browser = Browser(chromium, tmp)
        url = "file://" + page
        text = browser.dom(url, "the report")
        dom = Dom()
        dom.feed(text)
        expected = [(s["id"], s["status"]) for s in report["steps"]]
        if dom.step_rows != expected:
            fail(f"the DOM has step rows {dom.step_rows}, the report has steps {expected}")
        if dom.shown.strip() != f"{len(expected)} of {len(expected)} steps shown":
            fail(f"the report's script did not run (steps-shown is {dom.shown!r})")
        if dom.tags.get("script") != 1 or dom.tags.get("img") or dom.resource_attrs:
            fail(f"injected markup became elements: scripts {dom.tags.get('script')}, img {dom.tags.get('img')}, "
                 f"resource attributes {dom.resource_attrs}")
        # With #attention the script hides the steps that need no attention.
        attention = Dom()
        attention.feed(browser.dom(url + "#attention", "the report with #attention"))
        need = [s for s in expected if s[1] not in ("compliant", "applied", "skipped")]
        if attention.shown.strip() != f"{len(need)} of {len(expected)} steps shown" or \
                len(attention.hidden_rows) != len(expected) - len(need):
            fail(f"#attention: {attention.shown!r}, {len(attention.hidden_rows)} rows hidden, {len(need)} need attention")

        if "&lt;script&gt;alert(1)&lt;/script&gt;" not in text:
            fail("the hostile whitelist description is not shown as text")
        if WAIVER_EXPIRES not in text:
            fail("the waiver's expiry is not in the report")
        if HOSTILE[-4:] not in text:
            fail("the hostile text lost its end")

        shot = os.path.join(artifacts, "report.png")
        browser.screenshot(url, shot)
    print(f"ok: {len(expected)} step rows in headless chromium, no console message; screenshot {shot}")


if __name__ == "__main__":
    main()
