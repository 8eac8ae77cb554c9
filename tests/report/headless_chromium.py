"""Headless Chromium for the report page tests: find the binary, load a page
and return its DOM after scripts ran (failing on any console message), and
take a screenshot. Flags as the machine notes ask for a closed network: no
background networking, no component updates, a fresh profile folder."""
import os
import shutil
import subprocess

from report_lab import fail, skip


def chromium_or_skip():
    """The chromium binary; the test is skipped (exit 77, except in CI) without one."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    skip("chromium is not installed (Debian package: chromium)")
    return None


class Browser:
    def __init__(self, binary, tmp):
        self.command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + os.path.join(tmp, "profile"), "--enable-logging=stderr", "--v=0"]

    def dom(self, url, what):
        """The DOM of `url` after its scripts ran; fails when the page logged to the console."""
        run = subprocess.run(self.command + ["--dump-dom", url], capture_output=True, timeout=180)
        if run.returncode != 0:
            fail(f"chromium --dump-dom exited {run.returncode}: {run.stderr.decode(errors='replace')}")
        console = [line for line in run.stderr.decode(errors="replace").splitlines() if ":CONSOLE" in line]
        if console:
            fail(f"console messages while loading {what}:\n" + "\n".join(console))
        return run.stdout.decode("utf-8")

    def screenshot(self, url, shot):
        """A PNG of `url` at `shot` (replacing an older one); fails on no or a tiny picture."""
        if os.path.exists(shot):
            os.remove(shot)
        run = subprocess.run(self.command + ["--screenshot=" + shot, "--window-size=1280,2400", url],
                             capture_output=True, timeout=180)
        png = b""
        if os.path.exists(shot):
            with open(shot, "rb") as f:
                png = f.read()
        if run.returncode != 0 or not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) < 10000:
            fail(f"no screenshot ({run.returncode}, {len(png)} bytes): {run.stderr.decode(errors='replace')}")
